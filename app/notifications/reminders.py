"""Reminders and escalation of open tasks (`flask tasks remind`, run daily by cron).

Per the task's state in its workflow definition:
- due_soon: once, from remind_before_days before the due date until the due date,
  to whoever holds the task (the assignee, or the BKD verifier who claimed it);
- overdue: once, the day after the due date or later, to the same person;
- escalation: once, escalate_after_days after the due date, a copy to the
  holder's atasan (the task stays where it is: a copy, not a reassignment).
Each is written down as a Notice whose (task, kind, recipient) is unique, so
running the command again the same day (or any later day) sends nothing twice.
People who chose a daily digest get the notice in their next digest instead.
Unclaimed BKD group tasks have no holder: they are neither reminded nor
escalated here; the verifiers see them in their inbox and digest.
Flushes, never commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Appraisal, Employee, Notice, Task
from app.models.types import utcnow
from app.org.reporting import atasan_of
from app.outbox import notices
from app.outbox.links import task_url
from app.outbox.notices import Reader
from app.outbox.queue import enqueue_mail
from app.workflow.engine import engine
from app.workflow.roles import GROUP_ROLES
from app.workflow.spec import StateSpec, WorkflowSpec
from app.workflow.tasks import reminder_window


@dataclass
class ReminderResult:
    """How many of each notice a run wrote, and how they went out."""

    due_soon: int = 0
    overdue: int = 0
    escalation: int = 0
    mailed: int = 0
    digested: int = 0

    @property
    def total(self) -> int:
        return self.due_soon + self.overdue + self.escalation


def local_today() -> date:
    """Today in the city's time zone: reminders follow the office calendar, not UTC."""
    return datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def _holder():
    return sa.func.coalesce(Task.assignee_id, Task.claimed_by_id)


def _not_told(kind: str, *, anyone: bool = False):
    """No notice of `kind` for the task yet (to its holder, or to anyone at all)."""
    told = sa.select(Notice.id).where(Notice.task_id == Task.id, Notice.kind == kind)
    if not anyone:
        told = told.where(Notice.recipient_id == _holder())
    return ~sa.exists(told)


def _due_tasks(workflow: str, state: StateSpec, today: date, kind: str) -> list[Task]:
    """The open tasks of one workflow state that `kind` applies to today and were not told."""
    query = (
        sa.select(Task)
        .join(Appraisal, Appraisal.id == Task.appraisal_id)
        .where(
            Appraisal.workflow == workflow,
            Task.state == state.name,
            Task.closed_at.is_(None),
            _holder().is_not(None),
        )
        .options(
            joinedload(Task.appraisal).joinedload(Appraisal.employee),
            joinedload(Task.appraisal).joinedload(Appraisal.period),
            joinedload(Task.assignee),
            joinedload(Task.claimed_by),
        )
        .order_by(Task.id)
    )
    query = query.where(*reminder_window(kind, state, today))
    if kind in ("due_soon", "overdue"):
        query = query.where(_not_told(kind))
    else:
        # Escalation is for personal tasks: a BKD verifier's atasan cannot open the SKP.
        query = query.where(Task.role.not_in(GROUP_ROLES), _not_told("escalation", anyone=True))
    return list(db.session.scalars(query).unique())


def _actions(spec: WorkflowSpec, task: Task, employee_id: int, locale: str) -> list[dict]:
    return [
        {
            "label": t.label[locale],
            "url": task_url(employee_id, task.appraisal_id, task.id, t.trigger),
        }
        for t in spec.transitions_from(task.state)
        if task.role in t.roles
    ]


def _subject(kind: str, task: Task, step: str, holder: Employee) -> str:
    name = task.appraisal.employee.name
    due = format_date(task.due_date, "medium")
    if kind == "due_soon":
        return _(
            "[SIKAP] Reminder: %(step)s is due on %(date)s (SKP of %(name)s)",
            step=step,
            date=due,
            name=name,
        )
    if kind == "overdue":
        return _(
            "[SIKAP] Overdue since %(date)s: %(step)s (SKP of %(name)s)",
            step=step,
            date=due,
            name=name,
        )
    return _(
        "[SIKAP] Overdue at %(holder)s: %(step)s (SKP of %(name)s)",
        holder=holder.name,
        step=step,
        name=name,
    )


def _mail(kind: str, reader: Reader, task: Task, holder: Employee, spec: WorkflowSpec, today: date):
    locale = reader.locale
    step = spec.states[task.state].label[locale]
    with force_locale(locale):
        subject = _subject(kind, task, step, holder)
    me = reader.employee.id
    return enqueue_mail(
        reader.employee.email,
        subject,
        "escalation" if kind == "escalation" else "reminder",
        locale=locale,
        kind=kind,
        person=reader.employee,
        holder=holder,
        appraisal=task.appraisal,
        task=task,
        step=step,
        days=abs((task.due_date - today).days),
        url=task_url(me, task.appraisal_id, task.id),
        actions=_actions(spec, task, me, locale) if kind != "escalation" else [],
    )


def _tell(kind, reader, task, holder, spec, today, now, result: ReminderResult) -> None:
    if reader.digest:
        notices.record(kind, reader, task.appraisal_id, task_id=task.id, now=now)
        result.digested += 1
    else:
        message = _mail(kind, reader, task, holder, spec, today)
        notices.record(kind, reader, task.appraisal_id, task_id=task.id, message=message, now=now)
        result.mailed += 1
    setattr(result, kind, getattr(result, kind) + 1)


def _atasan(holders: dict[int, Employee], today: date) -> dict[int, Employee | None]:
    """The atasan of each task's holder, on `today` (the escalation's recipient)."""
    found = {}
    for task_id, holder in holders.items():
        atasan = atasan_of(holder, today)
        found[task_id] = atasan.employee if atasan else None
    return found


def send_reminders(today: date | None = None, now: datetime | None = None) -> ReminderResult:
    """Write today's reminders and escalations, each at most once per task and person."""
    today = today or local_today()
    now = now or utcnow()
    result = ReminderResult()
    for spec in engine().specs.values():
        if spec.subject != "appraisal":
            continue  # complaints: app.complaints.reminders
        for state in spec.states.values():
            if state.final or state.task is None:
                continue
            kinds = ["overdue", "escalation"]
            if state.remind_before_days > 0:
                kinds.insert(0, "due_soon")
            for kind in kinds:
                tasks = _due_tasks(spec.name, state, today, kind)
                holders = {t.id: t.assignee or t.claimed_by for t in tasks}
                people = holders if kind != "escalation" else _atasan(holders, today)
                readers = notices.readers(people.values())
                for task in tasks:
                    person = people[task.id]
                    reader = readers.get(person.id) if person is not None else None
                    if reader is not None:
                        _tell(kind, reader, task, holders[task.id], spec, today, now, result)
    db.session.flush()
    return result
