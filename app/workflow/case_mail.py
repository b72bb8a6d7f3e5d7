"""The mail of a step of a case (a complaint, a pembinaan): one to each holder of the roles
the transition notifies, but not the one who acted, in the reader's own language."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask_babel import force_locale

from app.models import AuditEvent, Employee, Task
from app.outbox import notices
from app.outbox.queue import enqueue_mail
from app.workflow.spec import TransitionSpec, WorkflowSpec
from app.workflow.subjects import Subject


def mail_step(
    case: Subject,
    transition: TransitionSpec,
    event: AuditEvent,
    opened: list[Task],
    spec: WorkflowSpec,
    /,
    *,
    recipients: Callable[[Subject, Iterable[str]], list[tuple[str, Employee]]],
    subject_line: Callable[[str], str],
    template: str,
    url: str,
    **context,
) -> None:
    """Queue the step's mail to each person `recipients` names for `transition.notify`.

    `subject_line(step)` is called in the reader's locale; the mail gets the step and
    the state it led to, the comment, the reader's own new task, `url` and `context`
    (which may name the case again for the template: the first five are positional).
    """
    people = [e for _role, e in recipients(case, transition.notify) if e.id != event.actor_id]
    readers = notices.readers(people)
    dest = spec.states[transition.dest]
    for employee in people:
        reader = readers.get(employee.id)
        if reader is None:
            continue
        locale = reader.locale
        step = transition.label[locale]
        with force_locale(locale):
            line = subject_line(step)
        enqueue_mail(
            employee.email,
            line,
            template,
            locale=locale,
            audit_event_id=event.id,
            person=employee,
            step=step,
            state=dest.label[locale],
            comment=event.comment,
            task=next((t for t in opened if t.assignee_id == employee.id), None),
            url=url,
            **context,
        )
