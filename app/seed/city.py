"""A generated city for benchmarks and large tests (`flask seed-demo --employees 25000`).

On top of the demo organisation (six OPD, the Sekda at the top) it adds about
forty more OPD - dinas, badan, the RSUD, the kecamatan - each with a full
reporting line: kepala (reporting to the Sekda) > sekretaris and kepala bidang
> kepala subbagian / seksi > staff, until the city has the number of employees
asked for. Every employee has a valid, unique NIP and an account with the demo
password. Rows are written with a few bulk INSERTs per level, not one ORM object
at a time. Deterministic (fixed random seed); OPD that already exist are left
alone, so a second run adds nothing.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from app.auth.passwords import hash_password
from app.extensions import db
from app.models import Account, Employee, Opd, Position, Unit
from app.models.types import UTCDateTime, utcnow
from app.seed.demo_data import EMAIL_DOMAIN

RANDOM_SEED = 6025
MIN_OPD_SIZE = 12
BATCH = 20000  # employees generated and written at a time

# (code, name, kind, weight): the weight shares out the employees.
CITY_OPDS: tuple[tuple[str, str, str, int], ...] = (
    ("SETWAN", "Sekretariat DPRD", "sekretariat", 3),
    ("INSPEKTORAT", "Inspektorat", "inspektorat", 3),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "badan", 3),
    ("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", "badan", 4),
    ("BAPENDA", "Badan Pendapatan Daerah", "badan", 5),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", "badan", 2),
    ("KESBANGPOL", "Badan Kesatuan Bangsa dan Politik", "badan", 2),
    ("DISHUB", "Dinas Perhubungan", "dinas", 8),
    ("DINSOS", "Dinas Sosial", "dinas", 3),
    ("DKP", "Dinas Kebersihan dan Pertamanan", "dinas", 10),
    ("DSDABMBK", "Dinas Sumber Daya Air, Bina Marga dan Bina Konstruksi", "dinas", 8),
    ("DPKPPR", "Dinas Perumahan, Kawasan Permukiman dan Penataan Ruang", "dinas", 4),
    ("DINKOPUKM", "Dinas Koperasi, Usaha Kecil dan Menengah", "dinas", 2),
    ("DISPAR", "Dinas Kebudayaan dan Pariwisata", "dinas", 2),
    ("DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas", 2),
    ("DLH", "Dinas Lingkungan Hidup", "dinas", 4),
    ("DKPP", "Dinas Ketahanan Pangan, Pertanian dan Perikanan", "dinas", 3),
    ("DISPORA", "Dinas Pemuda dan Olahraga", "dinas", 2),
    ("DISPERINDAG", "Dinas Perindustrian dan Perdagangan", "dinas", 3),
    ("DISNAKER", "Dinas Ketenagakerjaan", "dinas", 2),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "dinas", 3),
    ("DP3APMP2KB", "Dinas Pemberdayaan Perempuan, Perlindungan Anak dan KB", "dinas", 3),
    ("DISPUSARSIP", "Dinas Perpustakaan dan Kearsipan", "dinas", 2),
    ("SATPOLPP", "Satuan Polisi Pamong Praja", "dinas", 8),
    ("DAMKAR", "Dinas Pemadam Kebakaran dan Penyelamatan", "dinas", 6),
    ("RSUD-PIRNGADI", "RSUD Dr. Pirngadi", "rsud", 25),
    ("RSUD-BACHTIAR", "RSUD Bachtiar Djafar", "rsud", 6),
    ("KEC-MEDANKOTA", "Kecamatan Medan Kota", "kecamatan", 2),
    ("KEC-MEDANPETISAH", "Kecamatan Medan Petisah", "kecamatan", 2),
    ("KEC-MEDANSUNGGAL", "Kecamatan Medan Sunggal", "kecamatan", 2),
    ("KEC-MEDANHELVETIA", "Kecamatan Medan Helvetia", "kecamatan", 2),
    ("KEC-MEDANDELI", "Kecamatan Medan Deli", "kecamatan", 2),
    ("KEC-MEDANLABUHAN", "Kecamatan Medan Labuhan", "kecamatan", 2),
    ("KEC-MEDANBELAWAN", "Kecamatan Medan Belawan", "kecamatan", 2),
    ("KEC-MEDANTIMUR", "Kecamatan Medan Timur", "kecamatan", 2),
    ("KEC-MEDANJOHOR", "Kecamatan Medan Johor", "kecamatan", 2),
    ("KEC-MEDANAMPLAS", "Kecamatan Medan Amplas", "kecamatan", 2),
    ("KEC-MEDANDENAI", "Kecamatan Medan Denai", "kecamatan", 2),
    ("KEC-MEDANTEMBUNG", "Kecamatan Medan Tembung", "kecamatan", 2),
    ("KEC-MEDANPERJUANGAN", "Kecamatan Medan Perjuangan", "kecamatan", 2),
)
SECTIONS = (
    "Program dan Pelaporan", "Pelayanan", "Pembinaan", "Pengawasan", "Pengembangan",
    "Sarana dan Prasarana", "Data dan Informasi", "Pengendalian",
)  # fmt: skip
STAFF_POSTS = (("Pengadministrasi Umum", "pelaksana"), ("Analis Kebijakan", "fungsional"))
FIRST = (
    "Ahmad", "Budi", "Citra", "Dewi", "Eka", "Fitri", "Hendra", "Indah", "Joko", "Kartika",
    "Lestari", "Maya", "Nur", "Putri", "Rahmat", "Rina", "Sari", "Taufik", "Wahyu", "Yusuf",
    "Agus", "Rizky", "Siti", "Andi", "Dian", "Fajar", "Intan", "Ratna", "Teguh", "Zulkifli",
)  # fmt: skip
FAMILY = (
    "Siregar", "Nasution", "Lubis", "Harahap", "Simanjuntak", "Sitorus", "Ginting", "Sembiring",
    "Tarigan", "Damanik", "Saragih", "Purba", "Pane", "Hutagalung", "Batubara", "Rangkuti",
    "Daulay", "Tanjung", "Hasibuan", "Pohan", "Situmorang", "Panjaitan", "Sinaga", "Manurung",
)  # fmt: skip


@dataclass
class _Post:
    """A position to create, with how many people hold it."""

    name: str
    kind: str
    unit: str | None
    parent: _Post | None
    holders: int = 1
    id: int | None = None
    children: list[_Post] = field(default_factory=list)


@dataclass(frozen=True)
class CityResult:
    opds: int
    employees: int


def seed_city(total_employees: int, password: str, *, seed: int = RANDOM_SEED) -> CityResult:
    """Add OPD until the city has about `total_employees` employees; flushes, never commits."""
    have_codes = set(db.session.scalars(sa.select(Opd.code)))
    todo = [row for row in CITY_OPDS if row[0] not in have_codes]
    remaining = total_employees - db.session.scalar(sa.select(sa.func.count(Employee.id)))
    if not todo or remaining < MIN_OPD_SIZE * len(todo):
        return CityResult(0, 0)
    rng = random.Random(seed)
    sekda = db.session.scalar(
        sa.select(Position.id)
        .join(Opd, Opd.id == Position.opd_id)
        .where(Opd.code == "SETDA", Position.parent_id.is_(None))
        .order_by(Position.id)
    )
    opd_ids = db.session.scalars(
        sa.insert(Opd).returning(Opd.id, sort_by_parameter_order=True),
        [{"code": code, "name": name, "kind": kind} for code, name, kind, _w in todo],
    ).all()
    weights = [w for *_rest, w in todo]
    extra = remaining - MIN_OPD_SIZE * len(todo)
    sizes = [MIN_OPD_SIZE + extra * w // sum(weights) for w in weights]
    sizes[-1] += remaining - sum(sizes)  # what rounding left over
    posts_by_opd = {
        opd_id: _structure(name, kind, size)
        for opd_id, (_code, name, kind, _w), size in zip(opd_ids, todo, sizes, strict=True)
    }
    units = _insert_units(posts_by_opd)
    _insert_posts(posts_by_opd, units, sekda)
    first_new = db.session.scalar(sa.select(sa.func.max(Employee.id))) or 0
    people = _insert_employees(posts_by_opd, rng)
    password_hash = hash_password(password)  # one hash shared: it carries its own salt
    # One set-based INSERT ... SELECT: a million accounts need no round trip per row.
    columns = ("employee_id", "password_hash", "is_enabled", "locale", "mail_mode", "created_at")
    db.session.execute(
        sa.insert(Account).from_select(
            columns,
            sa.select(
                Employee.id,
                sa.literal(password_hash),
                sa.true(),
                sa.literal("id"),
                sa.literal("immediate"),
                sa.literal(utcnow(), UTCDateTime()),
            ).where(Employee.id > first_new, Employee.position_id.in_(_post_ids(posts_by_opd))),
        )
    )
    db.session.flush()
    return CityResult(len(opd_ids), people)


def _structure(opd_name: str, kind: str, size: int) -> list[_Post]:
    """The positions of one OPD, parents before children, holders adding up to `size`."""
    kecamatan = kind == "kecamatan"
    head = _Post(
        f"Camat {opd_name.removeprefix('Kecamatan ')}" if kecamatan else f"Kepala {opd_name}",
        "administrator" if kecamatan else "jpt",
        None,
        None,
    )
    secretary = _Post(
        "Sekretaris Kecamatan" if kecamatan else "Sekretaris", "administrator", "Sekretariat", head
    )
    bidang_count = 3 if kecamatan else max(2, min(len(SECTIONS), size // 150))
    posts = [head, secretary]
    leaves = []
    for sub in ("Umum dan Kepegawaian", "Keuangan"):
        leaves.append(_Post(f"Kepala Subbagian {sub}", "pengawas", "Sekretariat", secretary))
    for section in SECTIONS[:bidang_count]:
        unit = f"{'Seksi' if kecamatan else 'Bidang'} {section}"
        chief = _Post(f"Kepala {unit}", "pengawas" if kecamatan else "administrator", unit, head)
        posts.append(chief)
        if kecamatan:
            leaves.append(chief)
            continue
        for sub in ("Perencanaan", "Pelaksanaan"):
            leaves.append(_Post(f"Kepala Seksi {sub} {section}", "pengawas", unit, chief))
    posts += [leaf for leaf in leaves if leaf not in posts]
    staff = [_Post(f"{name} ({leaf.name})", k, leaf.unit, leaf, 0) for leaf in leaves
             for name, k in STAFF_POSTS]  # fmt: skip
    people = max(0, size - len(posts))
    for i, post in enumerate(staff):
        post.holders = people // len(staff) + (1 if i < people % len(staff) else 0)
    return posts + staff


def _insert_units(posts_by_opd: dict[int, list[_Post]]) -> dict[tuple[int, str], int]:
    keys = sorted({(opd_id, p.unit) for opd_id, posts in posts_by_opd.items() for p in posts
                   if p.unit})  # fmt: skip
    ids = db.session.scalars(
        sa.insert(Unit).returning(Unit.id, sort_by_parameter_order=True),
        [{"opd_id": opd_id, "name": name, "parent_id": None} for opd_id, name in keys],
    ).all()
    return dict(zip(keys, ids, strict=True))


def _insert_posts(
    posts_by_opd: dict[int, list[_Post]], units: dict[tuple[int, str], int], sekda: int | None
) -> None:
    """One INSERT per level of the tree, so each level knows its parents' ids."""
    level = [(opd_id, p) for opd_id, posts in posts_by_opd.items() for p in posts if not p.parent]
    while level:
        rows = [
            {
                "opd_id": opd_id,
                "unit_id": units.get((opd_id, post.unit)) if post.unit else None,
                "parent_id": post.parent.id if post.parent else sekda,
                "name": post.name,
                "kind": post.kind,
            }
            for opd_id, post in level
        ]
        ids = db.session.scalars(
            sa.insert(Position).returning(Position.id, sort_by_parameter_order=True), rows
        ).all()
        for (_opd, post), new_id in zip(level, ids, strict=True):
            post.id = new_id
        placed = {id(post) for _opd, post in level}
        level = [
            (opd_id, p)
            for opd_id, posts in posts_by_opd.items()
            for p in posts
            if p.parent is not None and id(p.parent) in placed
        ]


def _post_ids(posts_by_opd: dict[int, list[_Post]]) -> list[int]:
    return [post.id for posts in posts_by_opd.values() for post in posts]


def _insert_employees(posts_by_opd: dict[int, list[_Post]], rng: random.Random) -> int:
    """Generate and write the holders of every post, BATCH rows at a time; how many.

    On PostgreSQL the rows go through COPY (a million in about a minute); elsewhere
    (SQLite: tests, development) through multi-row INSERTs.
    """
    taken = set(db.session.scalars(sa.select(Employee.nip)))
    emails = set(db.session.scalars(sa.select(Employee.email).where(Employee.email.is_not(None))))
    written = 0
    batch: list[dict] = []
    for row in _employee_rows(posts_by_opd, rng, taken, emails):
        batch.append(row)
        if len(batch) == BATCH:
            written += _write_employees(batch)
            batch = []
    return written + (_write_employees(batch) if batch else 0)


def _write_employees(rows: list[dict]) -> int:
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        db.session.execute(sa.insert(Employee), rows)
        return len(rows)
    columns = list(rows[0])
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(f"COPY employee ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])
    return len(rows)


def _employee_rows(
    posts_by_opd: dict[int, list[_Post]], rng: random.Random, taken: set[str], emails: set[str]
) -> Iterator[dict]:
    for posts in posts_by_opd.values():
        for post in posts:
            for _ in range(post.holders):
                nip = _nip(rng, taken)
                first, family = rng.choice(FIRST), rng.choice(FAMILY)
                golongan = rng.choice(("II/c", "III/a", "III/b", "III/c", "III/d", "IV/a"))
                yield (
                    {
                        "nip": nip,
                        "name": f"{first} {family}",
                        "pangkat_golongan": golongan,
                        "status": "PNS" if rng.random() < 0.85 else "PPPK",
                        "email": _email(f"{first}.{family}".lower(), emails),
                        "position_id": post.id,
                        "active": True,
                    }
                )


def _email(local: str, taken: set[str]) -> str:
    n = len(taken)
    while f"{local}.{n}@{EMAIL_DOMAIN}" in taken:
        n += 1
    email = f"{local}.{n}@{EMAIL_DOMAIN}"
    taken.add(email)
    return email


def _nip(rng: random.Random, taken: set[str]) -> str:
    """A NIP that parse_nip accepts and nobody has: born 1965-1999, appointed at 21-30."""
    while True:
        year = rng.randint(1965, 1999)
        birth = f"{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        appointed = f"{min(year + rng.randint(21, 30), 2024)}{rng.randint(1, 12):02d}"
        sex = rng.randint(1, 2)
        nip = f"{birth}{appointed}{sex}{rng.randint(1, 999):03d}"
        if nip not in taken:
            taken.add(nip)
            return nip


def seed_city_and_open(total_employees: int, password: str) -> str:
    """Generate the city, commit, open this year's annual period for it; a line to print.

    Commits, like the CLI command it serves: the city is written first so that a
    failure while opening keeps it.
    """
    from app.periods.opening import PeriodOpener
    from app.seed.appraisals import annual_period

    started = time.perf_counter()
    result = seed_city(total_employees, password)
    db.session.commit()
    seeded = time.perf_counter() - started
    period = annual_period(date.today().year)
    counts = PeriodOpener(period).run()
    db.session.commit()
    return (
        f"City: {result.employees} employees generated in {result.opds} OPD ({seeded:.1f} s); "
        f"{counts.created} appraisals opened for {period.name} "
        f"({time.perf_counter() - started - seeded:.1f} s)."
    )
