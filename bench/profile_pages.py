"""Profile the benchmarked pages in-process with pyinstrument (a tool, not a test).

Builds the app in production mode on a seeded database (`bench/pages.py --keep`
prints one), signs in as the demo atasan, warms each page up and then profiles
n requests of it through Flask's test client. Prints CPU milliseconds per
request (less sensitive to a busy machine than wall time) and the profile.

    .venv/bin/python bench/profile_pages.py --database URL [--page inbox] [-n 200]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import pages  # noqa: E402 - the sibling script


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", metavar="URL", required=True)
    parser.add_argument(
        "--page",
        action="append",
        help="floor, inbox, appraisal, home, transition (default: all GETs)",
    )
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--appraisal", help="the appraisal page's id (default: the inbox's first)")
    parser.add_argument("--no-profile", action="store_true", help="only CPU ms per request")
    parser.add_argument(
        "--cpu", action="store_true", help="cProfile on CPU time (a busy machine skews wall time)"
    )
    parser.add_argument(
        "--sql", action="store_true", help="transition: print the last POST's statements"
    )
    parser.add_argument("--dump", metavar="PATH", help="with --cpu: write the stats to PATH.<page>")
    args = parser.parse_args()

    os.environ.update(pages.app_env(args.database))
    os.environ["LOG_REQUESTS"] = "0"
    nip, password = pages.demo_login(args.database)

    from pyinstrument import Profiler

    from app import create_app

    app = create_app()
    client = app.test_client(use_cookies=True)
    # HTTPS, as production cookies and the CSRF referrer check expect.
    client.environ_base["HTTP_REFERER"] = "https://127.0.0.1/login"
    login = client.get("/login", base_url="https://127.0.0.1").get_data(as_text=True)
    token = pages.CSRF.search(login).group(1)
    answer = client.post(
        "/login",
        base_url="https://127.0.0.1",
        data={"csrf_token": token, "login": nip, "password": password},
    )
    assert answer.status_code == 302, answer.status_code
    inbox = client.get("/inbox", base_url="https://127.0.0.1").get_data(as_text=True)
    appraisal = args.appraisal or re.findall(r'href="/appraisals/(\d+)"', inbox)[0]
    paths = {"floor": "/healthz", "inbox": "/inbox", "appraisal": f"/appraisals/{appraisal}"}
    paths["home"] = "/"
    for name in args.page or paths:
        if name == "transition":
            transition(client, args)
            continue
        path = paths[name]
        for _ in range(20):
            client.get(path, base_url="https://127.0.0.1")
        profiler = None if args.no_profile else Profiler(interval=0.0005)
        if args.cpu:
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
        elif profiler:
            profiler.start()
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(args.n):
            answer = client.get(path, base_url="https://127.0.0.1")
            assert answer.status_code == 200, (path, answer.status_code)
        cpu = (time.process_time() - cpu) * 1000 / args.n
        wall = (time.perf_counter() - wall) * 1000 / args.n
        if args.cpu:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(150)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
            if args.dump:
                profiler.dump_stats(f"{args.dump}.{name}")
        elif profiler:
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        print(f"{name} {path}: {cpu:.2f} CPU ms per request, {wall:.2f} ms wall (n={args.n})")
    return 0


def transition(client, args) -> None:
    """Profile the `return_plan` POST; the appraisal is put back in SQL between two.

    Also counts, per POST, the SQL statements the app sent (the commit apart) and,
    with --cpu, the Python function calls: figures a busy machine does not skew.
    """
    import psycopg
    import sqlalchemy as sa

    from app.extensions import db as app_db

    counting = {"on": False, "statements": 0, "commits": 0}
    last: list[str] = []

    def count_statement(_conn, _cursor, statement, *_args) -> None:
        counting["statements"] += counting["on"]
        if counting["on"]:
            last.append(" ".join(statement.split())[:160])

    def count_commit(*_args) -> None:
        counting["commits"] += counting["on"]

    with client.application.app_context():
        sa.event.listen(app_db.engine, "before_cursor_execute", count_statement)
        sa.event.listen(app_db.engine, "commit", count_commit)

    base = "https://127.0.0.1"
    inbox = client.get("/inbox", base_url=base).get_data(as_text=True)
    ids = re.findall(r'href="/appraisals/(\d+)"', inbox)
    target = next(
        i for i in ids if 'name="version"' in client.get(pages.RETURN % i, base_url=base).text
    )
    path = pages.RETURN % target
    profiler = cProfile.Profile(time.process_time) if args.cpu else None
    cpu = 0.0
    with psycopg.connect(args.database, autocommit=True) as db:
        state = db.execute("SELECT state FROM appraisal WHERE id = %s", (target,)).fetchone()[0]
        for _ in range(args.n):
            page = client.get(path, base_url=base).get_data(as_text=True)
            version = re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)
            form = {"csrf_token": pages.CSRF.search(page).group(1), "version": version}
            form["comment"] = "Bench"
            if profiler:
                profiler.enable()
            counting["on"] = True
            last.clear()
            started = time.process_time()
            answer = client.post(path, base_url=base, data=form)
            cpu += time.process_time() - started
            counting["on"] = False
            if profiler:
                profiler.disable()
            assert answer.status_code == 302, answer.status_code
            db.execute(
                "UPDATE task SET closed_at = now() WHERE appraisal_id = %s AND closed_at IS NULL",
                (target,),
            )
            db.execute(
                "INSERT INTO task (appraisal_id, state, role, assignee_id, due_date, opened_at)"
                " SELECT id, %s, 'appraiser', appraiser_id, current_date, now()"
                " FROM appraisal WHERE id = %s",
                (state, target),
            )
            db.execute("UPDATE appraisal SET state = %s WHERE id = %s", (state, target))
    if args.sql:
        print("\n".join(last))
    calls = ""
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(150)
        calls = f", {stats.total_calls / args.n:.0f} Python calls"
        if args.dump:
            profiler.dump_stats(f"{args.dump}.transition")
    print(
        f"transition POST {path}: {cpu * 1000 / args.n:.2f} CPU ms per request,"
        f" {counting['statements'] / args.n:.1f} SQL statements"
        f" + {counting['commits'] / args.n:.1f} commit{calls} (n={args.n})"
    )


if __name__ == "__main__":
    sys.exit(main())
