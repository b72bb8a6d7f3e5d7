"""Who is told, in which language and how: a mail now, or an item for the daily digest.

Shared by the transition mails, the reminders and the digest. Flushes, never commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache

import sqlalchemy as sa

from app.extensions import db
from app.models import Account, Employee, Notice, OutboxMessage, RoleGrant
from app.models.accounts import VERIFIKATOR_BKD
from app.models.types import utcnow


@dataclass(frozen=True)
class Reader:
    """A person who can be told something: they have an email; their language and mail mode."""

    employee: Employee
    locale: str
    digest: bool


def readers(employees: Iterable[Employee]) -> dict[int, Reader]:
    """Reader per employee id, for active employees with an email, in one query.

    People without an account (or a disabled one) still get mail, in Indonesian and
    at once: they cannot choose otherwise.
    """
    people = {e.id: e for e in employees if e is not None and e.email and e.active}
    if not people:
        return {}
    settings = {
        employee_id: (locale, mode)
        for employee_id, locale, mode in db.session.execute(
            _settings_query(), {"employee_ids": list(people)}
        )
    }
    found = {}
    for employee_id, employee in people.items():
        locale, mode = settings.get(employee_id, ("id", "immediate"))
        found[employee_id] = Reader(employee, locale, mode == "digest")
    return found


@cache
def _settings_query() -> sa.Select:
    """Language and mail mode of the enabled accounts of :employee_ids; built once (every step)."""
    return sa.select(Account.employee_id, Account.locale, Account.mail_mode).where(
        Account.employee_id.in_(sa.bindparam("employee_ids", expanding=True)),
        Account.is_enabled.is_(True),
    )


def verifiers() -> list[Reader]:
    """The BKD verifiers who can be mailed: enabled accounts with the role and an email."""
    employees = db.session.scalars(
        sa.select(Employee)
        .join(Account, Account.employee_id == Employee.id)
        .join(RoleGrant, RoleGrant.account_id == Account.id)
        .where(
            RoleGrant.role == VERIFIKATOR_BKD,
            Account.is_enabled.is_(True),
            Employee.active.is_(True),
            Employee.email.is_not(None),
        )
        .order_by(Employee.id)
    ).all()
    return list(readers(employees).values())


def record(
    kind: str,
    reader: Reader,
    appraisal_id: int,
    *,
    task_id: int | None = None,
    event_id: int | None = None,
    message: OutboxMessage | None = None,
    now: datetime | None = None,
    iki_feedback_id: int | None = None,
) -> Notice:
    """Write down that `reader` is told `kind`; without a message it waits for their digest."""
    notice = Notice(
        kind=kind,
        recipient_id=reader.employee.id,
        appraisal_id=appraisal_id,
        task_id=task_id,
        audit_event_id=event_id,
        outbox_message_id=message.id if message is not None else None,
        iki_feedback_id=iki_feedback_id,
        created_at=now or utcnow(),
    )
    db.session.add(notice)
    return notice


def set_mail_mode(account: Account, mode: str) -> None:
    """Mail the account's workflow notices at once ('immediate') or in a daily 'digest'."""
    account.mail_mode = mode
    db.session.flush()
