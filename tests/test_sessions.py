"""Server-side sessions: sign-out, idle and absolute limits, remember-me, the account page."""

import re
from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest
import sqlalchemy as sa

from app.auth import sessions
from app.extensions import db
from app.models import UserSession
from app.models.types import utcnow
from tests.factories import PASSWORD, make_account, make_employee

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"


@pytest.fixture
def budi(app):
    return make_account(make_employee("Budi Santoso", email="budi@pemkomedan.go.id"))


def _signed_in(browser) -> bool:
    return browser.get("/").status_code == 200


def _cookies(browser) -> dict[str, str]:
    return {cookie.key: cookie.value for cookie in browser.client._cookies.values()}


def _restore(browser, cookies: dict[str, str]) -> None:
    browser.client._cookies.clear()
    for key, value in cookies.items():
        browser.client.set_cookie(key, value)


def _record(budi) -> UserSession:
    return db.session.scalars(sa.select(UserSession).where(UserSession.account_id == budi.id)).one()


def test_a_saved_session_cookie_is_dead_after_sign_out(budi, browser, new_browser):
    browser.login(budi.employee.nip)
    saved = _cookies(browser)
    browser.logout()
    assert not _signed_in(browser)
    thief = new_browser()
    _restore(thief, saved)
    assert not _signed_in(thief)


def test_a_saved_remember_cookie_is_dead_after_sign_out(budi, browser, new_browser):
    browser.post("/login", {"login": budi.employee.nip, "password": PASSWORD, "remember": "y"})
    saved = _cookies(browser)
    assert "remember_token" in saved
    # The remember cookie alone (browser restarted) signs in while the session is valid ...
    restarted = new_browser()
    restarted.client.set_cookie("remember_token", saved["remember_token"])
    assert _signed_in(restarted)
    browser.logout()
    # ... and never again once it has been signed out.
    thief = new_browser()
    thief.client.set_cookie("remember_token", saved["remember_token"])
    assert not _signed_in(thief)


def test_sign_in_rotates_the_session_and_the_csrf_secret(app, budi, browser):
    before_token = browser.csrf_token("/login")
    with browser.client.session_transaction() as before:
        secret_before = before.get("csrf_token")
    browser.login(budi.employee.nip)
    with browser.client.session_transaction() as after:
        assert after.get("csrf_token") != secret_before
        first_session = after["_user_id"]
    # A token from the page shown before sign-in is refused afterwards.
    response = browser.client.post("/logout", data={"csrf_token": before_token})
    assert response.status_code == 400
    browser.logout()
    browser.login(budi.employee.nip)
    with browser.client.session_transaction() as again:
        assert again["_user_id"] != first_session
    assert first_session != str(budi.id)  # the session token, not the account id


def test_idle_session_ends_after_the_idle_timeout(app, budi, browser):
    browser.login(budi.employee.nip)
    record = _record(budi)
    idle = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])
    record.last_seen_at = utcnow() - idle + timedelta(minutes=1)
    db.session.commit()
    assert _signed_in(browser)  # still within the limit; this visit counts as activity
    record = _record(budi)
    record.last_seen_at = utcnow() - idle - timedelta(seconds=1)
    db.session.commit()
    assert not _signed_in(browser)


def test_session_ends_after_its_absolute_lifetime_even_when_active(app, budi, browser):
    browser.login(budi.employee.nip)
    record = _record(budi)
    assert record.expires_at - record.created_at == timedelta(hours=app.config["SESSION_MAX_HOURS"])
    record.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert not _signed_in(browser)


def test_remember_me_lasts_at_most_thirty_days(app, budi, browser):
    assert app.config["REMEMBER_COOKIE_DURATION"] == timedelta(days=30)
    response = browser.post(
        "/login", {"login": budi.employee.nip, "password": PASSWORD, "remember": "y"}
    )
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if "remember_token=" in h)
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", cookie).group(1))
    record = _record(budi)
    assert record.remember and record.expires_at - record.created_at == timedelta(days=30)
    # The cookie and the session row end together (the cookie is stamped seconds later).
    assert abs(expires - record.expires_at) < timedelta(minutes=1)


@pytest.mark.parametrize(
    ("remember", "idle_minutes", "age_hours", "valid"),
    [
        (False, 29, 1, True),
        (False, 30, 1, False),  # idle timeout
        (False, 0, 12, False),  # absolute lifetime
        (True, 600, 24 * 29, True),  # remembered: no idle limit within 30 days
        (True, 0, 24 * 30, False),
    ],
)
def test_session_validity_table(app, budi, remember, idle_minutes, age_hours, valid):
    created = utcnow() - timedelta(days=40)
    token = sessions.start_session(budi, remember, FIREFOX, created)
    record = budi.current_session
    now = created + timedelta(hours=age_hours)
    record.last_seen_at = now - timedelta(minutes=idle_minutes)
    db.session.commit()
    assert sessions.is_valid(record, now) is valid
    assert (sessions.load_session(token, now) is not None) is valid


def test_last_seen_is_written_at_most_once_a_minute(app, budi):
    start = utcnow()
    token = sessions.start_session(budi, False, FIREFOX, start)
    db.session.commit()
    sessions.load_session(token, start + timedelta(seconds=30))
    db.session.expire_all()
    assert _record(budi).last_seen_at == start
    sessions.load_session(token, start + timedelta(seconds=61))
    db.session.expire_all()
    assert _record(budi).last_seen_at == start + timedelta(seconds=61)


def test_the_account_page_lists_sessions_and_ends_another(budi, browser, new_browser):
    phone = new_browser()
    phone.post(
        "/login",
        {"login": budi.employee.nip, "password": PASSWORD},
        headers={"User-Agent": FIREFOX},
    )
    browser.login(budi.employee.nip)
    page = browser.get("/account").get_data(as_text=True)
    assert "Firefox · Windows" in page
    assert "Perangkat ini" in page
    phone_id = db.session.scalars(
        sa.select(UserSession.id).where(UserSession.user_agent == "Firefox · Windows")
    ).one()
    assert f'data-session-id="{phone_id}"' in page
    response = browser.post(f"/account/sessions/{phone_id}/end", token_from="/account")
    assert response.status_code == 302
    assert not _signed_in(phone)
    assert _signed_in(browser)


def test_ending_all_other_sessions_keeps_this_one(budi, browser, new_browser):
    others = [new_browser(), new_browser()]
    for other in others:
        other.login(budi.employee.nip)
    browser.login(budi.employee.nip)
    browser.post("/account/sessions/end-others", token_from="/account")
    assert _signed_in(browser)
    assert not any(_signed_in(other) for other in others)


def test_nobody_can_end_someone_elses_session(budi, browser, new_browser):
    sari = make_account(make_employee("Sari Lubis"))
    theirs = new_browser()
    theirs.login(sari.employee.nip)
    their_id = db.session.scalars(
        sa.select(UserSession.id).where(UserSession.account_id == sari.id)
    ).one()
    browser.login(budi.employee.nip)
    response = browser.post(f"/account/sessions/{their_id}/end", token_from="/account")
    assert response.status_code == 404
    assert _signed_in(theirs)


def test_sign_in_keeps_the_language_choice(app, budi, browser):
    browser.post("/language", {"lang": "en", "next": "/login"})
    browser.login(budi.employee.nip)
    with browser.client.session_transaction() as current:
        assert current["lang"] == "en"
