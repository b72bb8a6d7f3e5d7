"""The SKM budgets of DESIGN.md §7 on PostgreSQL.

- the seconds to compute every unit layanan's IKM for a year of responses (one
  grouped query and the formula per unit; budget <= 2 s for 1,000,000 responses),
  the median of --repeats runs in one process, after a warm-up;
- the public IKM pages (`/ikm`, `/ikm/<code>`) under gunicorn: p95 latency at ONE
  client as a ratio to the `/healthz` (SELECT 1) floor of the same run (budget 4x),
  and their SQL statements (budget 10), as bench/pages.py measures the other pages;
- whole SKM form submissions per second (GET the form, POST it) from four visitors
  under gunicorn with two workers (budget 200/s).

    .venv/bin/python bench/skm.py                          # seed 1,000,000, measure, drop
    .venv/bin/python bench/skm.py --responses 100000 --json
    .venv/bin/python bench/skm.py --database URL           # an already seeded database
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import pages  # noqa: E402 - the sibling script

IKM_BUDGET_SECONDS = 2.0
BUDGET_RESPONSES = 1_000_000
SUBMISSIONS_BUDGET = 200  # per second, DESIGN.md §7

# Run inside the app (production settings) on the seeded database: every unit's IKM
# for this year, timed; prints JSON.
IKM_PROGRAM = """
import json, statistics, sys, time
from datetime import date
import sqlalchemy as sa
from app import create_app
from app.extensions import db
from app.feedback.index import SkmPeriod, sums_by_unit
from app.models import ServiceUnit, SkmResponse

repeats = int(sys.argv[1])
app = create_app()
with app.app_context():
    period = SkmPeriod(date.today().year, "year")
    responses = db.session.scalar(
        sa.select(sa.func.count()).where(SkmResponse.served_on.between(period.start, period.end))
    )
    units = db.session.scalar(sa.select(sa.func.count()).select_from(ServiceUnit))
    code = db.session.scalar(
        sa.select(ServiceUnit.code).join(SkmResponse).group_by(ServiceUnit.code)
        .order_by(sa.func.count().desc()).limit(1)
    )
    results = None
    times = []
    for _ in range(repeats + 1):  # the first run warms the cache and is dropped
        db.session.rollback()
        started = time.perf_counter()
        results = {unit_id: s.result for unit_id, s in sums_by_unit(period).items()}
        times.append(time.perf_counter() - started)
    print(json.dumps({
        "seconds": statistics.median(times[1:]), "runs": times[1:], "responses": responses,
        "units": units, "units_with_responses": len(results), "busiest_unit": code,
    }))
"""


def every_unit_ikm(url: str, repeats: int) -> dict:
    """Time every unit's IKM for this year in a process of the app; its JSON."""
    result = subprocess.run(
        [str(pages.ROOT / ".venv/bin/python"), "-c", IKM_PROGRAM, str(repeats)],
        cwd=pages.ROOT,
        env=pages.app_env(url),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def public_pages(url: str, code: str, requests: int, repeats: int) -> dict:
    """p95 of the public pages and of the floor at one client, the median of `repeats`."""
    targets = [
        pages.Target(pages.FLOOR, "floor", "/healthz", signed_in=False),
        pages.Target("GET /ikm (public, city)", "ikm-city", "/ikm", signed_in=False),
        pages.Target("GET /ikm/<code> (public, unit)", "ikm-unit", f"/ikm/{code}", signed_in=False),
    ]
    with tempfile.TemporaryDirectory() as folder:
        log_path = Path(folder) / "requests.log"
        with pages.serve(url, 2, log_path) as port:
            runs = [
                {t.label: pages.latencies(port, "", t, requests) for t in targets}
                for _ in range(repeats)
            ]
        counted = pages.statements(log_path)
    result = {}
    for target in targets:
        ratios = [pages.p95(run[target.label]) / pages.p95(run[pages.FLOOR]) for run in runs]
        result[target.label] = {
            "p50_ms": statistics.median(statistics.median(run[target.label]) for run in runs),
            "p95_ms": statistics.median(pages.p95(run[target.label]) for run in runs),
            "p95_ratio": statistics.median(ratios),
            "statements": counted.get(target.slug),
        }
    return result


HIDDEN = re.compile(r'<input[^>]*name="(csrf_token|token)"[^>]*value="([^"]*)"')
SERVICE = re.compile(r'<option[^>]*value="([1-9][0-9]*)"')
SUBMIT_CLIENTS = 4
SUBMIT_SECONDS = 10.0


def _submit(port: int, code: str, served_on: str, start_at: float, stop_at: float) -> int:
    """One visitor process: whole submissions (the form's GET, then its POST) completed
    between start_at and stop_at. Each answer differs (the comment), as people's do."""
    client = pages.Client(port)
    path = f"/umpan-balik/{code}"
    done = 0
    while time.time() < start_at:
        time.sleep(0.001)
    while time.time() < stop_at:
        status, page = client.request("GET", path)
        if status != 200:
            return -1
        form = dict(HIDDEN.findall(page))
        service = SERVICE.search(page)
        form |= {f"u{i}": str(1 + (done + i) % 4) for i in range(1, 10)}
        form |= {
            "service_kind_id": service.group(1) if service else "",
            "served_on": served_on, "gender": "P", "age": "34", "education": "sma",
            "occupation": "swasta", "website": "",
            "comment": f"Antrean ke-{done} dari pengunjung {os.getpid()}.",
        }  # fmt: skip
        status, _ = client.request("POST", path, form)
        if status != 303:
            return -1
        done += 1
    return done


def submissions_per_second(url: str, code: str) -> float:
    """Whole SKM form submissions per second (GET the form, POST it: the one-time token
    makes every submission two requests) from SUBMIT_CLIENTS visitors under gunicorn with
    two workers, the per-address limit lifted (every visitor here is 127.0.0.1)."""
    from zoneinfo import ZoneInfo

    served_on = datetime.now(ZoneInfo("Asia/Jakarta")).date().isoformat()
    os.environ["SKM_RATE_LIMIT"] = "1000000 per minute"
    try:
        with (
            tempfile.TemporaryDirectory() as folder,
            pages.serve(url, 2, Path(folder) / "requests.log") as port,
        ):
            start_at = time.time() + 0.5
            args = [(port, code, served_on, start_at, start_at + SUBMIT_SECONDS)]
            with multiprocessing.get_context("fork").Pool(SUBMIT_CLIENTS) as pool:
                counts = pool.starmap(_submit, args * SUBMIT_CLIENTS)
    finally:
        del os.environ["SKM_RATE_LIMIT"]
    if min(counts) < 0:
        raise SystemExit(f"POST /umpan-balik/{code}: refused under load")
    return sum(counts) / SUBMIT_SECONDS


def figures(result: dict) -> list[dict]:
    ikm = result["ikm"]
    full = ikm["responses"] >= BUDGET_RESPONSES
    rows = [
        {
            "figure": f"IKM of every unit ({ikm['units']} units), a year of "
            f"{ikm['responses']:,} responses",
            "value": f"{ikm['seconds']:.3f} s",
            "budget": f"<= {IKM_BUDGET_SECONDS:.0f} s at {BUDGET_RESPONSES:,}",
            # At a smaller scale the figure is shown but not judged.
            "ok": ikm["seconds"] <= IKM_BUDGET_SECONDS if full else None,
        }
    ]
    for label, page in result["pages"].items():
        if label == pages.FLOOR:
            continue
        rows.append(
            {
                "figure": f"{label}, 1 client",
                "value": f"p95 {page['p95_ms']:.1f} ms = {page['p95_ratio']:.1f}x floor",
                "budget": f"<= {pages.LATENCY_BUDGET:.0f}x floor",
                "ok": page["p95_ratio"] <= pages.LATENCY_BUDGET,
            }
        )
        count = page["statements"]
        rows.append(
            {
                "figure": f"{label}, SQL statements",
                "value": "?" if count is None else str(count),
                "budget": f"<= {pages.STATEMENT_BUDGET}",
                "ok": count is not None and count <= pages.STATEMENT_BUDGET,
            }
        )
    rate = result.get("submissions_per_second")
    rows.append(
        {
            "figure": "SKM form submissions/s (PostgreSQL, gunicorn)",
            "value": "not measured" if rate is None else f"{rate:.0f}/s",
            "budget": f">= {SUBMISSIONS_BUDGET}/s",
            "ok": None if rate is None else rate >= SUBMISSIONS_BUDGET,
        }
    )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", metavar="URL", help="measure this seeded database")
    parser.add_argument("--responses", type=int, default=BUDGET_RESPONSES)
    parser.add_argument("--employees", type=int, default=2000, help="the city beside them")
    parser.add_argument("--requests", type=int, default=300, help="per page, per run")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args()

    url = args.database or pages.create_database()
    result: dict = {}
    try:
        if not args.database:
            print(f"seeding {args.responses:,} responses ...", file=sys.stderr, flush=True)
            started = time.perf_counter()
            pages.flask(url, "db", "upgrade")
            pages.flask(url, "seed-demo", "--employees", str(args.employees),
                        "--skm-responses", str(args.responses))  # fmt: skip
            result["seed_seconds"] = time.perf_counter() - started
        print("computing every unit's IKM ...", file=sys.stderr, flush=True)
        result["ikm"] = every_unit_ikm(url, args.repeats)
        print("measuring the public pages ...", file=sys.stderr, flush=True)
        code = result["ikm"]["busiest_unit"] or "PKM-PDB"
        result["pages"] = public_pages(url, code, args.requests, args.repeats)
        print("submitting the public form ...", file=sys.stderr, flush=True)
        result["submissions_per_second"] = submissions_per_second(url, code)
    finally:
        if not args.database:
            pages.drop_database(url)
    rows = figures(result)
    if args.json:
        print(json.dumps(result | {"figures": rows}, indent=2))
    else:
        pages.print_table(rows)
    return 0 if all(row["ok"] is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
