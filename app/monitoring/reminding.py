"""Bottlenecks: who has the most SKP waiting on them, and a reminder mailed to one of them.

The ranking is the monitor's reference figure (app.monitoring.progress.holders,
one query) with a person's roles taken together: an atasan who appraises and
also decides a keberatan is one row. An unclaimed BKD group task has no holder:
its row is the role.

A reminder goes to one person through the outbox, in their language, naming
their waiting SKP; it is logged (MonitorReminder) and limited to one per holder
in REMINDER_INTERVAL, whoever sends it. The limit is one atomic upsert on the
holder's MonitorReminderLatest row, the transaction's first write: on PostgreSQL
a racing request waits for the row and then finds it too recent; on SQLite the
database write lock orders them the same way. Flushes, never commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Appraisal, Employee, MonitorReminder, MonitorReminderLatest, Period, Task
from app.models.types import utcnow
from app.monitoring.progress import holders
from app.outbox.links import external_url
from app.outbox.notices import readers
from app.outbox.queue import enqueue_mail
from app.workflow.engine import engine
from app.workflow.roles import APPRAISEE, ROLE_LABELS

REMINDER_INTERVAL = timedelta(hours=24)
# holders() ranks and cuts; the page and the export rank every holder themselves.
EVERY_HOLDER = 10**9
# A reminder names this many of the holder's SKP, the longest waiting first.
LISTED = 10


@dataclass
class Bottleneck:
    """One person (or, for unclaimed group tasks, one role) and the SKP waiting on them."""

    employee_id: int | None
    name: str | None
    role: str
    opd_id: int | None
    waiting: int
    overdue: int
    oldest_since: date
    roles: list[str] = field(default_factory=list)

    def days_waiting(self, today: date) -> int:
        return (today - self.oldest_since).days


@dataclass(frozen=True)
class LastReminder:
    """When a holder was last reminded, and by whom."""

    sent_at: datetime
    sent_by: str


def ranking(period: Period, today: date, opd_id: int | None = None) -> list[Bottleneck]:
    """Every holder in the period (of one OPD's SKP, or the city's): most waiting, then oldest.

    Only SKP waiting on someone else count: an employee's own step (drafting the plan,
    the self-assessment) is theirs alone, one each, and shows in the monitor's counts
    per step; listed here, the city's pegawai would bury its atasan.
    """
    merged: dict[tuple, Bottleneck] = {}
    for h in holders(period, today, opd_id=opd_id, limit=EVERY_HOLDER, exclude_roles=(APPRAISEE,)):
        key = ("person", h.employee_id) if h.employee_id is not None else ("role", h.role)
        row = merged.get(key)
        if row is None:
            merged[key] = Bottleneck(
                h.employee_id, h.name, h.role, h.opd_id, h.waiting, h.overdue, h.oldest_since,
                [h.role],
            )  # fmt: skip
            continue
        row.waiting += h.waiting
        row.overdue += h.overdue
        row.oldest_since = min(row.oldest_since, h.oldest_since)
        row.roles.append(h.role)
        if h.opd_id is not None and (row.opd_id is None or h.opd_id < row.opd_id):
            row.opd_id = h.opd_id
    return sorted(merged.values(), key=lambda b: (-b.waiting, b.oldest_since, b.name or ""))


def last_reminders(holder_ids: list[int] | None) -> dict[int, LastReminder]:
    """The last reminder of each holder (None: of everyone reminded), in one query."""
    if holder_ids == []:
        return {}
    query = sa.select(
        MonitorReminderLatest.holder_id, MonitorReminderLatest.sent_at, Employee.name
    ).join(Employee, Employee.id == MonitorReminderLatest.sent_by_id)
    if holder_ids is not None:
        query = query.where(MonitorReminderLatest.holder_id.in_(holder_ids))
    return {
        holder: LastReminder(sent_at, name) for holder, sent_at, name in db.session.execute(query)
    }


def holder_label(row: Bottleneck) -> str:
    """The person's name, or the role of an unclaimed group task."""
    if row.employee_id is not None:
        return row.name or ""
    return _("%(role)s (not yet claimed)", role=ROLE_LABELS.get(row.role, row.role))


def export_table(
    rows: list[Bottleneck],
    today: date,
    opd_names: dict[int, str],
    last: dict[int, LastReminder],
) -> list[list]:
    """The header and one row per holder, as the page shows them (for CSV and XLSX).

    `opd_names`: the OPD in view, or every OPD for the city.
    """
    table: list[list] = [
        [
            _("Rank"), _("Holder"), _("Role"), _("OPD"), _("SKP waiting"), _("Of which overdue"),
            _("Waiting since"), _("Days waiting"), _("Last reminder"), _("Reminded by"),
        ]
    ]  # fmt: skip
    for rank, row in enumerate(rows, start=1):
        reminder = last.get(row.employee_id) if row.employee_id else None
        table.append(
            [
                rank,
                holder_label(row),
                ", ".join(str(ROLE_LABELS.get(r, r)) for r in row.roles),
                # An unclaimed group task spans OPDs: no OPD is its own.
                opd_names.get(row.opd_id, "") if row.employee_id or len(opd_names) == 1 else "",
                row.waiting,
                row.overdue,
                row.oldest_since.isoformat(),
                row.days_waiting(today),
                format_datetime(reminder.sent_at, "yyyy-MM-dd HH:mm") if reminder else "",
                reminder.sent_by if reminder else "",
            ]
        )
    return table


class ReminderRefused(Exception):
    """Nothing was sent or logged; the subclass says why."""


class NothingWaiting(ReminderRefused):
    """The holder has no open task on an SKP in the scope."""


class NoAddress(ReminderRefused):
    """The holder cannot be mailed (no email, or not active)."""


class TooSoon(ReminderRefused):
    """The holder was reminded less than REMINDER_INTERVAL ago."""

    def __init__(self, last: LastReminder | None):
        super().__init__("too soon")
        self.last = last


def waiting_tasks(holder_id: int, period: Period, opd_id: int | None) -> list[Task]:
    """The holder's open tasks on SKP of the period (and OPD), the longest waiting first."""
    query = (
        sa.select(Task)
        .join(Appraisal, Appraisal.id == Task.appraisal_id)
        .where(
            sa.func.coalesce(Task.claimed_by_id, Task.assignee_id) == holder_id,
            Task.closed_at.is_(None),
            Appraisal.period_id == period.id,
        )
        .options(joinedload(Task.appraisal).joinedload(Appraisal.employee))
        .order_by(Task.opened_at, Task.id)
    )
    if opd_id is not None:
        query = query.where(Appraisal.opd_id == opd_id)
    return list(db.session.scalars(query))


def _claim(holder_id: int, sender_id: int, now: datetime) -> bool:
    """Take the holder's reminder slot if the last reminder is older than the limit (atomic)."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(MonitorReminderLatest).values(
        holder_id=holder_id, sent_by_id=sender_id, sent_at=now
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[MonitorReminderLatest.holder_id],
        set_={"sent_by_id": sender_id, "sent_at": now},
        where=MonitorReminderLatest.sent_at <= now - REMINDER_INTERVAL,
    ).returning(MonitorReminderLatest.holder_id)
    return db.session.execute(stmt).first() is not None


def send_reminder(
    holder: Employee,
    period: Period,
    opd_id: int | None,
    sender: Employee,
    today: date,
    now: datetime | None = None,
) -> MonitorReminder:
    """Queue one mail to the holder listing their waiting SKP, and log it.

    Raises NothingWaiting, NoAddress or TooSoon, having written nothing.
    """
    now = now or utcnow()
    tasks = waiting_tasks(holder.id, period, opd_id)
    if not tasks:
        raise NothingWaiting("nothing waiting")
    reader = readers([holder]).get(holder.id)
    if reader is None:
        raise NoAddress("no address")
    if not _claim(holder.id, sender.id, now):
        raise TooSoon(last_reminders([holder.id]).get(holder.id))
    overdue = sum(1 for t in tasks if t.due_date < today)
    message = _mail(reader.locale, holder, sender, period, tasks, overdue, today)
    reminder = MonitorReminder(
        period_id=period.id,
        opd_id=opd_id,
        holder_id=holder.id,
        sent_by_id=sender.id,
        waiting=len(tasks),
        overdue=overdue,
        outbox_message_id=message.id,
        sent_at=now,
    )
    db.session.add(reminder)
    db.session.flush()
    return reminder


def _mail(locale, holder, sender, period, tasks, overdue, today):
    def step(task: Task) -> str:
        return engine().spec(task.appraisal.workflow).states[task.state].label[locale]

    listed = [
        {
            "name": t.appraisal.employee.name,
            "nip": t.appraisal.employee.nip,
            "step": step(t),
            "since": t.opened_at.date(),
            "due": t.due_date,
            "overdue": t.due_date < today,
        }
        for t in tasks[:LISTED]
    ]
    with force_locale(locale):
        subject = _(
            "[SIKAP] Reminder from %(sender)s: %(count)s SKP waiting for you",
            sender=sender.name,
            count=len(tasks),
        )
    return enqueue_mail(
        holder.email,
        subject,
        "bottleneck_reminder",
        locale=locale,
        person=holder,
        sender=sender,
        period=period,
        waiting=len(tasks),
        overdue=overdue,
        oldest=listed[0],
        oldest_days=(today - listed[0]["since"]).days,
        listed=listed,
        more=len(tasks) - len(listed),
        url=external_url("inbox.index", period=period.id),
    )
