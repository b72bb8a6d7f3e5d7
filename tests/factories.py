"""Small factories for test data: OPD, positions, employees, accounts."""

import itertools
from datetime import date, timedelta

from app.auth.passwords import hash_password
from app.extensions import db
from app.models import (
    Account,
    ActingAssignment,
    Employee,
    Opd,
    Period,
    Position,
    RoleGrant,
    TimKerja,
    TimKerjaMember,
)
from app.models.types import utcnow

PASSWORD = "rahasia-123"
_seq = itertools.count(1)


def make_nip(
    n: int | None = None, birth: str = "19850312", appointed: str = "201003", sex: int = 1
) -> str:
    """A valid NIP; distinct for each call unless `n` is given."""
    n = next(_seq) if n is None else n
    return f"{birth}{appointed}{sex}{n % 1000:03d}"[:18] if n < 1000 else _wide_nip(n, sex)


def _wide_nip(n: int, sex: int) -> str:
    # Past 999 the sequence digits run out; vary the birth day and month instead.
    day = 1 + (n // 1000) % 28
    month = 1 + (n // 28000) % 12
    return f"1985{month:02d}{day:02d}201003{sex}{n % 1000:03d}"


def make_opd(code: str = "DINKES", name: str = "Dinas Kesehatan", kind: str = "dinas") -> Opd:
    opd = Opd(code=code, name=name, kind=kind)
    db.session.add(opd)
    db.session.flush()
    return opd


def make_position(
    opd: Opd, name: str, kind: str = "pelaksana", parent: Position | None = None
) -> Position:
    position = Position(opd=opd, name=name, kind=kind, parent=parent)
    db.session.add(position)
    db.session.flush()
    return position


def make_employee(
    name: str = "Budi Santoso", position: Position | None = None, email: str | None = None, **extra
) -> Employee:
    n = next(_seq)
    employee = Employee(
        nip=extra.pop("nip", None) or make_nip(n),
        name=name,
        email=email if email is not None else f"pegawai{n}@example.test",
        position=position,
        status=extra.pop("status", "PNS"),
        **extra,
    )
    db.session.add(employee)
    db.session.flush()
    return employee


def make_account(
    employee: Employee,
    password: str = PASSWORD,
    roles: tuple[str, ...] = (),
    *,
    tour_seen: bool = True,
) -> Account:
    # Test accounts have seen the first-sign-in tour, so that its dialog does not cover
    # the pages other tests drive; the tour's own tests make accounts that have not.
    account = Account(
        employee=employee,
        password_hash=hash_password(password),
        tour_seen_at=utcnow() if tour_seen else None,
    )
    account.role_grants = [RoleGrant(role=role) for role in roles]
    db.session.add(account)
    db.session.flush()
    return account


def make_acting(
    position: Position, employee: Employee, start: date, end: date, kind: str = "plt"
) -> ActingAssignment:
    acting = ActingAssignment(
        position=position, employee=employee, kind=kind, start_date=start, end_date=end
    )
    db.session.add(acting)
    db.session.flush()
    return acting


def make_period(
    year: int = 2026,
    kind: str = "annual",
    workflow: str = "skp_annual",
    status: str = "open",
    plan_deadline: date | None = None,
    assessment_deadline: date | None = None,
) -> Period:
    period = Period(
        name=f"SKP Tahunan {year}" if kind == "annual" else f"Triwulan {kind[-1]} {year}",
        year=year,
        kind=kind,
        start_date=date(year, 1, 1),
        end_date=date(year, 12, 31),
        # Deadlines ahead of today, so that edits are open unless a test closes them.
        plan_deadline=plan_deadline or date.today() + timedelta(days=60),
        assessment_deadline=assessment_deadline or date.today() + timedelta(days=120),
        status=status,
        workflow=workflow,
    )
    db.session.add(period)
    db.session.flush()
    return period


def make_team() -> dict:
    """A reporting line with accounts: kadis > kabid > kasi > staf (two), plus BKD people.

    Kabid is the kasi's atasan, so the atasan pejabat penilai of the staff's
    appraisal (appraiser: kasi) is the kabid.
    """
    opd = make_opd()
    kadis = make_position(opd, "Kepala Dinas Kesehatan", "jpt")
    kabid = make_position(opd, "Kepala Bidang Pelayanan Kesehatan", "administrator", kadis)
    kasi = make_position(opd, "Kepala Seksi Pelayanan Primer", "pengawas", kabid)
    staf = make_position(opd, "Pengadministrasi Perkantoran", "pelaksana", kasi)
    bkd = make_opd("BKPSDM", "Badan Kepegawaian dan Pengembangan SDM", "badan")
    # The BKD's verifiers report to its kepala (a vacant post here): they head nothing.
    kepala_bkd = make_position(bkd, "Kepala BKPSDM", "jpt")
    analis = make_position(bkd, "Analis SDM Aparatur", "fungsional", kepala_bkd)
    team = {
        "opd": opd,
        "kadis": make_account(make_employee("dr. Kadis Siregar", kadis)),
        "kabid": make_account(make_employee("Kabid Lubis, S.KM.", kabid)),
        "kasi": make_account(make_employee("Kasi Nasution, S.Kep.", kasi)),
        "staf": make_account(make_employee("Dian Anggraini", staf)),
        "staf2": make_account(make_employee("Rizky Pratama", staf)),
        "verifikator": make_account(
            make_employee("Verifikator Harahap", analis), roles=("verifikator_bkd",)
        ),
        "verifikator2": make_account(
            make_employee("Verifikator Tanjung", analis), roles=("verifikator_bkd",)
        ),
        "admin": make_account(make_employee("Admin Sitepu", analis), roles=("admin_bkd",)),
    }
    return team


def make_tim_kerja(
    team: dict, period: Period, members: tuple[str, ...], name: str = ""
) -> TimKerja:
    """A tim kerja of the team's OPD in the period, led by the first of `members` (team keys)."""
    tim = TimKerja(
        opd_id=team["opd"].id,
        period_id=period.id,
        name=name or "Tim Percepatan Layanan Primer",
        purpose="Mempercepat layanan primer di wilayah kerja.",
        lead_id=team[members[0]].employee_id,
        created_by_id=team["kadis"].id,
    )
    tim.members = [TimKerjaMember(employee_id=team[key].employee_id) for key in members]
    db.session.add(tim)
    db.session.flush()
    return tim
