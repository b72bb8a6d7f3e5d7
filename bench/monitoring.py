"""The monitor's figures at 25,000 employees and again with five years of history (not a test).

    .venv/bin/python bench/monitoring.py [--employees 25000] [--years 5] [--keep]
    .venv/bin/python bench/monitoring.py --database URL --json   # as bench/run.py does

Seeds a PostgreSQL database with the demo and a city (`seed-demo --employees`,
no survey responses), then measures, in the application's process, each
progress function of app.monitoring.progress on this year's annual period
(the city; the largest OPD; the team of that OPD's kepala, the largest team;
the holders of the OPD's open tasks) against one `SELECT 1` on the same
connection (the floor): p50 and p95 of --calls calls each, their ratio to the
floor's p95 and their SQL statements. Where the monitor's pages exist (/monitor,
/monitor/opd/<id>, /monitor/team/<employee_id>: a 404 skips them), it serves the
app with gunicorn and measures them over HTTP against /healthz as bench/pages.py
does, signed in as the demo's admin BKD.

Then it adds --years past years of finished appraisals (`seed-demo
--history-years`: 25,000 x 5 periods x 5 years = 625,000) and measures again.
The budget (issue 15): the same p95 (+-20 %) with the history as without, and
the same statements. Run it once: seeding the history takes minutes.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import sqlalchemy as sa

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import pages  # noqa: E402 - the sibling script

ADMIN_NIP, PASSWORD = "198806152013021031", "sikap-demo-2026"  # the demo's admin BKD
GROWTH_BUDGET = 1.20  # p95 with the history / p95 without


def _targets() -> tuple[dict, list[tuple[str, object]]]:
    """This year's annual period, the largest OPD and its kepala, and the calls to time."""
    from app.extensions import db
    from app.models import Appraisal, AppraisalCount, Employee, Opd, Period, Position
    from app.monitoring import progress

    period = db.session.scalars(
        sa.select(Period)
        .where(Period.kind == "annual", Period.year == date.today().year)
        .order_by(Period.id)
    ).first()
    opd_id = db.session.scalar(
        sa.select(AppraisalCount.opd_id)
        .where(AppraisalCount.period_id == period.id, AppraisalCount.opd_id.is_not(None))
        .group_by(AppraisalCount.opd_id)
        .order_by(sa.func.sum(AppraisalCount.delta).desc())
        .limit(1)
    )
    # The kepala: the OPD's position whose parent lies outside it (the Sekda) or is none.
    inside = sa.select(Position.id).where(Position.opd_id == opd_id)
    kepala = db.session.scalar(
        sa.select(Employee.id)
        .join(Position, Position.id == Employee.position_id)
        .where(
            Position.opd_id == opd_id,
            sa.or_(Position.parent_id.is_(None), Position.parent_id.not_in(inside)),
        )
        .order_by(Position.id)
        .limit(1)
    )
    today = date.today()
    found = {
        "period": period.name,
        "opd": db.session.get(Opd, opd_id).name,
        "opd_id": opd_id,
        "kepala_id": kepala,
        "appraisals": db.session.scalar(sa.select(sa.func.count(Appraisal.id))),
    }
    calls = [
        ("city_rows (every OPD)", lambda: progress.city_rows(period, today)),
        ("opd_rows (the largest OPD)", lambda: progress.opd_rows(period, opd_id, today)),
        ("team_rows (its kepala's team)", lambda: progress.team_rows(period, kepala, today)),
        ("holders (the OPD's)", lambda: progress.holders(period, today, opd_id=opd_id)),
        ("holders (the city's)", lambda: progress.holders(period, today)),
    ]
    return found, calls


def _summary(times: list[float]) -> dict:
    return {"p50_ms": statistics.median(times), "p95_ms": pages.p95(times)}


def measure_functions(url: str, calls: int) -> dict:
    """Each progress function's p50/p95 and statements, in process, against SELECT 1."""
    from app import create_app
    from app.extensions import db
    from config import DevelopmentConfig

    app = create_app(
        DevelopmentConfig,
        SQLALCHEMY_DATABASE_URI=url.replace("postgresql://", "postgresql+psycopg://", 1),
    )
    result: dict = {}
    with app.app_context():
        found, targets = _targets()
        result["targets"] = found
        floor = []
        for _ in range(calls):
            started = time.perf_counter()
            db.session.execute(sa.text("SELECT 1")).scalar()
            floor.append((time.perf_counter() - started) * 1000)
        result["floor"] = _summary(floor)
        for label, call in targets:
            seen: list[str] = []

            def record(conn, cursor, statement, *args, seen=seen):
                seen.append(statement)

            call()  # warm
            sa.event.listen(db.engine, "before_cursor_execute", record)
            call()
            sa.event.remove(db.engine, "before_cursor_execute", record)
            times = []
            for _ in range(calls):
                started = time.perf_counter()
                call()
                times.append((time.perf_counter() - started) * 1000)
            result[label] = _summary(times) | {"statements": len(seen)}
            result[label]["ratio"] = result[label]["p95_ms"] / result["floor"]["p95_ms"]
        db.session.remove()
        db.engine.dispose()
    return result


def measure_pages(url: str, targets: dict, requests: int) -> dict:
    """The monitor's pages over HTTP against /healthz; {} when none exists yet."""
    paths = {
        "GET /monitor": "/monitor",
        "GET /monitor/opd/<id>": f"/monitor/opd/{targets['opd_id']}",
        "GET /monitor/team/<employee_id>": f"/monitor/team/{targets['kepala_id']}",
    }
    result: dict = {}
    with tempfile.TemporaryDirectory() as folder, pages.serve(url, 2, Path(folder) / "log") as port:
        admin = pages.Client(port)
        admin.login(ADMIN_NIP, PASSWORD)
        live = {label: path for label, path in paths.items()
                if admin.request("GET", path)[0] == 200}  # fmt: skip
        if not live:
            return {}
        floor = pages.latencies(
            port, "", pages.Target("floor", "floor", "/healthz", False), requests
        )
        result["floor"] = _summary(floor)
        for label, path in live.items():
            times = pages.latencies(port, admin.cookie, pages.Target(label, "page", path), requests)
            result[label] = _summary(times)
            result[label]["ratio"] = result[label]["p95_ms"] / result["floor"]["p95_ms"]
    return result


def figures(before: dict, after: dict, years: int) -> list[dict]:
    """Rows for bench/run.py's table: each function and page, without and with the history."""
    rows = []
    for kind in ("functions", "pages"):
        for label, first in before[kind].items():
            if label in ("floor", "targets") or label not in after[kind]:
                continue
            second = after[kind][label]
            growth = second["p95_ms"] / first["p95_ms"]
            value = (
                f"p95 {first['p95_ms']:.2f} -> {second['p95_ms']:.2f} ms "
                f"({first['ratio']:.1f}x -> {second['ratio']:.1f}x floor)"
            )
            if "statements" in first:
                value += f", {first['statements']} -> {second['statements']} statements"
            same = first.get("statements") == second.get("statements")
            rows.append(
                {
                    "figure": f"monitor {label}, +{years} years",
                    "value": value,
                    "budget": f"<= {GROWTH_BUDGET:.2f}x, same statements",
                    "ok": growth <= GROWTH_BUDGET and same,
                }
            )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=25000)
    parser.add_argument("--years", type=int, default=5, help="past years of finished SKP")
    parser.add_argument("--calls", type=int, default=200, help="per function, per phase")
    parser.add_argument("--requests", type=int, default=200, help="per page, per phase")
    parser.add_argument("--database", metavar="URL", help="a database that holds the city")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args()

    url = args.database or pages.create_database()
    result: dict = {"employees": args.employees, "years": args.years}
    try:
        if not args.database:
            print(f"seeding {args.employees:,} employees ...", file=sys.stderr, flush=True)
            started = time.perf_counter()
            pages.flask(url, "db", "upgrade")
            pages.flask(url, "seed-demo", "--employees", str(args.employees),
                        "--skm-responses", "0")  # fmt: skip
            result["seed_seconds"] = time.perf_counter() - started
        for phase in ("before", "after"):
            if phase == "after":
                print(f"adding {args.years} years of history ...", file=sys.stderr, flush=True)
                started = time.perf_counter()
                pages.flask(url, "seed-demo", "--employees", str(args.employees),
                            "--skm-responses", "0", "--history-years", str(args.years))  # fmt: skip
                result["history_seconds"] = time.perf_counter() - started
            # As the every-minute compaction would have; and the rows checked against a recount.
            checked = subprocess.run(
                [str(pages.ROOT / ".venv/bin/flask"), "--app", "wsgi", "dashboard", "counts",
                 "--compact"],
                cwd=pages.ROOT, env=pages.app_env(url), capture_output=True, text=True,
            ).stdout.strip()  # fmt: skip
            print(f"  {checked.replace(chr(10), '; ')}", file=sys.stderr, flush=True)
            pages.vacuum(url)
            result[f"counts_{phase}"] = checked
            print(f"measuring ({phase} the history) ...", file=sys.stderr, flush=True)
            functions = measure_functions(url, args.calls)
            result[phase] = {
                "functions": functions,
                "pages": measure_pages(url, functions["targets"], args.requests),
            }
    finally:
        if args.keep and not args.database:
            print(f"kept database: {url}", file=sys.stderr)
        elif not args.database:
            pages.drop_database(url)
    rows = figures(result["before"], result["after"], args.years)
    result["figures"] = rows
    if args.json:
        print(json.dumps(result, indent=2, default=str))
        return 0
    for phase in ("before", "after"):
        targets = result[phase]["functions"]["targets"]
        print(f"\n{phase} the history: {targets['appraisals']:,} appraisals; {targets['period']}, "
              f"{targets['opd']}")  # fmt: skip
        for kind in ("functions", "pages"):
            for label, figure in result[phase][kind].items():
                if label == "targets":
                    continue
                extra = f"  {figure['ratio']:.1f}x floor" if "ratio" in figure else ""
                extra += f"  {figure['statements']} statements" if "statements" in figure else ""
                times = f"p50 {figure['p50_ms']:7.2f} ms  p95 {figure['p95_ms']:7.2f} ms"
                print(f"  {label:<34} {times}{extra}")
    seeded = {k: f"{v:.0f} s" for k, v in result.items() if k.endswith("_seconds")}
    print(f"\n{seeded}" if seeded else "")
    pages.print_table(rows)
    return 0 if all(row["ok"] is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
