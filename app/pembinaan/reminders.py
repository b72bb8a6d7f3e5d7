"""Reminders of open pembinaan tasks (run daily with the SKP and complaint reminders).

Per the task's state in workflows/pembinaan.yaml: due_soon (remind_before_days
before the due date: the monthly monitoring note is asked for a few days before
the month is up) and overdue, to the task's holder. Each is written down as a
Notice (task, kind, recipient), so nothing is sent twice; a new month's task is
a new task, so each month is reminded again. Flushes, never commits.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Notice, PembinaanCase, Task
from app.models.types import utcnow
from app.outbox import notices
from app.outbox.links import external_url
from app.outbox.queue import enqueue_mail
from app.workflow.engine import engine
from app.workflow.spec import StateSpec
from app.workflow.tasks import reminder_window


def _due(workflow: str, state: StateSpec, today: date, kind: str) -> list[Task]:
    """The open pembinaan tasks at `state` that `kind` applies to today and were not told."""
    told = sa.select(Notice.id).where(
        Notice.task_id == Task.id, Notice.kind == kind, Notice.recipient_id == Task.assignee_id
    )
    query = (
        sa.select(Task)
        .join(PembinaanCase, PembinaanCase.id == Task.pembinaan_id)
        .where(
            PembinaanCase.workflow == workflow,
            Task.state == state.name,
            Task.closed_at.is_(None),
            Task.assignee_id.is_not(None),
            ~sa.exists(told),
            *reminder_window(kind, state, today),
        )
        .options(
            joinedload(Task.pembinaan).joinedload(PembinaanCase.employee),
            joinedload(Task.assignee),
        )
        .order_by(Task.id)
    )
    return list(db.session.scalars(query).unique())


def _mail(kind: str, reader, task: Task, step: str, today: date):
    case = task.pembinaan
    with force_locale(reader.locale):
        if kind == "due_soon":
            subject = _(
                "[SIKAP] Reminder: pembinaan of %(name)s (%(step)s) by %(date)s",
                name=case.employee.name,
                step=step,
                date=task.due_date.isoformat(),
            )
        else:
            subject = _(
                "[SIKAP] Overdue since %(date)s: pembinaan of %(name)s (%(step)s)",
                name=case.employee.name,
                step=step,
                date=task.due_date.isoformat(),
            )
    return enqueue_mail(
        reader.employee.email,
        subject,
        "pembinaan_reminder",
        locale=reader.locale,
        kind=kind,
        person=reader.employee,
        case=case,
        task=task,
        step=step,
        days=abs((task.due_date - today).days),
        url=external_url("pembinaan.show", case_id=case.id),
    )


def send_pembinaan_reminders(today: date, now: datetime | None = None) -> int:
    """Write today's pembinaan reminders; return how many were mailed."""
    now = now or utcnow()
    sent = 0
    for spec in engine().specs.values():
        if spec.subject != "pembinaan":
            continue
        for state in spec.states.values():
            if state.final or state.task is None:
                continue
            kinds = ["due_soon", "overdue"] if state.remind_before_days > 0 else ["overdue"]
            for kind in kinds:
                for task in _due(spec.name, state, today, kind):
                    reader = notices.readers([task.assignee]).get(task.assignee_id)
                    if reader is None:
                        continue
                    message = _mail(kind, reader, task, state.label[reader.locale], today)
                    db.session.add(
                        Notice(
                            kind=kind,
                            recipient_id=task.assignee_id,
                            appraisal_id=None,
                            task_id=task.id,
                            outbox_message_id=message.id,
                            created_at=now,
                        )
                    )
                    sent += 1
    db.session.flush()
    return sent
