"""Sign-in, rate limit, CSRF, sessions and password reset."""

import pytest
import sqlalchemy as sa

from app.auth.passwords import verify_password
from app.extensions import db
from app.models import OutboxMessage
from tests.factories import PASSWORD, make_account, make_employee

FAILED = "NIP/email atau kata sandi salah"


@pytest.fixture
def budi(app):
    return make_account(make_employee("Budi Santoso", email="budi@pemkomedan.go.id"))


def _signed_in(browser) -> bool:
    return browser.get("/").status_code == 200


@pytest.mark.parametrize("login", ["nip", "email", "EMAIL"])
def test_sign_in_by_nip_or_email(budi, browser, login):
    value = {
        "nip": budi.employee.nip,
        "email": "budi@pemkomedan.go.id",
        "EMAIL": " Budi@PemkoMedan.go.id ",
    }[login]
    response = browser.login(value)
    assert response.status_code == 302
    assert _signed_in(browser)


@pytest.mark.parametrize(
    ("login", "password"),
    [
        ("nip", "salah-sekali-1"),  # wrong password
        ("999999999999999999", PASSWORD),  # no such NIP
        ("orang@tidak.ada", PASSWORD),  # no such email
        ("disabled", PASSWORD),  # deactivated account
    ],
)
def test_every_failed_sign_in_gets_the_same_message(budi, browser, login, password):
    if login == "disabled":
        budi.is_enabled = False
        db.session.commit()
    value = budi.employee.nip if login in ("nip", "disabled") else login
    page = browser.login(value, password).get_data(as_text=True)
    assert FAILED in page
    assert not _signed_in(browser)


def test_per_ip_rate_limit_answers_429_in_indonesian(app, browser):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    try:
        codes = [browser.login("orang@tidak.ada", "x").status_code for _ in range(4)]
        page = browser.login("orang@tidak.ada", "x")
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "30 per minute"
    assert codes[:3] == [200, 200, 200]
    assert codes[3] == 429
    assert "Terlalu banyak percobaan" in page.get_data(as_text=True)


def test_rate_limit_is_per_ip(app, budi, new_browser):
    app.config["LOGIN_RATE_LIMIT"] = "2 per minute"
    try:
        first = new_browser()
        for _ in range(2):
            first.client.post("/login", data={}, environ_base={"REMOTE_ADDR": "10.0.0.1"})
        blocked = first.client.post("/login", data={}, environ_base={"REMOTE_ADDR": "10.0.0.1"})
        other = new_browser().client.post(
            "/login", data={}, environ_base={"REMOTE_ADDR": "10.0.0.2"}
        )
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "30 per minute"
    assert blocked.status_code == 429
    # The other address is not limited: it gets as far as the CSRF check.
    assert other.status_code == 400


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/login", {"login": "x", "password": "y"}),
        ("/logout", {}),
        ("/language", {"lang": "en"}),
        ("/reset", {"login": "x"}),
    ],
)
@pytest.mark.parametrize("token", ["missing", "forged"])
def test_forms_without_a_valid_csrf_token_are_rejected(budi, browser, url, data, token):
    browser.login(budi.employee.nip)
    if token == "forged":
        data = {**data, "csrf_token": "IjEyMyI.forged.token"}
    response = browser.client.post(url, data=data)
    assert response.status_code == 400
    assert "Formulir kedaluwarsa" in response.get_data(as_text=True)
    assert _signed_in(browser)  # the logout did not happen


def test_password_change_ends_other_sessions(budi, browser, new_browser):
    other = new_browser()
    browser.login(budi.employee.nip)
    other.login(budi.employee.nip)
    assert _signed_in(other)
    response = browser.post(
        "/account",
        {"current": PASSWORD, "password": "baru-sekali-99", "confirm": "baru-sekali-99"},
    )
    assert response.status_code == 302
    assert _signed_in(browser)  # the browser that changed it stays in
    assert not _signed_in(other)
    assert other.login(budi.employee.nip, "baru-sekali-99").status_code == 302


def test_sign_out_everywhere_ends_every_session(budi, browser, new_browser):
    other = new_browser()
    browser.login(budi.employee.nip)
    other.login(budi.employee.nip)
    browser.post("/account/sign-out-everywhere")
    assert not _signed_in(browser)
    assert not _signed_in(other)


def test_deactivation_ends_existing_sessions(budi, browser):
    browser.login(budi.employee.nip)
    budi.is_enabled = False
    db.session.commit()
    assert not _signed_in(browser)


@pytest.mark.parametrize(
    ("current", "password", "confirm", "message"),
    [
        ("salah-sekali-1", "baru-sekali-99", "baru-sekali-99", "Kata sandi saat ini salah."),
        (PASSWORD, "pendek-1", "pendek-1", "Kata sandi harus 12 sampai 128 karakter."),
        (PASSWORD, "x" * 129, "x" * 129, "Kata sandi harus 12 sampai 128 karakter."),
        (PASSWORD, "baru-sekali-99", "baru-sekali-98", "Kedua kata sandi tidak sama."),
        ("", "baru-sekali-99", "baru-sekali-99", "Isi kata sandi Anda saat ini."),
    ],
)
def test_bad_password_change_is_refused_on_the_field(
    budi, browser, current, password, confirm, message
):
    browser.login(budi.employee.nip)
    response = browser.post(
        "/account", {"current": current, "password": password, "confirm": confirm}
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db.session.refresh(budi)
    assert verify_password(budi.password_hash, PASSWORD)


def _reset_link(app) -> str:
    body = db.session.scalars(sa.select(OutboxMessage.body_text)).one()
    line = next(line for line in body.splitlines() if "/reset/" in line)
    return line.strip().removeprefix(app.config["BASE_URL"])


def test_password_reset_by_email_works_once(app, budi, browser):
    response = browser.post("/reset", {"login": budi.employee.nip})
    assert response.status_code == 302
    message = db.session.scalars(sa.select(OutboxMessage)).one()
    assert message.recipient == "budi@pemkomedan.go.id"
    assert message.subject == "Atur ulang kata sandi SIKAP"
    link = _reset_link(app)
    new = {"password": "dari-email-77", "confirm": "dari-email-77"}
    assert browser.post(link, new).status_code == 302
    assert browser.login(budi.employee.nip, "dari-email-77").status_code == 302
    # The same link is refused the second time.
    browser.logout()
    again = browser.post(link, {"password": "lagi-lagi-88", "confirm": "lagi-lagi-88"})
    assert again.status_code == 302
    assert "/reset" in again.headers["Location"]
    assert browser.login(budi.employee.nip, "lagi-lagi-88").status_code == 200


def test_password_reset_for_unknown_login_says_the_same_and_sends_nothing(app, browser):
    response = browser.post("/reset", {"login": "orang@tidak.ada"}, follow_redirects=True)
    assert "tautan atur ulang sedang dikirim" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0


def test_expired_or_forged_reset_links_are_refused(app, budi, browser):
    from app.auth.services import make_reset_token

    token = make_reset_token(budi)
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    try:
        expired = browser.get(f"/reset/{token}")
    finally:
        app.config["PASSWORD_RESET_MAX_AGE"] = 3600
    assert expired.status_code == 302
    forged = browser.get(f"/reset/{token[:-3]}abc")
    assert forged.status_code == 302


def test_reset_mail_is_in_the_recipients_language(app, budi, browser):
    budi.locale = "en"
    db.session.commit()
    browser.post("/reset", {"login": budi.employee.nip})
    message = db.session.scalars(sa.select(OutboxMessage)).one()
    assert message.subject == "SIKAP password reset"
    assert "Someone asked to reset the password" in message.body_text


def test_session_cookie_flags(app, budi, browser):
    response = browser.login(budi.employee.nip)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_open_redirect_after_sign_in_is_refused(budi, browser):
    response = browser.post(
        "/login",
        {"login": budi.employee.nip, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.headers["Location"] == "/"


def test_sign_in_follows_a_local_next(budi, browser):
    response = browser.post(
        "/login", {"login": budi.employee.nip, "password": PASSWORD, "next": "/account"}
    )
    assert response.headers["Location"] == "/account"
