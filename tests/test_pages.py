"""Error pages, language choice and the static assets served locally."""

import re

import pytest
import sqlalchemy as sa

from app import create_app
from app.extensions import db
from app.models import Employee
from config import TestingConfig
from tests.factories import make_account, make_employee


def test_404_page_is_in_indonesian(client):
    response = client.get("/tidak-ada")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.get_data(as_text=True)


def test_500_page_shows_no_stack_trace_and_rolls_back(app):
    # A fresh app, because routes cannot be added to one that has served requests.
    fresh = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        PROPAGATE_EXCEPTIONS=False,
    )

    @fresh.route("/_boom")
    def boom():
        make_employee("Setengah Tertulis")  # flushed, must not be committed
        raise RuntimeError("secret internals")

    with fresh.app_context():
        response = fresh.test_client().get("/_boom")
        page = response.get_data(as_text=True)
        assert response.status_code == 500
        assert "Terjadi kesalahan" in page
        assert "secret internals" not in page and "Traceback" not in page
        assert db.session.scalar(sa.select(sa.func.count(Employee.id))) == 0
        db.session.remove()
        db.engine.dispose()


def test_english_can_be_chosen_before_signing_in(browser):
    browser.post("/language", {"lang": "en", "next": "/login"})
    assert "Sign in to SIKAP" in browser.get("/login").get_data(as_text=True)


def test_language_choice_is_kept_on_the_account(app, browser, new_browser):
    account = make_account(make_employee("Budi"))
    browser.login(account.employee.nip)
    browser.post("/language", {"lang": "en", "next": "/"})
    db.session.refresh(account)
    assert account.locale == "en"
    other = new_browser()  # a new device, signed in: English from the account
    other.login(account.employee.nip)
    assert "Welcome, Budi" in other.get("/").get_data(as_text=True)


def test_unknown_language_is_refused(browser):
    browser.post("/language", {"lang": "xx", "next": "/login"})
    assert "Masuk ke SIKAP" in browser.get("/login").get_data(as_text=True)


@pytest.mark.parametrize(
    "asset", ["/bootstrap/static/css/bootstrap.min.css", "/bootstrap/static/js/bootstrap.min.js"]
)
def test_bootstrap_is_served_locally(client, asset):
    page = client.get("/login").get_data(as_text=True)
    assert asset in page
    # Every script and stylesheet comes from this server: no host in their addresses.
    # (Not a search for "cdn" in the page: the random CSRF token may spell it.)
    sources = re.findall(r'<(?:script|link)\b[^>]*(?:src|href)="([^"]+)"', page)
    assert sources and all(source.startswith("/") for source in sources), sources
    response = client.get(asset)
    response.close()  # a streamed file
    assert response.status_code == 200


def test_pages_work_on_a_phone(client):
    assert 'name="viewport"' in client.get("/login").get_data(as_text=True)


def test_500_when_the_database_is_gone_still_answers_plainly(tmp_path):
    """The error page needs the database (for the signed-in user's navigation); if the
    database is what failed, the answer is plain text, not a second traceback."""
    from flask_migrate import upgrade

    from tests.conftest import Browser

    database = tmp_path / "gone.sqlite"
    fresh = create_app(
        TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}", PROPAGATE_EXCEPTIONS=False
    )
    with fresh.app_context():
        upgrade()
        account = make_account(make_employee("Budi"))
        nip = account.employee.nip
        db.session.commit()
        browser = Browser(fresh.test_client())
        assert browser.login(nip).status_code == 302
        db.session.remove()
        db.engine.dispose()
        database.unlink()  # the database disappears under the running app
        response = browser.get("/")
        assert response.status_code == 500
        assert response.mimetype == "text/plain"
        assert "Tidak ada yang disimpan" in response.get_data(as_text=True)
        db.session.remove()
        db.engine.dispose()
