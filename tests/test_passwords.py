"""New passwords (ASVS V6): 12 to 128 characters, no composition rules, not common,
not the user's NIP, name or email; the rules are shown before the first try."""

import pytest

from app.auth.passwords import common_passwords, password_problem
from app.auth.services import make_reset_token
from tests.factories import PASSWORD, make_account, make_employee

RULES = "12 sampai 128 karakter"


@pytest.fixture
def budi(app):
    return make_account(make_employee("Budi Santoso", email="budi.s@pemkomedan.go.id"))


def test_the_shipped_list_has_ten_thousand_common_passwords():
    words = common_passwords()
    assert len(words) == 10_000
    assert {"123456", "password", "qwerty123456", "1q2w3e4r5t6y"} <= words


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("qwerty123456", "terlalu umum"),
        ("1Q2W3E4R5T6Y", "terlalu umum"),  # compared without case
        ("{nip}", "NIP, nama, atau email"),
        ("aku-{nip}-x", "NIP, nama, atau email"),
        ("santoso-rahasia", "NIP, nama, atau email"),
        ("BudiSantoso2024", "NIP, nama, atau email"),
        ("budi.s@pemkomedan.go.id", "NIP, nama, atau email"),
        ("pendek-1", "12 sampai 128 karakter"),
        ("x" * 129, "12 sampai 128 karakter"),
    ],
)
def test_weak_new_passwords_are_refused_with_the_reason(budi, browser, password, message):
    password = password.format(nip=budi.employee.nip)
    browser.login(budi.employee.nip)
    response = browser.post(
        "/account", {"current": PASSWORD, "password": password, "confirm": password}
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "password",
    [
        "kuda lari di pagi hari",  # spaces, letters only: no composition rules
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-ok",
        "x" * 128,
        "Kata sandi ✓ dengan ünïcödé",
    ],
)
def test_long_uncommon_passwords_are_accepted(budi, browser, password):
    browser.login(budi.employee.nip)
    response = browser.post(
        "/account", {"current": PASSWORD, "password": password, "confirm": password}
    )
    assert response.status_code == 302
    assert password_problem(password, budi) is None


@pytest.mark.parametrize("page", ["account", "reset"])
def test_the_rules_are_shown_before_the_first_try(app, budi, browser, page):
    if page == "account":
        browser.login(budi.employee.nip)
        url = "/account"
    else:
        url = f"/reset/{make_reset_token(budi)}"
    html = browser.get(url).get_data(as_text=True)
    assert RULES in html
    assert "Bukan kata sandi yang umum" in html


def test_the_reset_form_checks_the_same_rules(app, budi, browser):
    url = f"/reset/{make_reset_token(budi)}"
    response = browser.post(url, {"password": "qwerty123456", "confirm": "qwerty123456"})
    assert response.status_code == 200
    assert "terlalu umum" in response.get_data(as_text=True)
