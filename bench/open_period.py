"""Benchmark: open a period for a city of 25,000 employees on PostgreSQL (not a test).

    .venv/bin/python bench/open_period.py [--employees 25000] [--keep]

Creates a throw-away database on the PostgreSQL server (SIKAP_BENCH_PG_URL,
default the local one), migrates it, generates the city (`seed-demo
--employees`), then times, through the same job runner as the admin page and
`flask periods open`:

1. opening a fresh annual period for every OPD (the budget: <= 20 s);
2. opening it again (idempotent: adds nothing);
3. opening Triwulan I, copying the approved annual plans (each appraisal of the
   annual period is given a plan of 3 RHK x 2 IKI and marked approved first,
   directly in SQL: this is set-up, not what is measured).

Prints the counts and seconds of each run and drops the database unless --keep.
With --database URL it uses a database that already holds the city (as
bench/run.py does, after the page measurements) and leaves it in place.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from app.models import Appraisal, Employee, Iki, IkiPart, Period, Rhk
from app.periods.jobs import run_job, start_open_job
from app.seed.city import seed_city
from app.seed.demo import seed_demo
from config import DevelopmentConfig

PG_URL = os.environ.get(
    "SIKAP_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BUDGET_SECONDS = 20.0


def timed_open(period: Period, label: str) -> dict:
    job = start_open_job(period, None, actor=None, queued=False)
    db.session.commit()
    started = time.perf_counter()
    job = run_job(job.id)
    seconds = time.perf_counter() - started
    counts = ", ".join(f"{k} {v}" for k, v in job.counts_dict.items() if v)
    print(f"{label:<32} {seconds:6.2f} s  [{job.status}] {counts}", file=sys.stderr)
    if job.status != "done":
        print(job.error, file=sys.stderr)
    return {"seconds": seconds, "status": job.status, "counts": job.counts_dict}


def make_period(year: int, kind: str, workflow: str, name: str) -> Period:
    period = Period(
        name=name,
        year=year,
        kind=kind,
        workflow=workflow,
        start_date=date(year, 1, 1),
        end_date=date(year, 12, 31),
        plan_deadline=date(year, 1, 31),
        assessment_deadline=date(year + 1, 1, 15),
        status="draft",
    )
    db.session.add(period)
    db.session.commit()
    return period


def approve_plans(period: Period) -> None:
    """Give every appraisal of the period a plan of 3 RHK x 2 IKI and an approved state."""
    with db.engine.begin() as conn:
        for position in range(3):
            conn.execute(
                sa.insert(Rhk).from_select(
                    ["appraisal_id", "group_", "position", "text"],
                    sa.select(
                        Appraisal.id,
                        sa.literal("utama"),
                        sa.literal(position),
                        sa.literal(f"Hasil kerja {position + 1}"),
                    ).where(Appraisal.period_id == period.id),
                )
            )
        for position in range(2):
            conn.execute(
                sa.insert(Iki).from_select(
                    ["rhk_id", "position", "text", "aspect", "target_kind", "target_value"],
                    sa.select(
                        Rhk.id,
                        sa.literal(position),
                        sa.literal(f"Indikator {position + 1}"),
                        sa.literal("kuantitas"),
                        sa.literal("number"),
                        sa.literal(12),
                    )
                    .join(Appraisal, Appraisal.id == Rhk.appraisal_id)
                    .where(Appraisal.period_id == period.id),
                )
            )
        # Quarterly targets and rencana aksi on every IKI, and each RHK linked to an RHK
        # of the appraiser's plan: the quarter copies its own target and re-links.
        for part in range(1, 5):
            conn.execute(
                sa.insert(IkiPart).from_select(
                    ["iki_id", "part", "target_value", "rencana_aksi"],
                    sa.select(Iki.id, sa.literal(part), sa.literal(3), sa.literal("Rencana aksi"))
                    .join(Rhk, Rhk.id == Iki.rhk_id)
                    .join(Appraisal, Appraisal.id == Rhk.appraisal_id)
                    .where(Appraisal.period_id == period.id),
                )
            )
        # Statistics for what was just bulk-loaded, as autovacuum would gather (it is off
        # on this machine): planned on the seed's counts, the UPDATE below ran for hours.
        conn.execute(sa.text("ANALYZE rhk, iki, iki_part, appraisal"))
        theirs, their_rhk = sa.orm.aliased(Appraisal), sa.orm.aliased(Rhk)
        mine = sa.orm.aliased(Appraisal)
        conn.execute(
            sa.update(Rhk)
            .where(
                Rhk.appraisal_id.in_(
                    sa.select(Appraisal.id).where(Appraisal.period_id == period.id)
                )
            )
            .values(
                atasan_rhk_id=sa.select(sa.func.min(their_rhk.id))
                .join(theirs, theirs.id == their_rhk.appraisal_id)
                .join(mine, mine.appraiser_id == theirs.employee_id)
                .where(mine.id == Rhk.appraisal_id, theirs.period_id == period.id)
                .scalar_subquery()
            )
        )
        conn.execute(
            sa.update(Appraisal)
            .where(Appraisal.period_id == period.id)
            .values(state="self_assessment")
        )


def run(url: str, employees: int, *, seed: bool = True) -> dict:
    """Seed the city into `url` (unless it is there already), time the three openings."""
    app = create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI=url, DEBUG=False)
    result: dict = {"employees": employees}
    with app.app_context():
        if seed:
            upgrade()
            started = time.perf_counter()
            seed_demo("bench-password-1")
            db.session.commit()
            seed_city(employees, "bench-password-1")
            db.session.commit()
            result["seed_seconds"] = time.perf_counter() - started
        result["employees"] = db.session.scalar(sa.select(sa.func.count(Employee.id)))
        print(f"city: {result['employees']} employees", file=sys.stderr)
        year = db.session.scalar(sa.select(sa.func.max(Period.year))) or date.today().year
        year = max(year + 1, date.today().year + 1)
        annual = make_period(year, "annual", "skp_annual", f"Bench SKP {year}")
        result["annual"] = timed_open(annual, f"open annual {year}")
        result["again"] = timed_open(annual, "open annual again (no-op)")
        approve_plans(annual)
        quarter = make_period(year, "tw1", "skp_periodic", f"Bench Triwulan I {year}")
        result["quarter"] = timed_open(quarter, "open Triwulan I (copy plans)")
        db.session.remove()
        db.engine.dispose()
    return result


def figures(result: dict) -> list[dict]:
    """The openings as table rows: figure, value, budget, ok (None: no budget)."""
    employees = f"{result['employees']:,}"
    annual, again, quarter = result["annual"], result["again"], result["quarter"]
    created = annual["counts"].get("created", "?")
    return [
        {
            "figure": f"Open an annual period, {employees} employees",
            "value": f"{annual['seconds']:.1f} s ({created} appraisals)",
            "budget": f"<= {BUDGET_SECONDS:.0f} s",
            "ok": annual["status"] == "done" and annual["seconds"] <= BUDGET_SECONDS,
        },
        {
            "figure": "Open it again (adds nothing)",
            "value": f"{again['seconds']:.1f} s",
            "budget": "",
            "ok": None if again["status"] == "done" else False,
        },
        {
            "figure": "Open Triwulan I (copies every plan)",
            "value": f"{quarter['seconds']:.1f} s",
            "budget": "",
            "ok": None if quarter["status"] == "done" else False,
        },
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=25000)
    parser.add_argument("--database", metavar="URL", help="an already seeded database to use")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args()

    if args.database:
        url = args.database
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
    else:
        name = f"sikap_bench_open_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = PG_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        result = run(url, args.employees, seed=not args.database)
    finally:
        if args.database:
            pass
        elif args.keep:
            print(f"kept database {name}: DATABASE_URL={url}", file=sys.stderr)
        else:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    rows = figures(result)
    if args.json:
        print(json.dumps(result | {"figures": rows}, indent=2, default=str))
    else:
        for row in rows:
            print(f"{row['figure']}: {row['value']} {row['budget']}")
    return 0 if all(row["ok"] is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
