"""Failed sign-ins slow the attacker down, never lock the owner out; the proxy is trusted
only as far as PROXY_COUNT says."""

from datetime import timedelta

import pytest

from app import create_app
from app.auth import services
from app.auth.throttle import ThrottleKeys, delay_seconds
from app.extensions import db
from app.models import LoginThrottle
from app.models.types import utcnow
from config import TestingConfig
from tests.conftest import CSRF_RE
from tests.factories import PASSWORD, make_account, make_employee

WRONG = "salah-sekali-1"
STRANGER, OWNER = "203.0.113.66", "198.51.100.7"


@pytest.fixture
def budi(app):
    return make_account(make_employee("Budi Santoso", email="budi@pemkomedan.go.id"))


def _fail(login, address, times, start):
    """`times` counted failures, each after the previous one's wait; the time after them."""
    now = start
    for _ in range(times):
        result = _attempt(login, WRONG, address, now)
        assert result.wait is None
        now += timedelta(minutes=15, seconds=1)
    return now - timedelta(minutes=15, seconds=1)


def _attempt(login, password, address, now):
    result = services.sign_in(
        login, password, address=address, remember=False, user_agent="test", now=now
    )
    db.session.commit()
    return result


@pytest.mark.parametrize(
    ("failures", "wait"),
    [(0, 0), (4, 0), (5, 1), (6, 2), (7, 4), (10, 32), (14, 512), (15, 900), (100, 900)],
)
def test_wait_grows_with_failures_up_to_fifteen_minutes(failures, wait):
    assert delay_seconds(failures, free=5, cap=15 * 60) == wait


def test_a_strangers_failures_do_not_lock_out_the_owner(app, budi):
    nip = budi.employee.nip
    last = _fail(nip, STRANGER, 12, utcnow() - timedelta(hours=4))
    # The stranger is slowed down: refused without the password being checked ...
    refused = _attempt(nip, PASSWORD, STRANGER, last + timedelta(seconds=1))
    assert refused.account is None and refused.wait == timedelta(seconds=127)
    # ... while the owner, from another address, signs in with the right password.
    owner = _attempt(nip, PASSWORD, OWNER, last + timedelta(seconds=2))
    assert owner.account is not None and owner.account.id == budi.id


def test_the_stranger_waits_two_to_the_n_minus_five_seconds(app, budi):
    nip = budi.employee.nip
    now = _fail(nip, STRANGER, 7, utcnow() - timedelta(hours=2))
    # 7 failures: 2^(7-5) = 4 seconds after the last one.
    assert _attempt(nip, PASSWORD, STRANGER, now + timedelta(seconds=3)).wait == timedelta(
        seconds=1
    )
    later = _attempt(nip, PASSWORD, STRANGER, now + timedelta(seconds=4))
    assert later.account is not None


def test_throttling_does_not_tell_which_accounts_exist(app, budi):
    for login in (budi.employee.nip, "999999999999999999"):
        now = _fail(login, STRANGER, 8, utcnow() - timedelta(hours=2))
        assert _attempt(login, WRONG, STRANGER, now).wait == timedelta(seconds=8)


def test_an_address_spraying_many_accounts_is_slowed(app, budi):
    now = utcnow()
    for i in range(app.config["LOGIN_ADDRESS_FREE_FAILURES"]):
        assert _attempt(f"orang{i}@tidak.ada", WRONG, STRANGER, now).wait is None
    assert _attempt("orang@lain.ada", WRONG, STRANGER, now).wait == timedelta(seconds=1)
    assert _attempt(budi.employee.nip, PASSWORD, STRANGER, now).wait is not None
    assert _attempt(budi.employee.nip, PASSWORD, OWNER, now).account is not None


def test_failures_are_forgotten_after_a_day(app, budi):
    nip = budi.employee.nip
    now = _fail(nip, STRANGER, 15, utcnow() - timedelta(hours=6))
    assert _attempt(nip, PASSWORD, STRANGER, now + timedelta(minutes=10)).wait is not None
    assert _attempt(nip, PASSWORD, STRANGER, now + timedelta(hours=25)).account is not None


def test_the_owner_signs_in_through_the_web_while_a_stranger_is_throttled(app, budi, browser):
    last = _fail(budi.employee.nip, STRANGER, 12, utcnow() - timedelta(hours=4))
    assert _attempt(budi.employee.nip, PASSWORD, STRANGER, last).wait is not None
    assert browser.login(budi.employee.nip).status_code == 302  # from 127.0.0.1


def _throttled(account, login, address, failures, now):
    keys = ThrottleKeys.of(account, login, address)
    for key in (keys.account, keys.pair, keys.address):
        db.session.add(LoginThrottle(key=key, failures=failures, last_failure_at=now))
    db.session.commit()


def test_the_page_says_how_long_to_wait(app, budi, browser):
    # 11 failures from this browser's address: 2^(11-5) = 64 s, shown as "2 menit".
    _throttled(budi, budi.employee.nip, "127.0.0.1", 11, utcnow())
    page = browser.login(budi.employee.nip).get_data(as_text=True)
    assert "Coba lagi dalam 2 menit" in page
    assert browser.get("/").status_code != 200


@pytest.fixture
def proxied(app):
    """Build apps behind `count` trusted proxies on the test database; closed afterwards."""
    made = []

    def build(count: int):
        made.append(
            create_app(
                TestingConfig,
                SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                PROXY_COUNT=count,
                LOGIN_RATE_LIMIT="2 per minute",
            )
        )
        return made[-1]

    yield build
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def _post_login(client, forwarded_for: str):
    return client.post(
        "/login",
        data={},
        environ_base={"REMOTE_ADDR": "10.0.0.254"},  # the reverse proxy
        headers={"X-Forwarded-For": forwarded_for},
    )


def test_behind_one_trusted_proxy_each_client_has_its_own_bucket(proxied):
    behind = proxied(1)
    first, second = behind.test_client(), behind.test_client()
    codes = [_post_login(first, "198.51.100.1").status_code for _ in range(3)]
    other = _post_login(second, "198.51.100.2")
    assert codes == [400, 400, 429]  # 400: CSRF, after the rate limit let it through
    assert other.status_code == 400


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(proxied):
    direct = proxied(0)
    first, second = direct.test_client(), direct.test_client()
    for _ in range(2):
        _post_login(first, "198.51.100.1")
    # A forged header does not buy a fresh bucket: both come from the proxy's address.
    assert _post_login(second, "198.51.100.2").status_code == 429


def test_the_throttle_counts_the_client_behind_the_proxy(proxied, budi):
    behind = proxied(1)
    behind.config["LOGIN_RATE_LIMIT"] = "100 per minute"
    nip = budi.employee.nip
    # The stranger (behind the proxy) has failed 11 times, just now.
    _throttled(budi, nip, STRANGER, 11, utcnow())

    def login(client, forwarded_for, password):
        page = client.get("/login").get_data(as_text=True)
        token = CSRF_RE.search(page).group(1)
        return client.post(
            "/login",
            data={"csrf_token": token, "login": nip, "password": password},
            environ_base={"REMOTE_ADDR": "10.0.0.254"},
            headers={"X-Forwarded-For": forwarded_for},
        )

    refused = login(behind.test_client(), STRANGER, PASSWORD)
    assert "Coba lagi dalam 2 menit" in refused.get_data(as_text=True)
    assert login(behind.test_client(), OWNER, PASSWORD).status_code == 302
