"""From a fresh clone, `make run` sets everything up and serves SIKAP in Indonesian.

This clones the committed repository, so it checks what CI and a new developer
get, not uncommitted work. It installs into a new virtualenv (pip's cache makes
that quick) and speaks real HTTP to the server that `make run` starts.
"""

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOGIN_LINE = re.compile(
    r"^\s+(pegawai|atasan|verifikator|admin|walikota|pengelola)\s+NIP (\d{18})\s+(.+)$", re.M
)
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def make_run(cwd: Path, env: dict, log_path: Path, timeout: float):
    """`make run` on a free port in `cwd`; yields (base URL, log, whether /login answered).

    The server and its worker are stopped afterwards. If the server dies or
    `timeout` seconds pass first, it yields all the same (answered False): the
    test's assertions then show the log.
    """
    port = _free_port()
    log = log_path.open("w+")
    server = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=cwd,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    answered = False
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and server.poll() is None:
            try:
                urllib.request.urlopen(base + "/login", timeout=5).close()
                answered = True
                break
            except OSError:
                time.sleep(1)
        log.seek(0)
        yield base, log, answered
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _opener():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())


def _get(opener, url):
    with opener.open(url, timeout=10) as response:
        return response.status, response.read().decode()


def _sign_in(base: str, nip: str, password: str) -> tuple[int, str]:
    opener = _opener()
    _, page = _get(opener, base + "/login")
    data = urllib.parse.urlencode(
        {"csrf_token": CSRF.search(page).group(1), "login": nip, "password": password}
    ).encode()
    try:
        opener.open(base + "/login", data=data, timeout=30)
        return 200, ""  # no redirect: the sign-in was refused
    except urllib.error.HTTPError as redirect:
        if redirect.code != 302:
            raise
    return _get(opener, base + "/")


@pytest.mark.slow
def test_make_run_from_a_fresh_clone(tmp_path):
    if shutil.which("git") is None or shutil.which("make") is None:
        pytest.fail("git and make are needed")
    clone = tmp_path / "sikap"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SIKAP_", "DATABASE_URL"))}
    env.pop("VIRTUAL_ENV", None)
    with make_run(clone, env, tmp_path / "run.log", timeout=480) as (base, log, _answered):
        output = log.read()
        try:
            status, page = _get(_opener(), base + "/login")
        except OSError:
            page = None
        assert page is not None, f"make run did not serve the page:\n{output[-3000:]}"
        assert status == 200
        assert "Masuk ke SIKAP" in page
        assert 'lang="id"' in page
        logins = {role: nip for role, nip, _ in LOGIN_LINE.findall(output)}
        assert set(logins) == {
            "pegawai",
            "atasan",
            "verifikator",
            "admin",
            "walikota",
            "pengelola",
        }, output[-3000:]
        password = re.search(r"password of newly created accounts: (\S+)\)", output).group(1)
        for role, nip in logins.items():
            status, home = _sign_in(base, nip, password)
            assert status == 200 and nip in home, f"{role} could not sign in"
        assert (clone / "instance" / "sikap.sqlite").exists()
