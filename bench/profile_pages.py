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
    parser.add_argument("--page", action="append", help="inbox, appraisal, home (default all)")
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--appraisal", help="the appraisal page's id (default: the inbox's first)")
    parser.add_argument("--no-profile", action="store_true", help="only CPU ms per request")
    parser.add_argument(
        "--cpu", action="store_true", help="cProfile on CPU time (a busy machine skews wall time)"
    )
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
    paths = {"inbox": "/inbox", "appraisal": f"/appraisals/{appraisal}", "home": "/"}
    for name in args.page or paths:
        path = paths[name]
        for _ in range(20):
            client.get(path, base_url="https://127.0.0.1")
        profiler = None if args.no_profile else Profiler(interval=0.0005)
        if args.cpu:
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
        elif profiler:
            profiler.start()
        cpu = time.process_time()
        for _ in range(args.n):
            answer = client.get(path, base_url="https://127.0.0.1")
            assert answer.status_code == 200, (path, answer.status_code)
        cpu = (time.process_time() - cpu) * 1000 / args.n
        if args.cpu:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
        elif profiler:
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        print(f"{name} {path}: {cpu:.2f} CPU ms per request (this process, n={args.n})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
