"""Every benchmark of DESIGN.md §7 in one run (`make bench`): one table, bench/results.json.

Seeds one PostgreSQL database with the demo and a city (--employees, default
25,000), measures the pages on it (bench/pages.py) and the SKM (bench/skm.py: every unit's
IKM over the city's million responses, the public IKM pages), then opens periods on the
same database (bench/open_period.py --database), measures the monitor's figures before
and after adding five years of history (bench/monitoring.py --database), the outbox
(bench/outbox.py, on its own scratch database) and drops what it created.
Prints one table (figure, measured value, budget, OVER where it misses) and
writes it with the machine's description to bench/results.json. Exits 1 when a
figure misses its budget.

    .venv/bin/python bench/run.py [--employees 25000] [--requests 300] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import pages  # noqa: E402 - the sibling script

PYTHON = str(HERE.parent / ".venv/bin/python")


def script(name: str, *args: str) -> dict:
    """Run bench/<name> with --json; its JSON (progress goes to our stderr)."""
    result = subprocess.run(
        [PYTHON, str(HERE / name), *args, "--json"],
        cwd=HERE.parent,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError:
        raise SystemExit(f"bench/{name} failed (exit {result.returncode})") from None


def machine() -> dict:
    """What the figures were measured on."""
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    with psycopg.connect(f"{pages.PG}/postgres") as conn:
        server = conn.execute("SHOW server_version").fetchone()[0]
    return {
        "nproc": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "postgresql": server,
        "python": platform.python_version(),
        "load_before": os.getloadavg()[0],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=25000)
    parser.add_argument("--requests", type=int, default=300, help="per page, per run")
    parser.add_argument("--seconds", type=float, default=3.0, help="saturation, per page")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--messages", type=int, default=2000, help="outbox mails")
    parser.add_argument("--output", default=str(HERE / "results.json"))
    args = parser.parse_args()

    started = time.perf_counter()
    results: dict = {"machine": machine(), "when": datetime.now(UTC).isoformat(timespec="seconds")}
    rows: list[dict] = []
    url = pages.create_database()
    try:
        print(f"seeding the demo and {args.employees:,} employees ...", file=sys.stderr, flush=True)
        seed_seconds = pages.seed(url, args.employees)
        rows.append(
            {
                "figure": f"Seed the demo and a city of {args.employees:,}",
                "value": f"{seed_seconds:.0f} s",
                "budget": "",
                "ok": None,
            }
        )
        print("measuring the pages ...", file=sys.stderr, flush=True)
        results["pages"] = pages.measure(
            url,
            workers=os.cpu_count() or 2,
            requests=args.requests,
            seconds=args.seconds,
            repeats=args.repeats,
        )
        rows += pages.figures(results["pages"])
        print("measuring the SKM ...", file=sys.stderr, flush=True)
        results["skm"] = script("skm.py", "--database", url)
        rows += results["skm"]["figures"]
        print("opening periods ...", file=sys.stderr, flush=True)
        results["open_period"] = script("open_period.py", "--database", url)
        rows += results["open_period"]["figures"]
        print("measuring the monitor, then with five years of history ...", file=sys.stderr,
              flush=True)  # fmt: skip
        results["monitoring"] = script(
            "monitoring.py", "--database", url, "--employees", str(args.employees)
        )
        rows += results["monitoring"]["figures"]
    finally:
        pages.drop_database(url)
    print("sending the outbox ...", file=sys.stderr, flush=True)
    results["outbox"] = script(
        "outbox.py", "--messages", str(args.messages), "--pg", f"{pages.PG}/postgres"
    )
    rows += results["outbox"]["figures"]

    total = time.perf_counter() - started
    rows.append({"figure": "make bench, all of it", "value": f"{total:.0f} s", "budget": "<= 600 s",
                 "ok": total <= 600})  # fmt: skip
    results["machine"]["load_after"] = os.getloadavg()[0]
    results["seed_seconds"] = seed_seconds
    results["total_seconds"] = total
    results["figures"] = rows
    Path(args.output).write_text(json.dumps(results, indent=2, default=str) + "\n")

    info = results["machine"]
    print(
        f"\n{info['nproc']} CPUs, {info['memory_gb']} GB, PostgreSQL {info['postgresql']}, "
        f"Python {info['python']}; load average {info['load_before']:.1f} before, "
        f"{info['load_after']:.1f} after"
    )
    pages.print_table(rows)
    print(f"\n(written to {os.path.relpath(args.output)})")
    return 0 if all(row["ok"] is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
