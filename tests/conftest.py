"""Fixtures: every database test runs on SQLite and on PostgreSQL, each test isolated.

PostgreSQL is the server on 127.0.0.1:5432 (SIKAP_TEST_PG_URL overrides). Each test
run creates its own database and drops it afterwards, so parallel runs never meet.
When the server cannot be reached the PostgreSQL half is skipped, unless
SIKAP_REQUIRE_PG=1 (as in .ci/run), where it fails.
"""

import os
import re
import shutil
import uuid

import pytest
import sqlalchemy as sa
from flask import g, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade

from app import create_app
from app.extensions import db, limiter
from app.plugins import register_workflow_plugins
from config import TestingConfig
from tests import factories

PG_ADMIN_URL = os.environ.get(
    "SIKAP_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_PG = os.environ.get("SIKAP_REQUIRE_PG") == "1"
BACKENDS = ("sqlite", "postgresql")

# As the app factory does: tests that load definitions directly need the guards and forms.
register_workflow_plugins()


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        if metafunc.definition.get_closest_marker("postgres_only"):
            backends = ("postgresql",)
        elif metafunc.definition.get_closest_marker("sqlite_only"):
            backends = ("sqlite",)
        else:
            backends = BACKENDS
        metafunc.parametrize("backend", backends, indirect=True, scope="session")


def _pg_reachable() -> str | None:
    engine = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return None
    except sa.exc.OperationalError as error:
        return str(error).splitlines()[0]
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def backend(request):
    """The database kind under test ('sqlite' or 'postgresql')."""
    if request.param == "postgresql":
        problem = _pg_reachable()
        if problem:
            message = f"PostgreSQL not reachable at {PG_ADMIN_URL}: {problem}"
            if REQUIRE_PG:
                pytest.fail(message)
            pytest.skip(message)
    return request.param


@pytest.fixture(scope="session")
def database_url(backend, tmp_path_factory):
    """A fresh, empty database of the given kind for this test session."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
        return
    yield from fresh_pg_database(f"sikap_test_{os.getpid()}")


def fresh_pg_database(prefix: str):
    """Create an empty PostgreSQL database, yield its URL, drop it afterwards (a fixture body)."""
    name = f"{prefix}_{uuid.uuid4().hex[:6]}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


class RequestIsolatingClient(FlaskClient):
    """A test client whose requests behave like separate HTTP requests.

    The tests keep an app context pushed (for factories and queries), and Flask
    reuses it for requests made inside it. Without this, `g` (the signed-in user,
    the CSRF token) would leak from one request, or one browser, to the next, and
    data the test only flushed would be visible to requests. So: commit what the
    test wrote, then start each request with an empty `g`.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            db.session.commit()
            g.__dict__.clear()
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def base_app(database_url):
    """One application per backend, with the schema built by the migrations."""
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url)
    app.test_client_class = RequestIsolatingClient
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


# procrastinate's tables (PostgreSQL only): the jobs a test deferred must not reach the next.
QUEUE_TABLES = (
    "procrastinate_events",
    "procrastinate_periodic_defers",
    "procrastinate_jobs",
    "procrastinate_workers",
)


# Restart every sequence of the schema, as TRUNCATE ... RESTART IDENTITY would.
RESTART_SEQUENCES = sa.text(
    "SELECT setval(c.oid, 1, false) FROM pg_class c"
    " JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.relkind = 'S' AND n.nspname = current_schema()"
)


def _empty_tables(app) -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    app.extensions["sikap_jobs"].kept.clear()
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            names = [f'"{t.name}"' for t in tables] + list(QUEUE_TABLES)
            if conn.scalar(sa.text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")):
                # DELETE with every trigger off (the foreign keys', audit_event's
                # append-only guard, the summary counts'): a test leaves a few rows, and
                # TRUNCATE of all 60-odd tables costs ~0.6 s a test (new files, fsync)
                # where these DELETEs cost ~15 ms.
                conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
                for name in names:
                    conn.execute(sa.text(f"DELETE FROM {name}"))
                conn.execute(RESTART_SEQUENCES)
            else:
                conn.execute(sa.text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())
            # Deleting appraisals and tasks wrote delta rows (the summary triggers): clear them.
            for summary in (
                "appraisal_count",
                "progress_count",
                "open_task_count",
                "task_day_count",
            ):
                conn.execute(sa.text(f"DELETE FROM {summary}"))


@pytest.fixture
def app(base_app):
    """The application with an app context; every table is emptied after the test."""
    with base_app.app_context():
        limiter.reset()
        yield base_app
        db.session.rollback()
        db.session.remove()
        _empty_tables(base_app)


@pytest.fixture(scope="session")
def _plain_app():
    return create_app(TestingConfig)


@pytest.fixture
def plain_app(_plain_app):
    """The application for tests that need no database (pure rules, rendering)."""
    with _plain_app.test_request_context():
        yield _plain_app


@pytest.fixture
def client(app):
    return app.test_client()


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


class Browser:
    """A test client that signs in and submits forms with their CSRF token, like a browser."""

    def __init__(self, client):
        self.client = client

    def get(self, url, **kwargs):
        kwargs.setdefault("headers", {"Accept": BROWSER_ACCEPT})
        return self.client.get(url, **kwargs)

    def csrf_token(self, url: str = "/reset") -> str:
        page = self.client.get(url).get_data(as_text=True)
        match = CSRF_RE.search(page)
        assert match, f"no CSRF token on {url}"
        return match.group(1)

    def post(self, url, data=None, *, token_from: str = "/reset", **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token(token_from))
        kwargs.setdefault("headers", {"Accept": BROWSER_ACCEPT})
        return self.client.post(url, data=data, **kwargs)

    def login(self, login: str, password: str = factories.PASSWORD):
        return self.post("/login", {"login": login, "password": password})

    def logout(self):
        return self.post("/logout", token_from="/reset")


@pytest.fixture
def browser(client):
    return Browser(client)


@pytest.fixture
def new_browser(app):
    """Another browser (its own cookies) on the same app."""
    return lambda: Browser(app.test_client())


@pytest.fixture
def team(app):
    """The reporting line with accounts from tests.factories.make_team."""
    return factories.make_team()


@pytest.fixture
def evidence_dir(app, tmp_path, monkeypatch):
    """Bukti dukung files go to a directory of this test's own."""
    directory = tmp_path / "evidence"
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", directory)
    return directory


@pytest.fixture
def assessing(team, evidence_dir):
    """The staff's SKP at self-assessment, with complete content."""
    from tests.factories import make_period
    from tests.workflow_helpers import appraisal_in_state

    appraisal = appraisal_in_state(team, make_period(), "self_assessment")
    db.session.commit()
    return appraisal


CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def chrome():
    """One headless Debian Chromium per test module, driven through its own chromedriver."""
    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        message = "Debian's chromium and chromium-driver are not installed"
        if os.environ.get("SIKAP_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--window-size=1280,900",
    ):  # fmt: skip
        options.add_argument(flag)
    # The console shows what the Content-Security-Policy refused.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()
