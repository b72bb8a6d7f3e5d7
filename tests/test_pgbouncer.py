"""Behind PgBouncer in transaction mode (the deployment guide's pooler), every path still works.

The app is pointed at a PgBouncer started here (transaction pooling, in front of
the test database on 127.0.0.1:5432) with PGBOUNCER_TRANSACTION_MODE's engine
options, and runs the whole annual flow over HTTP, the outbox delivery to a
real SMTP server (row claims with FOR UPDATE SKIP LOCKED) and a period opening.
Without the option psycopg's server-side prepared statements break here.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import create_app
from app.extensions import db, limiter
from config import TestingConfig, _engine_options
from tests import conftest
from tests.test_annual_flow import test_the_whole_annual_flow_over_http_ends_with_the_pdf as flow
from tests.test_mail_delivery import (  # noqa: F401 - the smtp fixture
    smtp_fixture,
)
from tests.test_mail_delivery import (
    test_transition_mail_arrives_in_each_recipients_language_with_its_message_id as mail,
)
from tests.test_periods import test_a_quarter_starts_from_the_approved_annual_plan as quarter

pytestmark = pytest.mark.postgres_only
PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def pgbouncer(database_url):
    """A PgBouncer in transaction mode in front of the test database; its URL."""
    if not Path(PGBOUNCER).exists():
        pytest.fail("pgbouncer is not installed (make test installs Debian's package)")
    # Outside pytest's private temporary tree: run as root, it drops to the postgres user.
    home = Path(tempfile.mkdtemp(prefix="sikap-pgbouncer-"))
    os.chmod(home, 0o755)
    port = _free_port()
    settings = (
        "[databases]\n* = host=127.0.0.1 port=5432\n"
        f"[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {port}\n"
        f"unix_socket_dir = {home}\nauth_type = trust\nauth_file = {home}/users.txt\n"
        "pool_mode = transaction\nmax_client_conn = 200\ndefault_pool_size = 10\n"
        "ignore_startup_parameters = options\n"
    )
    (home / "pgbouncer.ini").write_text(settings)
    (home / "users.txt").write_text('"postgres" ""\n')
    user = ["-u", "postgres"] if os.geteuid() == 0 else []
    log = (home / "pgbouncer.log").open("wb")
    process = subprocess.Popen(
        [PGBOUNCER, *user, str(home / "pgbouncer.ini")], stdout=log, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        if process.poll() is not None:
            log.close()
            pytest.fail(f"pgbouncer did not start: {(home / 'pgbouncer.log').read_text()}")
        time.sleep(0.1)
    yield database_url.replace("127.0.0.1:5432", f"127.0.0.1:{port}")
    process.terminate()
    process.wait(timeout=10)
    log.close()
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def app(pgbouncer, base_app):
    """The application talking to the test database (built by base_app) through PgBouncer."""
    pooled = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=pgbouncer,
        SQLALCHEMY_ENGINE_OPTIONS=_engine_options(behind_pgbouncer=True),
    )
    pooled.test_client_class = conftest.RequestIsolatingClient
    with pooled.app_context():
        limiter.reset()
        yield pooled
        db.session.rollback()
        db.session.remove()
        conftest._empty_tables(pooled)
        db.engine.dispose()


def test_the_annual_flow_runs_through_pgbouncer(app, new_browser):
    assert db.session.execute(sa.text("SHOW port")).scalar_one() == "5432"  # the server behind
    flow(app, new_browser)


def test_the_outbox_delivers_through_pgbouncer(app, smtp):
    mail(app, smtp)


def test_a_period_opens_through_pgbouncer(app):
    quarter(app)
