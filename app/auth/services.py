"""Account services: authentication, lockout, password changes and reset tokens.

Services flush and never commit; the view commits once.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.auth.passwords import burn_verification, hash_password, verify_password
from app.extensions import db
from app.models import Account, Employee
from app.models.types import utcnow
from app.org.nip import compact_nip
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


def is_locked(account: Account, now: datetime) -> bool:
    return account.locked_until is not None and account.locked_until > now


def authenticate(login: str, password: str, now: datetime | None = None) -> Account | None:
    """Return the account if the credentials are right and it may sign in, else None.

    Failures are counted on the account; after LOGIN_MAX_FAILURES it is locked for
    LOGIN_LOCKOUT_MINUTES. The caller gives the same answer for every failure.
    """
    now = now or utcnow()
    account = find_account(login)
    if account is None:
        burn_verification(password)
        return None
    if is_locked(account, now):
        burn_verification(password)
        return None
    if not verify_password(account.password_hash, password) or not account.is_active:
        _record_failure(account, now)
        return None
    account.failed_logins = 0
    account.locked_until = None
    account.last_login_at = now
    db.session.flush()
    return account


def _record_failure(account: Account, now: datetime) -> None:
    config = current_app.config
    # Counted in the database with an UPDATE, so that parallel attempts all count.
    db.session.execute(
        sa.update(Account)
        .where(Account.id == account.id)
        .values(failed_logins=Account.failed_logins + 1)
    )
    db.session.refresh(account, ["failed_logins"])
    if account.failed_logins >= config["LOGIN_MAX_FAILURES"]:
        account.locked_until = now + timedelta(minutes=config["LOGIN_LOCKOUT_MINUTES"])
        account.failed_logins = 0
    db.session.flush()


def set_password(account: Account, password: str) -> None:
    """Store a new password and end every existing session of the account."""
    account.password_hash = hash_password(password)
    account.password_changed_at = utcnow()
    account.failed_logins = 0
    account.locked_until = None
    end_sessions(account)


def end_sessions(account: Account) -> None:
    """Invalidate every session of the account (sign out everywhere)."""
    account.session_epoch += 1
    db.session.flush()


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


def request_password_reset(login: str, reset_url_for) -> None:
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
        url=reset_url_for(token),
        minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
    )


def set_locale(account: Account, locale: str) -> None:
    account.locale = locale
    db.session.flush()
