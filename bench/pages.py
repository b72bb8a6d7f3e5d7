"""Page latency and throughput against the DESIGN.md §7 budgets (a script, not a test).

Builds a PostgreSQL database, loads the demo and a city (--employees, default
25,000), serves it with gunicorn in production mode, and measures over real
HTTP, against `/healthz` (one SELECT 1) on the same stack and in the same run:

- latency at ONE client (with more, the floor itself queues and every ratio
  looks better than it is): the inbox, an appraisal page, home and a transition
  POST each within 4x the floor's p95;
- saturation throughput with every core busy (2 clients per gunicorn worker):
  each page at least 1/4 of the floor's requests/s;
- SQL statements per page (from the request log's `queries`): at most 10.

Each figure is measured --repeats times (default 3) and the median is kept.

    .venv/bin/python bench/pages.py                      # seed 25,000, measure, drop
    .venv/bin/python bench/pages.py --employees 0 --json  # the demo only; JSON on stdout
    .venv/bin/python bench/pages.py --database URL       # an already seeded database
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("SIKAP_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
LATENCY_BUDGET = 4.0  # page p95 / floor p95, one client
THROUGHPUT_BUDGET = 0.25  # page requests/s / floor requests/s, saturated
STATEMENT_BUDGET = 10
FLOOR = "GET /healthz (SELECT 1)"
RETURN = "/appraisals/%s/act/return_plan"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    """A minimal keep-alive HTTP client that carries the session cookie by hand.

    (Production cookies are Secure; over plain HTTP on loopback a cookie jar
    would drop them.)
    """

    def __init__(self, port: int, cookie: str = ""):
        self.conn = HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = cookie

    def request(
        self, method: str, path: str, form: dict | None = None, tag: str = ""
    ) -> tuple[int, str]:
        headers = {"Accept": "text/html", "Cookie": self.cookie}
        if tag:
            headers["X-Request-ID"] = tag
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith(("session=", "__Host-sikap=")):
                self.cookie = value.split(";", 1)[0]
        return response.status, text

    def login(self, nip: str, password: str) -> None:
        _, page = self.request("GET", "/login")
        token = CSRF.search(page).group(1)
        status, _ = self.request(
            "POST", "/login", {"csrf_token": token, "login": nip, "password": password}
        )
        if status != 302:
            raise SystemExit(f"could not sign in as {nip} (HTTP {status})")


# -- the database -------------------------------------------------------------------------


def create_database() -> str:
    """A new empty database on the PostgreSQL server; its URL."""
    name = f"sikap_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"{PG}/{name}"


def drop_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def app_env(url: str) -> dict:
    return {
        **os.environ,
        "SIKAP_ENV": "production",
        "SECRET_KEY": "bench-only",
        "DATABASE_URL": url,
        "PYTHONWARNINGS": "ignore",
        # The benchmark tags requests so that the log's SQL counts can be told apart.
        "TRUST_REQUEST_ID": "1",
    }


def flask(url: str, *args: str) -> str:
    result = subprocess.run(
        [str(ROOT / ".venv/bin/flask"), "--app", "wsgi", *args],
        cwd=ROOT,
        env=app_env(url),
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def seed(url: str, employees: int) -> float:
    """Migrate and load the demo plus a city of `employees`; seconds taken."""
    started = time.perf_counter()
    flask(url, "db", "upgrade")
    flask(url, "seed-demo", *(["--employees", str(employees)] if employees else []))
    vacuum(url)
    return time.perf_counter() - started


def vacuum(url: str) -> None:
    """VACUUM ANALYZE after a bulk load, as autovacuum would on a production server.

    This machine's PostgreSQL runs with autovacuum off: without planner statistics
    the plans fit an empty database, and without the visibility map no index-only
    scan is chosen.
    """
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("VACUUM ANALYZE")


def demo_login(url: str) -> tuple[str, str]:
    """The demo atasan's NIP and password (seed-demo is idempotent and prints them)."""
    output = flask(url, "seed-demo")
    nip = re.search(r"^\s+atasan\s+NIP (\d{18})", output, re.M).group(1)
    password = re.search(r"password of newly created accounts: (\S+)\)", output).group(1)
    return nip, password


# -- the server ---------------------------------------------------------------------------


@contextmanager
def serve(url: str, workers: int, log_path: Path):
    """gunicorn in production mode on a free port, its request log in `log_path`."""
    port = free_port()
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}",
             "--log-level", "warning", "wsgi:app"],
            cwd=ROOT, env=app_env(url), start_new_session=True, stderr=log,
        )  # fmt: skip
    try:
        for _ in range(150):
            try:
                Client(port).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not start")
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


# -- measuring ----------------------------------------------------------------------------


@dataclass
class Target:
    label: str
    slug: str
    path: str
    signed_in: bool = True


def latencies(port: int, cookie: str, target: Target, n: int) -> list[float]:
    """Milliseconds of n sequential requests from one keep-alive client."""
    client = Client(port, cookie if target.signed_in else "")
    client.request("GET", target.path)  # warm the connection
    times = []
    for i in range(n):
        start = time.perf_counter()
        status, _ = client.request("GET", target.path, tag=f"bench-{target.slug}-{i:06d}")
        times.append((time.perf_counter() - start) * 1000)
        if status != 200:
            raise SystemExit(f"GET {target.path}: HTTP {status}")
    return times


def _saturate(port: int, cookie: str, path: str, start_at: float, stop_at: float) -> int:
    """One client process: requests completed between start_at and stop_at (wall clock)."""
    client = Client(port, cookie)
    client.request("GET", path)
    while time.time() < start_at:
        time.sleep(0.001)
    done = 0
    while time.time() < stop_at:
        status, _ = client.request("GET", path)
        if status != 200:
            return -1
        done += 1
    return done


def throughput(port: int, cookie: str, target: Target, clients: int, seconds: float) -> float:
    """Requests/s with `clients` client processes (one connection each) for `seconds`."""
    start_at = time.time() + 0.5
    args = [
        (port, cookie if target.signed_in else "", target.path, start_at, start_at + seconds)
    ] * clients
    with multiprocessing.get_context("fork").Pool(clients) as pool:
        counts = pool.starmap(_saturate, args)
    if min(counts) < 0:
        raise SystemExit(f"GET {target.path}: an error under load")
    return sum(counts) / seconds


def transition_posts(port: int, cookie: str, url: str, appraisal_id: str, n: int) -> list[float]:
    """Milliseconds of n `return_plan` POSTs (the web form's path) on one appraisal.

    Between two POSTs the script puts the appraisal back in SQL (not measured).
    """
    client = Client(port, cookie)
    path = RETURN % appraisal_id
    times = []
    with psycopg.connect(url, autocommit=True) as db:
        state = db.execute("SELECT state FROM appraisal WHERE id = %s", (appraisal_id,))
        state = state.fetchone()[0]
        for i in range(n):
            _, page = client.request("GET", path)
            token = CSRF.search(page).group(1)
            version = re.search(r'name="version"[^>]*value="(\d+)"', page)
            if version is None:
                raise SystemExit(f"{path} offers no form (state {state})")
            form = {"csrf_token": token, "version": version.group(1), "comment": "Bench"}
            start = time.perf_counter()
            status, _ = client.request("POST", path, form, tag=f"bench-transition-{i:06d}")
            times.append((time.perf_counter() - start) * 1000)
            if status != 302:
                raise SystemExit(f"transition POST answered {status}")
            db.execute(
                "UPDATE task SET closed_at = now() WHERE appraisal_id = %s AND closed_at IS NULL",
                (appraisal_id,),
            )
            db.execute(
                "INSERT INTO task (appraisal_id, state, role, assignee_id, due_date, opened_at)"
                " SELECT id, %s, 'appraiser', appraiser_id, current_date, now()"
                " FROM appraisal WHERE id = %s",
                (state, appraisal_id),
            )
            db.execute("UPDATE appraisal SET state = %s WHERE id = %s", (state, appraisal_id))
    return times


def statements(log_path: Path) -> dict[str, int]:
    """The most SQL statements any tagged request of each slug issued, from the request log."""
    most: dict[str, int] = {}
    for line in log_path.read_text().splitlines():
        if not line.startswith("{"):
            continue
        entry = json.loads(line)
        match = re.fullmatch(r"bench-(.+)-\d{6}", entry.get("request_id") or "")
        if match:
            slug = match.group(1)
            most[slug] = max(most.get(slug, 0), entry["queries"])
    return most


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[94]


def measure(
    url: str, *, workers: int, requests: int, seconds: float, repeats: int, saturate: bool = True
) -> dict:
    """Every figure of the pages, the median of `repeats` runs; a dict for JSON."""
    with tempfile.TemporaryDirectory() as folder:
        log_path = Path(folder) / "requests.log"
        with serve(url, workers, log_path) as port:
            nip, password = demo_login(url)
            atasan = Client(port)
            atasan.login(nip, password)
            _, inbox = atasan.request("GET", "/inbox")
            ids = re.findall(r'href="/appraisals/(\d+)"', inbox)
            if not ids:
                raise SystemExit("the atasan's inbox is empty; nothing to measure")
            returnable = next(
                (i for i in ids if 'name="version"' in atasan.request("GET", RETURN % i)[1]), None
            )
            # The page measured is another appraisal: each POST adds to the history it shows.
            shown = next((i for i in ids if i != returnable), None)
            if returnable is None or shown is None:
                raise SystemExit("the inbox needs a plan to return and another appraisal")
            targets = [
                Target(FLOOR, "floor", "/healthz", signed_in=False),
                Target("GET /inbox", "inbox", "/inbox"),
                Target("GET /appraisals/<id>", "appraisal", f"/appraisals/{shown}"),
                Target("GET / (home)", "home", "/"),
            ]
            runs = []
            for _ in range(repeats):
                cookie = atasan.cookie
                run = {t.label: {"ms": latencies(port, cookie, t, requests)} for t in targets}
                posts = transition_posts(port, cookie, url, returnable, max(20, requests // 5))
                run["POST return_plan (transition)"] = {"ms": posts}
                for t in targets if saturate else ():
                    run[t.label]["rps"] = throughput(port, atasan.cookie, t, workers * 2, seconds)
                runs.append(run)
        counted = statements(log_path)

    slugs = {t.label: t.slug for t in targets} | {"POST return_plan (transition)": "transition"}
    pages = {}
    for label, slug in slugs.items():
        ratios = [p95(run[label]["ms"]) / p95(run[FLOOR]["ms"]) for run in runs]
        page = {
            "p50_ms": statistics.median(statistics.median(run[label]["ms"]) for run in runs),
            "p95_ms": statistics.median(p95(run[label]["ms"]) for run in runs),
            "p95_ratio": statistics.median(ratios),
            "p95_ratios": [round(r, 2) for r in ratios],
            "statements": counted.get(slug),
        }
        if "rps" in runs[0][label]:
            shares = [run[label]["rps"] / run[FLOOR]["rps"] for run in runs]
            page["rps"] = statistics.median(run[label]["rps"] for run in runs)
            page["rps_share"] = statistics.median(shares)
        pages[label] = page
    return {
        "requests_per_run": requests,
        "repeats": repeats,
        "workers": workers,
        "saturation_clients": workers * 2,
        "saturation_seconds": seconds,
        "pages": pages,
    }


def figures(result: dict) -> list[dict]:
    """The measured pages as rows: figure, value, budget, ok (None: no budget)."""
    rows = []
    pages = result["pages"]
    floor = pages[FLOOR]
    for label, page in pages.items():
        if label == FLOOR:
            value = f"p95 {page['p95_ms']:.1f} ms (p50 {page['p50_ms']:.1f})"
            rows.append({"figure": f"{label}, 1 client", "value": value, "budget": "", "ok": None})
        else:
            value = (
                f"p95 {page['p95_ms']:.1f} ms = {page['p95_ratio']:.1f}x floor "
                f"(p50 {page['p50_ms']:.1f})"
            )
            rows.append(
                {
                    "figure": f"{label}, 1 client",
                    "value": value,
                    "budget": f"<= {LATENCY_BUDGET:.0f}x floor",
                    "ok": page["p95_ratio"] <= LATENCY_BUDGET,
                }
            )
    clients = result["saturation_clients"]
    for label, page in pages.items():
        if "rps" not in page:
            continue
        if label == FLOOR:
            value, budget, ok = f"{page['rps']:.0f} req/s", "", None
        else:
            value = f"{page['rps']:.0f} req/s = {page['rps_share']:.2f} of floor"
            budget = f">= {floor['rps'] / 4:.0f} req/s (1/4)"
            ok = page["rps_share"] >= THROUGHPUT_BUDGET
        rows.append(
            {"figure": f"{label}, {clients} clients", "value": value, "budget": budget, "ok": ok}
        )
    for label, page in pages.items():
        if label == FLOOR:
            continue
        count = page["statements"]
        rows.append(
            {
                "figure": f"{label}, SQL statements",
                "value": "?" if count is None else str(count),
                "budget": f"<= {STATEMENT_BUDGET}",
                "ok": count is not None and count <= STATEMENT_BUDGET,
            }
        )
    return rows


def print_table(rows: list[dict]) -> None:
    width = max(len(row["figure"]) for row in rows) + 2
    value_width = max(len(row["value"]) for row in rows) + 2
    print(f"{'figure':<{width}}{'measured':<{value_width}}{'budget':<26}")
    for row in rows:
        flag = "OVER" if row["ok"] is False else ""
        print(f"{row['figure']:<{width}}{row['value']:<{value_width}}{row['budget']:<26}{flag}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=25000, help="city size (0: demo only)")
    parser.add_argument("--database", metavar="URL", help="measure this seeded database")
    parser.add_argument("--requests", type=int, default=300, help="per page, per run")
    parser.add_argument("--seconds", type=float, default=3.0, help="saturation, per page")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--latency-only", action="store_true", help="one client only, no saturation runs"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args()

    url = args.database or create_database()
    result: dict = {}
    try:
        if not args.database:
            print(f"seeding {args.employees} employees ...", file=sys.stderr, flush=True)
            result["seed_seconds"] = seed(url, args.employees)
        result |= measure(
            url,
            workers=args.workers,
            requests=args.requests,
            seconds=args.seconds,
            repeats=args.repeats,
            saturate=not args.latency_only,
        )
    finally:
        if args.keep and not args.database:
            print(f"kept database: {url}", file=sys.stderr)
        elif not args.database:
            drop_database(url)
    rows = figures(result)
    if args.json:
        print(json.dumps(result | {"figures": rows}, indent=2))
    else:
        print_table(rows)
    return 0 if all(row["ok"] is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
