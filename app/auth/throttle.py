"""Sign-in throttling: failures slow the next attempts down; nothing locks an account.

Failures are counted under three keys: the account (or, for an unknown login, the
login itself, so that throttling says nothing about which accounts exist), the
client address, and the pair of both. After LOGIN_FREE_FAILURES failures for an
account, attempts wait 2^(n - free) seconds after the last failure (capped) — but
only from addresses that have themselves failed LOGIN_PAIR_FREE_FAILURES times for
it. A stranger's failures therefore slow the stranger, not the owner signing in
from elsewhere. An address failing across many accounts (password spraying) is
slowed the same way after LOGIN_ADDRESS_FREE_FAILURES failures.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.models import Account, LoginThrottle


@dataclass(frozen=True)
class ThrottleKeys:
    """The counters one sign-in attempt reads and, on failure, bumps."""

    account: str
    pair: str
    address: str

    @classmethod
    def of(cls, account: Account | None, login: str, address: str) -> ThrottleKeys:
        if account is not None:
            subject = f"a:{account.id}"
        else:
            subject = "l:" + hashlib.sha256(login.strip().lower().encode()).hexdigest()[:40]
        return cls(account=subject, pair=f"{subject}@{address}", address=f"ip:{address}")


def delay_seconds(failures: int, free: int, cap: int) -> int:
    """How long after the last failure the next attempt waits: 2^(failures - free), capped."""
    if failures < free:
        return 0
    return min(2 ** min(failures - free, 30), cap)


def wait_before_attempt(keys: ThrottleKeys, now: datetime) -> timedelta | None:
    """How long this attempt must wait, or None when it may go ahead now."""
    config = current_app.config
    rows = db.session.scalars(
        sa.select(LoginThrottle).where(
            LoginThrottle.key.in_([keys.account, keys.pair, keys.address]),
            LoginThrottle.last_failure_at > now - _memory(),
        )
    ).all()
    failures = {row.key: row for row in rows}
    address = failures.get(keys.address)
    waits = [_remaining(address, config["LOGIN_ADDRESS_FREE_FAILURES"], now)]
    pair = failures.get(keys.pair)
    if pair is not None and pair.failures >= config["LOGIN_PAIR_FREE_FAILURES"]:
        waits.append(_remaining(failures.get(keys.account), config["LOGIN_FREE_FAILURES"], now))
    wait = max(waits)
    return wait if wait > timedelta(0) else None


def record_failure(keys: ThrottleKeys, now: datetime) -> None:
    """Count one failure under each key, atomically (parallel attempts all count)."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(LoginThrottle).values(
        [
            {"key": key, "failures": 1, "last_failure_at": now}
            for key in (keys.account, keys.pair, keys.address)
        ]
    )
    # A counter whose last failure is older than the memory starts again at one.
    stmt = stmt.on_conflict_do_update(
        index_elements=[LoginThrottle.key],
        set_={
            "failures": sa.case(
                (LoginThrottle.last_failure_at <= now - _memory(), 1),
                else_=LoginThrottle.failures + 1,
            ),
            "last_failure_at": now,
        },
    )
    db.session.execute(stmt)
    db.session.flush()


def record_success(keys: ThrottleKeys) -> None:
    """Forget the account's failures after a correct password (the address keeps its count)."""
    db.session.execute(
        sa.delete(LoginThrottle).where(LoginThrottle.key.in_([keys.account, keys.pair]))
    )
    db.session.flush()


def _memory() -> timedelta:
    return timedelta(hours=current_app.config["LOGIN_FAILURE_MEMORY_HOURS"])


def _remaining(row: LoginThrottle | None, free: int, now: datetime) -> timedelta:
    if row is None or row.failures < free:
        return timedelta(0)
    cap = current_app.config["LOGIN_MAX_DELAY_SECONDS"]
    delay = timedelta(seconds=delay_seconds(row.failures, free, cap))
    return row.last_failure_at + delay - now
