"""`next` after sign-in and after a language switch: same-site paths only."""

import pytest

from app.auth.redirects import is_safe_path
from tests.factories import PASSWORD, make_account, make_employee

HOSTILE = [
    "//evil.example",
    "////evil.example/phish",
    "/\\evil.example",
    "\\/evil.example",
    "\\\\evil.example",
    "%2F%2Fevil.example",
    "/%2F%2Fevil.example",
    "/%252F%252Fevil.example",
    "/%5Cevil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/%09/evil.example",
    "/%0a/evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "http://evil.example/",
    "https://evil.example/",
    "https:evil.example",
    "\uff0f\uff0fevil.example",  # fullwidth solidus
    "/\uff0fevil.example",
    "/\u2044evil.example",
    "\u2044\u2044evil.example",
    "/%E2%81%84evil.example",
    " //evil.example",
    "evil.example",
    "",
]
LEGIT = ["/inbox?x=1", "/account", "/", "/appraisals/3?q=a%20b#top"]


@pytest.mark.parametrize("target", HOSTILE)
def test_hostile_next_is_not_a_safe_path(target):
    assert not is_safe_path(target)


@pytest.mark.parametrize("target", LEGIT)
def test_same_site_paths_are_safe(target):
    assert is_safe_path(target)


@pytest.fixture
def budi(app):
    return make_account(make_employee("Budi Santoso"))


@pytest.mark.parametrize("target", HOSTILE)
def test_sign_in_never_redirects_off_site(budi, browser, target):
    response = browser.post(
        "/login", {"login": budi.employee.nip, "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_sign_in_from_a_login_link_with_hostile_next_stays_on_site(budi, browser):
    page = browser.get("/login?next=////evil.example/phish").get_data(as_text=True)
    assert "////evil.example/phish" in page  # carried in the form, refused on use
    token = browser.csrf_token("/login")
    response = browser.client.post(
        "/login",
        data={
            "csrf_token": token,
            "login": budi.employee.nip,
            "password": PASSWORD,
            "next": "////evil.example/phish",
        },
    )
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", LEGIT)
def test_sign_in_keeps_a_same_site_next(budi, browser, target):
    response = browser.post(
        "/login", {"login": budi.employee.nip, "password": PASSWORD, "next": target}
    )
    assert response.headers["Location"] == target


@pytest.mark.parametrize("target", HOSTILE)
def test_language_switch_never_redirects_off_site(app, browser, target):
    response = browser.post("/language", {"lang": "en", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_language_switch_returns_to_a_same_site_page(app, browser):
    response = browser.post("/language", {"lang": "en", "next": "/inbox?x=1"})
    assert response.headers["Location"] == "/inbox?x=1"
