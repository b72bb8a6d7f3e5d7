"""Reminders and escalation of open complaint tasks (run daily with the SKP reminders).

Per the task's state in workflows/pengaduan.yaml, as for an SKP task
(app.notifications.reminders): due_soon and overdue to the task's holder, and
an escalation, escalate_after_days after the due date, to the kepala OPD of the
complaint's unit (a copy: the task stays where it is). Each is written down as
a Notice (task, kind, recipient), so nothing is sent twice. Complaint notices
are always mailed at once (the SLA is counted in days, not left to a digest).
Flushes, never commits.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Complaint, Employee, Notice, Task
from app.models.types import utcnow
from app.outbox import notices
from app.outbox.links import external_url
from app.outbox.queue import enqueue_mail
from app.workflow.complaints import KEPALA_OPD, kepala_opd
from app.workflow.engine import engine
from app.workflow.spec import StateSpec
from app.workflow.tasks import reminder_window


def _not_told(kind: str, *, anyone: bool = False) -> sa.ColumnElement[bool]:
    told = sa.select(Notice.id).where(Notice.task_id == Task.id, Notice.kind == kind)
    if not anyone:
        told = told.where(Notice.recipient_id == Task.assignee_id)
    return ~sa.exists(told)


def _due(workflow: str, state: StateSpec, today: date, kind: str) -> list[Task]:
    """The open complaint tasks at `state` that `kind` applies to today and were not told."""
    query = (
        sa.select(Task)
        .join(Complaint, Complaint.id == Task.complaint_id)
        .where(
            Complaint.workflow == workflow,
            Task.state == state.name,
            Task.closed_at.is_(None),
            Task.assignee_id.is_not(None),
        )
        .options(
            joinedload(Task.complaint).joinedload(Complaint.service_unit),
            joinedload(Task.assignee),
        )
        .order_by(Task.id)
    )
    query = query.where(*reminder_window(kind, state, today))
    if kind in ("due_soon", "overdue"):
        query = query.where(_not_told(kind))
    else:
        # The kepala OPD's own task is not escalated to themself.
        query = query.where(Task.role != KEPALA_OPD, _not_told("escalation", anyone=True))
    return list(db.session.scalars(query).unique())


def _mail(kind: str, reader, task: Task, holder: Employee, step: str, today: date):
    complaint = task.complaint
    with force_locale(reader.locale):
        if kind == "due_soon":
            subject = _(
                "[SIKAP] Reminder: complaint #%(number)s is due on %(date)s",
                number=complaint.id,
                date=task.due_date.isoformat(),
            )
        elif kind == "overdue":
            subject = _(
                "[SIKAP] Overdue since %(date)s: complaint #%(number)s",
                number=complaint.id,
                date=task.due_date.isoformat(),
            )
        else:
            subject = _(
                "[SIKAP] Overdue at %(holder)s: complaint #%(number)s",
                holder=holder.name,
                number=complaint.id,
            )
    return enqueue_mail(
        reader.employee.email,
        subject,
        "complaint_reminder",
        locale=reader.locale,
        kind=kind,
        person=reader.employee,
        holder=holder,
        complaint=complaint,
        task=task,
        step=step,
        days=abs((task.due_date - today).days),
        url=external_url("complaints.show", complaint_id=complaint.id),
    )


def send_complaint_reminders(today: date, now: datetime | None = None) -> int:
    """Write today's complaint reminders and escalations; return how many were mailed."""
    now = now or utcnow()
    sent = 0
    for spec in engine().specs.values():
        if spec.subject != "complaint":
            continue
        for state in spec.states.values():
            if state.final or state.task is None:
                continue
            kinds = ["overdue", "escalation"]
            if state.remind_before_days > 0:
                kinds.insert(0, "due_soon")
            for kind in kinds:
                for task in _due(spec.name, state, today, kind):
                    holder = task.assignee
                    if kind == "escalation":
                        head = kepala_opd(task.complaint, today)
                        person = head.employee if head else None
                    else:
                        person = holder
                    reader = notices.readers([person]).get(person.id) if person else None
                    if reader is None or (kind == "escalation" and person.id == holder.id):
                        continue
                    step = state.label[reader.locale]
                    message = _mail(kind, reader, task, holder, step, today)
                    db.session.add(
                        Notice(
                            kind=kind,
                            recipient_id=person.id,
                            appraisal_id=None,
                            task_id=task.id,
                            outbox_message_id=message.id,
                            created_at=now,
                        )
                    )
                    sent += 1
    db.session.flush()
    return sent
