"""The city's survey (`flask seed-demo --employees N`): ~400 unit layanan across the
OPD and a million responses this year, for the IKM benchmark and the public pages.

Written in bulk: the units with one multi-row INSERT, the responses through COPY on
PostgreSQL (executemany of plain rows elsewhere), BATCH at a time, with progress on
stderr. Deterministic (fixed random seed) and idempotent: units whose code exists
are kept, and responses are only added to units that have none.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import Opd, ServiceKind, ServiceUnit, SkmResponse
from app.models.skm import ANSWER_COLUMNS, SKM_EDUCATION, SKM_GENDERS, SKM_OCCUPATIONS

RANDOM_SEED = 14_2017
CITY_UNITS = 400
CITY_RESPONSES = 1_000_000
BATCH = 50_000
CODE_PREFIX = "K"  # city units: K0001 ... (the demo's codes are words)
# Units per OPD by its kind, and what they are called.
UNITS_BY_KIND = {
    "kecamatan": ("Kantor Lurah", 10),
    "rsud": ("Poliklinik", 10),
    "dinas": ("Loket Pelayanan", 8),
    "badan": ("Loket Pelayanan", 4),
}
SERVICES = ("Pelayanan administrasi", "Konsultasi", "Pengaduan dan informasi")
# Quality profiles (weights of the scores 1-4): most units fair, some good, some weak.
PROFILES = ((1, 4, 40, 55), (2, 8, 55, 35), (4, 16, 55, 25), (10, 30, 45, 15))
PROFILE_WEIGHTS = (25, 40, 25, 10)
COLUMNS = (
    "service_unit_id", "service_kind_id", "served_on", "submitted_at", *ANSWER_COLUMNS,
    "gender", "age", "education", "occupation", "comment", "is_complaint", "locale",
    "client_hash", "fingerprint",
)  # fmt: skip


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def seed_city_units(total: int = CITY_UNITS) -> list[int]:
    """Add the city's unit layanan until there are `total` (K-coded); their ids. Flushes."""
    have = db.session.scalar(
        sa.select(sa.func.count()).where(ServiceUnit.code.like(f"{CODE_PREFIX}%"))
    )
    if have < total:
        opds = db.session.execute(sa.select(Opd.id, Opd.name, Opd.kind).order_by(Opd.code)).all()
        plan = [
            (opd_id, f"{UNITS_BY_KIND.get(kind, ('Loket Pelayanan', 2))[0]} {name} {n}")
            for opd_id, name, kind in opds
            for n in range(1, UNITS_BY_KIND.get(kind, ("", 2))[1] + 1)
        ]
        rows = [
            {
                "opd_id": opd_id,
                "code": f"{CODE_PREFIX}{i + 1:04d}",
                "name": name[:200],
                "yearly_users": 1000 * (1 + i % 20),
                "active": True,
                "version": 1,
                "created_at": datetime.now(UTC),
            }
            for i, (opd_id, name) in enumerate((plan * (total // max(len(plan), 1) + 1))[:total])
        ][have:]
        if rows:
            ids = db.session.scalars(
                sa.insert(ServiceUnit).returning(ServiceUnit.id, sort_by_parameter_order=True),
                rows,
            ).all()
            db.session.execute(
                sa.insert(ServiceKind),
                [{"service_unit_id": i, "name": s, "active": True} for i in ids for s in SERVICES],
            )
    db.session.flush()
    return list(
        db.session.scalars(
            sa.select(ServiceUnit.id)
            .where(ServiceUnit.code.like(f"{CODE_PREFIX}%"))
            .order_by(ServiceUnit.id)
        )
    )


def _rows(
    units: list[tuple[int, int]], total: int, first: date, last: date, rng: random.Random
) -> Iterator[tuple]:
    """`total` responses spread over the units (unit id, first service kind id) and days."""
    profiles = {unit_id: rng.choices(PROFILES, weights=PROFILE_WEIGHTS)[0] for unit_id, _k in units}
    cumulative = {p: [sum(p[: i + 1]) for i in range(4)] for p in PROFILES}
    days = (last - first).days
    scores = (1, 2, 3, 4)
    for n in range(total):
        unit_id, kind_id = units[n % len(units)]
        served_on = first + timedelta(days=rng.randint(0, days))
        answers = rng.choices(scores, cum_weights=cumulative[profiles[unit_id]], k=9)
        yield (
            unit_id, kind_id, served_on,
            datetime(served_on.year, served_on.month, served_on.day, 3, tzinfo=UTC),
            *answers,
            SKM_GENDERS[n % 2], 18 + n % 50, SKM_EDUCATION[n % len(SKM_EDUCATION)],
            SKM_OCCUPATIONS[n % len(SKM_OCCUPATIONS)], None, False, "id",
            f"{n:064x}", f"c{n:063x}",
        )  # fmt: skip


def _write(rows: list[tuple]) -> None:
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        db.session.execute(
            sa.insert(SkmResponse), [dict(zip(COLUMNS, r, strict=True)) for r in rows]
        )
        return
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(f"COPY skm_response ({', '.join(COLUMNS)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def seed_city_responses(
    unit_ids: list[int], total: int = CITY_RESPONSES, today: date | None = None
) -> int:
    """Write `total` responses served this year up to today, over the units that have
    none yet; how many were written. Flushes; progress on stderr every BATCH rows."""
    today = today or date.today()
    empty = db.session.execute(
        sa.select(ServiceUnit.id, sa.func.min(ServiceKind.id))
        .join(ServiceKind, ServiceKind.service_unit_id == ServiceUnit.id)
        .where(
            ServiceUnit.id.in_(unit_ids),
            ~sa.exists().where(SkmResponse.service_unit_id == ServiceUnit.id),
        )
        .group_by(ServiceUnit.id)
        .order_by(ServiceUnit.id)
    ).all()
    if not empty or total < 1:
        return 0
    rng = random.Random(RANDOM_SEED)
    written, batch = 0, []
    for row in _rows([tuple(u) for u in empty], total, date(today.year, 1, 1), today, rng):
        batch.append(row)
        if len(batch) == BATCH:
            _write(batch)
            written += len(batch)
            batch = []
            _progress(f"  SKM responses: {written:,} of {total:,}")
    if batch:
        _write(batch)
        written += len(batch)
    db.session.flush()
    return written


def seed_city_survey(units: int = CITY_UNITS, responses: int = CITY_RESPONSES) -> str:
    """The city's units and responses, committed; a line to print."""
    started = time.perf_counter()
    unit_ids = seed_city_units(units)
    db.session.commit()
    written = seed_city_responses(unit_ids, responses)
    db.session.commit()
    if written and db.engine.dialect.name == "postgresql":
        # Fresh rows: the planner's statistics, and the visibility map that lets the IKM
        # sums read the covering index alone (autovacuum would do it, later).
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE skm_response"))
    return (
        f"SKM: {len(unit_ids)} unit layanan, {written:,} responses written "
        f"({time.perf_counter() - started:.1f} s)."
    )
