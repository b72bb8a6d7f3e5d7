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
"""

from __future__ import annotations

import argparse
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
from app.models import Appraisal, Employee, Iki, Period, Rhk
from app.periods.jobs import run_job, start_open_job
from app.seed.city import seed_city
from app.seed.demo import seed_demo
from config import DevelopmentConfig

PG_URL = os.environ.get(
    "SIKAP_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BUDGET_SECONDS = 20.0


def timed_open(period: Period, label: str) -> float:
    job = start_open_job(period, None, actor=None, queued=False)
    db.session.commit()
    started = time.perf_counter()
    job = run_job(job.id)
    seconds = time.perf_counter() - started
    counts = ", ".join(f"{k} {v}" for k, v in job.counts_dict.items() if v)
    print(f"{label:<32} {seconds:6.2f} s  [{job.status}] {counts}")
    if job.status != "done":
        print(job.error)
    return seconds


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
        conn.execute(
            sa.update(Appraisal)
            .where(Appraisal.period_id == period.id)
            .values(state="self_assessment")
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=25000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    name = f"sikap_bench_open_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = PG_URL.rsplit("/", 1)[0] + f"/{name}"
    app = create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI=url, DEBUG=False)
    try:
        with app.app_context():
            upgrade()
            started = time.perf_counter()
            seed_demo("bench-password-1")
            db.session.commit()
            city = seed_city(args.employees, "bench-password-1")
            db.session.commit()
            total = db.session.scalar(sa.select(sa.func.count(Employee.id)))
            print(
                f"city: {total} employees ({city.employees} generated in {city.opds} OPD) "
                f"in {time.perf_counter() - started:.1f} s"
            )
            year = date.today().year + 1
            annual = make_period(year, "annual", "skp_annual", f"Bench SKP {year}")
            first = timed_open(annual, f"open annual {year}")
            timed_open(annual, "open annual again (no-op)")
            approve_plans(annual)
            quarter = make_period(year, "tw1", "skp_periodic", f"Bench Triwulan I {year}")
            timed_open(quarter, "open Triwulan I (copy plans)")
            verdict = "within" if first <= BUDGET_SECONDS else "OVER"
            print(f"annual opening: {first:.2f} s, {verdict} the {BUDGET_SECONDS:.0f} s budget")
            db.session.remove()
            db.engine.dispose()
    finally:
        if args.keep:
            print(f"kept database {name}: DATABASE_URL={url}")
        else:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
