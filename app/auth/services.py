"""Account services: sign-in under the throttle, password changes and reset tokens.

Services flush and never commit; the view commits once.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.auth import sessions, throttle
from app.auth.passwords import burn_verification, hash_password, verify_password
from app.extensions import db
from app.models import Account, Employee, UserSession
from app.models.types import utcnow
from app.org.nip import compact_nip
from app.outbox.links import external_url
from app.outbox.queue import enqueue_mail

RESET_SALT = "sikap-password-reset"


def find_account(login: str) -> Account | None:
    """The account whose employee has this NIP or email (emails compared case-insensitively)."""
    login = (login or "").strip()
    if not login:
        return None
    if "@" in login:
        condition = sa.func.lower(Employee.email) == login.lower()
    else:
        condition = Employee.nip == compact_nip(login)
    return db.session.scalars(
        sa.select(Account).join(Account.employee).where(condition)
    ).one_or_none()


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt: the account signed in, or how long to wait."""

    account: Account | None = None
    wait: timedelta | None = None


def sign_in(
    login: str,
    password: str,
    *,
    address: str,
    remember: bool,
    user_agent: str,
    now: datetime | None = None,
) -> SignIn:
    """Check the credentials under the throttle; on success open a new server-side session.

    A throttled attempt is refused without looking at the password. Every other
    failure gives the caller nothing to tell apart (unknown login, wrong password,
    deactivated account).
    """
    now = now or utcnow()
    account = find_account(login)
    keys = throttle.ThrottleKeys.of(account, login or "", address)
    wait = throttle.wait_before_attempt(keys, now)
    if wait is not None:
        return SignIn(wait=wait)
    if account is None:
        burn_verification(password)
        throttle.record_failure(keys, now)
        return SignIn()
    if not verify_password(account.password_hash, password) or not account.is_active:
        throttle.record_failure(keys, now)
        return SignIn()
    throttle.record_success(keys)
    account.last_login_at = now
    sessions.start_session(account, remember, user_agent, now)
    return SignIn(account=account)


def set_password(account: Account, password: str, keep: UserSession | None = None) -> None:
    """Store a new password and end every session of the account except `keep`."""
    now = utcnow()
    account.password_hash = hash_password(password)
    account.password_changed_at = now
    sessions.end_sessions(account, now, keep=keep)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def make_reset_token(account: Account) -> str:
    """A signed token naming the account and its current password hash (so it works once)."""
    return _serializer().dumps({"a": account.id, "h": account.password_hash[-16:]})


def account_for_reset_token(token: str) -> Account | None:
    """The account a valid, unexpired, unused token names, else None."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict):
        return None
    account = db.session.get(Account, data.get("a"))
    if account is None or not account.is_active or account.password_hash[-16:] != data.get("h"):
        return None
    return account


def request_password_reset(login: str) -> None:
    """Queue a reset mail when the account exists and has an email; say nothing otherwise."""
    account = find_account(login)
    if account is None or not account.is_active or not account.employee.email:
        return
    token = make_reset_token(account)
    enqueue_mail(
        account.employee.email,
        _l("SIKAP password reset"),
        "password_reset",
        locale=account.locale,
        account=account,
        # Under BASE_URL, never the request's Host header (which the client chooses).
        url=external_url("auth.reset", token=token),
        minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
    )


def set_locale(account: Account, locale: str) -> None:
    """Save the account's interface language."""
    account.locale = locale
    db.session.flush()
