"""Server-side sessions: one UserSession row per signed-in browser, revocable at any time.

The browser holds a random token (in the signed Flask session and, with "keep me
signed in", the remember cookie); the row is keyed by its SHA-256. A request is
signed in only while its row is neither revoked, nor idle too long, nor past its
absolute lifetime. Services flush, never commit.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import cache

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db
from app.models import Account, Employee, Position, UserSession


def hash_token(token: str) -> str:
    """The row id for a session token."""
    return hashlib.sha256(token.encode()).hexdigest()


def summarise_user_agent(user_agent: str) -> str:
    """A short, language-neutral device name ("Firefox · Windows") from a User-Agent header."""
    ua = user_agent or ""
    browsers = (
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    )
    systems = (
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    )
    browser = next((name for mark, name in browsers if mark in ua), None)
    system = next((name for mark, name in systems if mark in ua), None)
    if browser and system:
        return f"{browser} · {system}"
    return (browser or system or ua[:60] or "?")[:80]


def start_session(account: Account, remember: bool, user_agent: str, now: datetime) -> str:
    """Open a new session for `account` and return its token (also set on the account)."""
    config = current_app.config
    # Rows that can no longer sign anyone in are dropped when their account signs in.
    db.session.execute(
        sa.delete(UserSession).where(
            UserSession.account_id == account.id,
            sa.or_(UserSession.revoked_at.is_not(None), UserSession.expires_at <= now),
        )
    )
    lifetime = (
        config["REMEMBER_COOKIE_DURATION"]
        if remember
        else timedelta(hours=config["SESSION_MAX_HOURS"])
    )
    token = secrets.token_urlsafe(32)
    record = UserSession(
        id=hash_token(token),
        account_id=account.id,
        created_at=now,
        last_seen_at=now,
        expires_at=now + lifetime,
        user_agent=summarise_user_agent(user_agent),
        remember=remember,
    )
    db.session.add(record)
    db.session.flush()
    account.session_token, account.current_session = token, record
    return token


def is_valid(record: UserSession, now: datetime) -> bool:
    """Whether the session may still sign its browser in at `now`."""
    if record.revoked_at is not None or now >= record.expires_at:
        return False
    # A remembered session has no idle limit: that is what "keep me signed in" means.
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    return record.remember or now - record.last_seen_at < idle


@cache
def _session_query(extras: tuple[sa.ColumnElement, ...] = ()) -> sa.Select:
    """The session :id with its account, roles, position and OPD, and `extras`; built once."""
    account_loads = joinedload(UserSession.account)
    return (
        sa.select(UserSession, *extras)
        .where(UserSession.id == sa.bindparam("id"))
        .options(
            account_loads.joinedload(Account.role_grants),
            account_loads.joinedload(Account.employee)
            .joinedload(Employee.position)
            .joinedload(Position.opd),
        )
    )


def load_session(
    token: str, now: datetime, extras: tuple[sa.ColumnElement, ...] = ()
) -> Account | None:
    """The account signed in by `token`, with its roles, position and OPD, in one query.

    `extras`: columns (correlated to the user_session row) read in the same query;
    their values are left in `account.preloaded_nav`.
    """
    if not token or len(token) > 100:
        return None
    query = _session_query(extras)
    row = db.session.execute(query, {"id": hash_token(token)}).unique().one_or_none()
    if row is None:
        return None
    record, *values = row
    if not is_valid(record, now) or not record.account.is_active:
        return None
    _touch(record, now)
    account = record.account
    account.session_token, account.current_session = token, record
    account.preloaded_nav = tuple(values) if extras else None
    return account


def _touch(record: UserSession, now: datetime) -> None:
    # At most one write a minute per session, in its own short transaction: a GET
    # page commits nothing, and the request's transaction must not carry this.
    if now - record.last_seen_at < timedelta(seconds=current_app.config["SESSION_TOUCH_SECONDS"]):
        return
    with db.engine.begin() as connection:
        connection.execute(
            sa.update(UserSession).where(UserSession.id == record.id).values(last_seen_at=now)
        )
    set_committed_value(record, "last_seen_at", now)


def end_session(record: UserSession, now: datetime) -> None:
    """Revoke one session (sign-out): its cookies sign nobody in any more."""
    record.revoked_at = now
    db.session.flush()


def end_sessions(account: Account, now: datetime, keep: UserSession | None = None) -> int:
    """Revoke every open session of the account except `keep`; return how many."""
    condition = [UserSession.account_id == account.id, UserSession.revoked_at.is_(None)]
    if keep is not None:
        condition.append(UserSession.id != keep.id)
    result = db.session.execute(
        sa.update(UserSession).where(*condition).values(revoked_at=now),
        execution_options={"synchronize_session": False},
    )
    db.session.flush()
    return result.rowcount


def open_sessions(account: Account, now: datetime) -> list[UserSession]:
    """The account's sessions that still sign a browser in, most recently seen first."""
    rows = db.session.scalars(
        sa.select(UserSession)
        .where(
            UserSession.account_id == account.id,
            UserSession.revoked_at.is_(None),
            UserSession.expires_at > now,
        )
        .order_by(UserSession.last_seen_at.desc())
    ).all()
    return [row for row in rows if is_valid(row, now)]


def session_of(account: Account, session_id: str) -> UserSession | None:
    """The account's session with this row id, else None."""
    return db.session.scalars(
        sa.select(UserSession).where(
            UserSession.id == session_id, UserSession.account_id == account.id
        )
    ).one_or_none()
