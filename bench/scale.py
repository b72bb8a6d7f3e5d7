"""National rehearsal (`make bench-scale`): the same figures at 25,000 and at 1,000,000 employees.

Not part of `make bench` (it takes 20-40 minutes). For each size, on a database
of its own on the PostgreSQL server (SIKAP_BENCH_PG):

1. migrate, load the demo (`flask seed-demo`) and generate the city
   (app.seed.city: COPY on PostgreSQL), timed;
2. open this year's annual period for every employee through the job runner
   (as the admin page's job and `flask periods open` do: a commit per chunk), timed;
3. serve it with gunicorn (production settings) and measure, at ONE client, the
   p95 of the inbox, an appraisal page and home (the demo atasan), and the
   progress dashboard of the largest OPD (the demo verifikator BKD), with the
   floor (`/healthz`) beside them; the median of --repeats runs.

Budgets (DESIGN.md §7, issue 17): opening at 1,000,000 <= 40x its time at
25,000 (linear); each page's p95 at 1,000,000 within 20 % of its 25,000 figure.
Prints one table (OVER where a figure misses) and writes bench/scale-results.json.

    .venv/bin/python bench/scale.py [--sizes 25000 1000000] [--requests 300] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import pages  # noqa: E402 - the sibling script

OPENING_FACTOR = 40.0  # 1,000,000 / 25,000: linear
PAGE_TOLERANCE = 1.2  # p95 within 20 % of the 25,000 figure
PYTHON = str(HERE.parent / ".venv/bin/python")


def seed_and_open(url: str, employees: int) -> dict:
    """The demo, the city and the opening of the annual period; seconds of each."""
    started = time.perf_counter()
    pages.flask(url, "db", "upgrade")
    pages.flask(url, "seed-demo")
    demo = time.perf_counter() - started
    # The city and the opening run in a child process that builds the app (see _child).
    output = subprocess.run(
        [PYTHON, __file__, "--child", url, str(employees)],
        cwd=HERE.parent,
        env=pages.app_env(url),
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    ).stdout
    return {"demo_seconds": demo, **json.loads(output.strip().splitlines()[-1])}


def _child(url: str, employees: int) -> None:
    """In-process: generate the city, commit, open the annual period through run_job."""
    sys.path.insert(0, str(HERE.parent))
    import sqlalchemy as sa

    from app import create_app
    from app.extensions import db
    from app.models import Appraisal, Employee
    from app.periods.jobs import run_job, start_open_job
    from app.seed.appraisals import annual_period
    from app.seed.city import seed_city

    app = create_app()
    with app.app_context():
        started = time.perf_counter()
        city = seed_city(employees, "bench-password-1")
        db.session.commit()
        seed_seconds = time.perf_counter() - started
        print(f"  city: {city.employees:,} employees in {seed_seconds:.0f} s", file=sys.stderr)
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        period = annual_period(datetime.now(UTC).year)
        job = start_open_job(period, None, actor=None, queued=False)
        db.session.commit()
        started = time.perf_counter()
        job = run_job(job.id)
        opening = time.perf_counter() - started
        print(f"  opening: {job.status} in {opening:.0f} s {job.counts_dict}", file=sys.stderr)
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        total = db.session.scalar(sa.select(sa.func.count(Employee.id)))
        appraisals = db.session.scalar(
            sa.select(sa.func.count(Appraisal.id)).where(Appraisal.period_id == period.id)
        )
        print(
            json.dumps(
                {
                    "employees": total,
                    "city_seconds": seed_seconds,
                    "opening_seconds": opening,
                    "opening_status": job.status,
                    "opening_counts": job.counts_dict,
                    "appraisals": appraisals,
                }
            )
        )


def login_of(url: str, role: str) -> tuple[str, str]:
    output = pages.flask(url, "seed-demo")
    nip = re.search(rf"^\s+{role}\s+NIP (\d{{18}})", output, re.M).group(1)
    password = re.search(r"password of newly created accounts: (\S+)\)", output).group(1)
    return nip, password


def largest_opd(url: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT opd_id FROM appraisal GROUP BY opd_id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]


def measure_pages(url: str, requests: int, repeats: int) -> dict:
    """p50/p95 ms of each page at one client, the median of `repeats` runs."""
    with (
        tempfile.TemporaryDirectory() as folder,
        pages.serve(url, os.cpu_count() or 2, Path(folder) / "requests.log") as port,
    ):
        atasan = pages.Client(port)
        atasan.login(*login_of(url, "atasan"))
        bkd = pages.Client(port)
        bkd.login(*login_of(url, "verifikator"))
        # /dashboard now redirects: time the monitor's OPD view it leads to.
        dashboard = f"/monitor/opd/{largest_opd(url)}"
        _, inbox = atasan.request("GET", "/inbox")
        shown = re.findall(r'href="/appraisals/(\d+)"', inbox)[0]
        targets = [
            (pages.Target(pages.FLOOR, "floor", "/healthz", signed_in=False), atasan),
            (pages.Target("GET /inbox", "inbox", "/inbox"), atasan),
            (pages.Target("GET /appraisals/<id>", "appraisal", f"/appraisals/{shown}"), atasan),
            (pages.Target("GET / (home)", "home", "/"), atasan),
            (pages.Target("GET /dashboard (largest OPD)", "dashboard", dashboard), bkd),
        ]
        runs = [
            {t.label: pages.latencies(port, who.cookie, t, requests) for t, who in targets}
            for _ in range(repeats)
        ]
    return {
        t.label: {
            "p50_ms": statistics.median(statistics.median(run[t.label]) for run in runs),
            "p95_ms": statistics.median(pages.p95(run[t.label]) for run in runs),
            "p95_runs": [round(pages.p95(run[t.label]), 2) for run in runs],
        }
        for t, _who in targets
    }


def figures(results: dict) -> list[dict]:
    """Rows of the table: each size's figures, the big size's against the small one's."""
    sizes = sorted(results["sizes"], key=int)
    base = results["sizes"][sizes[0]]
    rows = []
    for size in sizes:
        run = results["sizes"][size]
        big = size != sizes[0]
        factor = int(size) / int(sizes[0])
        rows.append(
            {
                "figure": f"Seed a city of {int(size):,}",
                "value": f"{run['city_seconds']:.0f} s",
                "budget": "",
                "ok": None,
            }
        )
        budget = base["opening_seconds"] * factor
        rows.append(
            {
                "figure": f"Open the annual period, {run['employees']:,} employees",
                "value": f"{run['opening_seconds']:.1f} s ({run['appraisals']:,} appraisals)",
                "budget": f"<= {budget:.0f} s ({factor:.0f}x)" if big else "",
                "ok": (run["opening_status"] == "done" and run["opening_seconds"] <= budget)
                if big
                else (None if run["opening_status"] == "done" else False),
            }
        )
        for label, page in run["pages"].items():
            value = f"p95 {page['p95_ms']:.1f} ms (p50 {page['p50_ms']:.1f})"
            if label != pages.FLOOR:
                # Beside it, the ratio to the same run's floor: less swayed by other load.
                value += f" = {page['p95_ms'] / run['pages'][pages.FLOOR]['p95_ms']:.1f}x floor"
            row = {"figure": f"{label} at {int(size):,}", "value": value, "budget": "", "ok": None}
            if big and label != pages.FLOOR:
                limit = base["pages"][label]["p95_ms"] * PAGE_TOLERANCE
                row["budget"] = f"<= {limit:.1f} ms (+20 %)"
                row["ok"] = page["p95_ms"] <= limit
            rows.append(row)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25000, 1000000])
    parser.add_argument("--requests", type=int, default=300, help="per page, per run")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--output", default=str(HERE / "scale-results.json"))
    parser.add_argument("--child", nargs=2, metavar=("URL", "EMPLOYEES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], int(args.child[1]))
        return 0

    results: dict = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "load_before": os.getloadavg()[0],
        "sizes": {},
    }
    started = time.perf_counter()
    for size in args.sizes:
        url = pages.create_database()
        try:
            print(f"{size:,} employees: seeding and opening ...", file=sys.stderr, flush=True)
            run = seed_and_open(url, size)
            print(f"{size:,} employees: measuring the pages ...", file=sys.stderr, flush=True)
            run["pages"] = measure_pages(url, args.requests, args.repeats)
            with psycopg.connect(url) as conn:
                run["database_size"] = conn.execute(
                    "SELECT pg_size_pretty(pg_database_size(current_database()))"
                ).fetchone()[0]
            run["load_after"] = os.getloadavg()[0]
            results["sizes"][str(size)] = run
            Path(args.output).write_text(json.dumps(results, indent=2, default=str) + "\n")
        finally:
            if args.keep:
                print(f"kept database: {url}", file=sys.stderr)
            else:
                pages.drop_database(url)
    results["total_seconds"] = time.perf_counter() - started
    results["load_after"] = os.getloadavg()[0]
    rows = figures(results)
    results["figures"] = rows
    Path(args.output).write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(
        f"\n{results['nproc']} CPUs; load average {results['load_before']:.1f} before, "
        f"{results['load_after']:.1f} after; {results['total_seconds'] / 60:.0f} min in all"
    )
    pages.print_table(rows)
    print(f"\n(written to {os.path.relpath(args.output)})")
    return 0 if all(row["ok"] is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
