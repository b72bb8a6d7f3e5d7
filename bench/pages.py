"""Page latency against the DESIGN.md §7 budgets (a script, not a test).

Builds a PostgreSQL database, loads the demo (or a city with --employees),
serves it with gunicorn in production mode, and measures each page's latency
over real HTTP against `/healthz` (one SELECT 1) on the same stack and run:
inbox, appraisal page and home within 4x at p95, a transition POST within 6x.
It also counts SQL statements per page from the database's own statistics.

    .venv/bin/python bench/pages.py --requests 300 --concurrency 4
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PG = "postgresql://postgres@127.0.0.1:5432"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
BUDGET = {"GET": 4.0, "POST": 6.0}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    """A minimal keep-alive HTTP client that carries the session cookie by hand.

    (Production cookies are Secure; over plain HTTP on loopback a cookie jar
    would drop them.)
    """

    def __init__(self, port: int):
        self.conn = HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = ""

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, dict]:
        headers = {"Accept": "text/html", "Cookie": self.cookie}
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
        return response.status, text, dict(response.getheaders())

    def login(self, nip: str, password: str) -> None:
        _, page, _ = self.request("GET", "/login")
        token = CSRF.search(page).group(1)
        status, _, _ = self.request(
            "POST", "/login", {"csrf_token": token, "login": nip, "password": password}
        )
        if status != 302:
            raise SystemExit(f"could not sign in as {nip} (HTTP {status})")


def flask(env: dict, *args: str) -> str:
    result = subprocess.run(
        [str(ROOT / ".venv/bin/flask"), "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def measure(
    port: int, cookie: str, method: str, path: str, n: int, concurrency: int, make_form=None
):
    """Latencies in ms of n requests spread over `concurrency` keep-alive clients."""

    def worker(count: int) -> list[float]:
        client = Client(port)
        client.cookie = cookie
        times = []
        for i in range(count):
            form = make_form(client, i) if make_form else None
            start = time.perf_counter()
            status, _, _ = client.request(method, path if not callable(path) else path(i), form)
            times.append((time.perf_counter() - start) * 1000)
            if status >= 500:
                raise SystemExit(f"{method} {path}: HTTP {status}")
        return times

    share = [n // concurrency + (1 if i < n % concurrency else 0) for i in range(concurrency)]
    with ThreadPoolExecutor(concurrency) as pool:
        return [t for part in pool.map(worker, share) for t in part]


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--employees", type=int, default=0, help="seed a city of this size")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    name = f"sikap_bench_{os.getpid()}"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"{PG}/{name}"
    env = {
        **os.environ,
        "SIKAP_ENV": "production",
        "SECRET_KEY": "bench-only",
        "DATABASE_URL": url,
        "PYTHONWARNINGS": "ignore",
    }
    server = None
    try:
        print(f"database {name}: migrating and seeding ...", flush=True)
        flask(env, "db", "upgrade")
        seed_args = ["seed-demo"] + (["--employees", str(args.employees)] if args.employees else [])
        output = flask(env, *seed_args)
        logins = dict(re.findall(r"^\s+(\w+)\s+NIP (\d{18})", output, re.M))
        password = re.search(r"password of newly created accounts: (\S+)\)", output).group(1)

        port = free_port()
        server = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "-w", str(args.workers), "-b", f"127.0.0.1:{port}",
             "--log-level", "warning", "wsgi:app"],
            cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        for _ in range(100):
            try:
                Client(port).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.2)

        atasan = Client(port)
        atasan.login(logins["atasan"], password)
        _, inbox, _ = atasan.request("GET", "/inbox")
        appraisal_ids = re.findall(r'href="/appraisals/(\d+)"', inbox)
        if not appraisal_ids:
            raise SystemExit("the atasan's inbox is empty; nothing to measure")
        target = appraisal_ids[0]

        with psycopg.connect(url, autocommit=True) as db:
            state = db.execute("SELECT state FROM appraisal WHERE id = %s", (target,)).fetchone()[0]

        n, c = args.requests, args.concurrency
        print(f"measuring {n} requests per page, {c} concurrent clients, {args.workers} workers")
        page = f"/appraisals/{target}"
        results = {
            "GET /healthz (SELECT 1)": measure(port, "", "GET", "/healthz", n, c),
            "GET /inbox": measure(port, atasan.cookie, "GET", "/inbox", n, c),
            f"GET {page}": measure(port, atasan.cookie, "GET", page, n, c),
            "GET / (home)": measure(port, atasan.cookie, "GET", "/", n, c),
        }

        # A transition POST: the same path as the web form, measured one at a time on one
        # appraisal, which the script puts back (not measured) between the requests.
        posts = []
        client = Client(port)
        client.cookie = atasan.cookie
        with psycopg.connect(url, autocommit=True) as db:
            for _ in range(max(20, n // 5)):
                _, page, _ = client.request("GET", f"/appraisals/{target}/act/return_plan")
                token = CSRF.search(page).group(1)
                version = re.search(r'name="version"[^>]*value="(\d+)"', page)
                if version is None:
                    break
                form = {"csrf_token": token, "version": version.group(1), "comment": "Bench"}
                start = time.perf_counter()
                status, _, _ = client.request("POST", f"/appraisals/{target}/act/return_plan", form)
                posts.append((time.perf_counter() - start) * 1000)
                if status != 302:
                    raise SystemExit(f"transition POST answered {status}")
                db.execute(
                    "UPDATE task SET closed_at = now()"
                    " WHERE appraisal_id = %s AND closed_at IS NULL",
                    (target,),
                )
                db.execute(
                    "INSERT INTO task (appraisal_id, state, role, assignee_id, due_date, opened_at)"
                    " SELECT id, %s, 'appraiser', appraiser_id, current_date, now()"
                    " FROM appraisal WHERE id = %s",
                    (state, target),
                )
                db.execute("UPDATE appraisal SET state = %s WHERE id = %s", (state, target))
        if posts:
            results["POST return_plan (transition)"] = posts

        base = p(results["GET /healthz (SELECT 1)"], 95)
        print(f"\n{'page':<38}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'p95/SELECT1':>13}{'budget':>8}")
        failed = False
        for label, values in results.items():
            ratio = p(values, 95) / base
            budget = BUDGET["POST" if label.startswith("POST") else "GET"]
            ok = "healthz" in label or ratio <= budget
            failed |= not ok
            shown_budget = "" if "healthz" in label else f"{budget:>6.0f}x"
            print(
                f"{label:<38}{len(values):>6}{statistics.median(values):>10.1f}"
                f"{p(values, 95):>10.1f}{ratio:>12.2f}x{shown_budget:>8}"
                f"{'' if ok else '  OVER BUDGET'}"
            )
        sys.exit(1 if failed else 0)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        if not args.keep:
            with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
