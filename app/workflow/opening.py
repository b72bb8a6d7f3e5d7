"""How a case that no one submits begins (a complaint from the public, a pembinaan on a
final predikat): its first audit event, its first tasks, and the mails of that step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from app.extensions import db
from app.models import AuditEvent
from app.workflow.audit import record_event
from app.workflow.spec import TransitionSpec
from app.workflow.subjects import Subject
from app.workflow.tasks import open_tasks


def open_subject(
    subject: Subject,
    now: datetime,
    *,
    opened_by: str,
    mails: Callable[..., None],
    also_notify: tuple[str, ...] = (),
) -> AuditEvent:
    """Record the case's first event (no actor; `opened_by` names the role: "public",
    "system"), open its initial state's tasks and queue the mails `mails` (the kind's
    transition_mails) writes for them and `also_notify`. Flushes."""
    from app.workflow.engine import engine  # the engine imports the kinds that call this

    spec = engine().spec(subject.workflow)
    initial = spec.states[subject.state]
    event = record_event(
        subject,
        actor=None,
        role=opened_by,
        trigger="open",
        from_state=subject.state,
        to_state=subject.state,
        comment=None,
        acting_as=None,
        now=now,
    )
    opened = open_tasks(subject, initial, now)
    opening = TransitionSpec(
        trigger="open",
        source=subject.state,
        dest=subject.state,
        label=spec.label,
        roles=(),
        form="transition",
        guards=(),
        comment="none",
        notify=(*initial.tasks, *also_notify),
        line=0,
    )
    mails(subject, opening, event, opened, spec)
    db.session.flush()
    return event
