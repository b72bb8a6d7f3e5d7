"""Queue the emails a transition's definition asks for, in each recipient's language.

Each personal recipient named by the transition's `notify` gets
templates/email/<trigger>.txt/.html (or the generic transition template) with a
signed link bound to them (rendered by the outbox worker when it is sent, in
the recipient's language); whoever now holds the task also gets one signed link
per step they may take from there (each opens a confirmation page). People who
chose a daily digest get a Notice instead, listed by `flask tasks digest`. BKD
verifiers are a group: they learn of new verification work from the digest,
never from one mail per appraisal.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import gettext as _
from jinja2 import TemplateNotFound
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Appraisal, AuditEvent, Employee, OutboxMessage, Task
from app.models.appraisal import PREDIKAT_LABELS
from app.outbox import notices
from app.outbox.links import task_url
from app.outbox.queue import enqueue_unrendered
from app.outbox.render import NotRenderable, Rendered, renderer
from app.workflow.deadlines import OBJECTION_DAYS, objection_last_day
from app.workflow.done import done_message
from app.workflow.roles import appraiser_superior
from app.workflow.spec import StateSpec, TransitionSpec, WorkflowSpec


@cache
def _template_for(trigger: str) -> str:
    """email/<trigger>.txt when the trigger has its own template, else the generic one."""
    try:
        current_app.jinja_env.get_template(f"email/{trigger}.txt")
    except TemplateNotFound:
        return "transition"
    return trigger


def recipients(appraisal: Appraisal, roles: tuple[str, ...]) -> list[tuple[str, Employee]]:
    """(role, employee) for each personal role to notify, without duplicates.

    BKD verifiers are a group: they learn of new verification work from their
    inbox and digest, not from one mail per appraisal.
    """
    found: list[tuple[str, Employee]] = []
    for role in roles:
        employee = None
        if role == "appraisee":
            employee = appraisal.employee
        elif role == "appraiser":
            employee = appraisal.appraiser
        elif role == "appraiser_superior":
            superior = appraiser_superior(appraisal)
            employee = superior.employee if superior else None
        if employee is not None and all(e.id != employee.id for _, e in found):
            found.append((role, employee))
    return found


def offers_objection(spec: WorkflowSpec, state: StateSpec) -> bool:
    """Whether a keberatan may be filed from `state` (a final state with that step)."""
    return state.final and any(
        "objection_window_open" in t.guards for t in spec.transitions_from(state.name)
    )


def objection_deadline(appraisal: Appraisal, spec: WorkflowSpec, state: StateSpec) -> date | None:
    """The last day to file a keberatan on a final appraisal; None until the result is received."""
    if not offers_objection(spec, state) or appraisal.finalised_at is None:
        return None
    return objection_last_day(appraisal)


def action_links(
    spec: WorkflowSpec, appraisal: Appraisal, task: Task, employee_id: int, locale: str
) -> list[dict]:
    """One signed link per step the task's holder may take next (each opens a confirmation)."""
    return [
        {
            "label": t.label[locale],
            "url": task_url(employee_id, appraisal.id, task.id, t.trigger),
        }
        for t in spec.transitions_from(task.state)
        if task.role in t.roles
    ]


def transition_mails(
    appraisal: Appraisal,
    transition: TransitionSpec,
    event: AuditEvent,
    opened: list[Task],
    spec: WorkflowSpec,
) -> None:
    """Queue one mail (or digest notice) per recipient named by the transition's `notify`.

    `opened` are the tasks the step opened (several at a joint step): each
    recipient holding one gets its link and its actions. The mails are written
    as what to render (`render_transition` renders them when they are sent), so
    the step pays for one INSERT, not for rendering them.
    """
    people = [
        (role, e) for role, e in recipients(appraisal, transition.notify) if e.id != event.actor_id
    ]
    if not people:
        return
    readers = notices.readers(e for _, e in people)
    dest = spec.states[transition.dest]
    # The final result's mail to the appraisee: its delivery may start the 14 days.
    result_mail = offers_objection(spec, dest) and appraisal.finalised_at is not None
    deadline = opened[0].due_date.isoformat() if opened else None
    template = _template_for(transition.trigger)
    mails = []
    for role, employee in people:
        reader = readers.get(employee.id)
        if reader is None:
            continue
        own = next((t for t in opened if t.assignee_id == employee.id), None)
        if reader.digest:
            notices.record(
                "transition",
                reader,
                appraisal.id,
                task_id=own.id if own else None,
                event_id=event.id,
                now=event.created_at,
            )
            continue
        to_appraisee = result_mail and role == "appraisee"
        mails.append(
            {
                "recipient": employee.email,
                "template": template,
                "locale": reader.locale,
                "audit_event_id": event.id,
                "receipt_appraisal_id": (
                    appraisal.id if to_appraisee and appraisal.result_received_at is None else None
                ),
                # Ids and what may change before the mail is sent (the predikat after
                # a keberatan): the rest is read from the step's audit event.
                "context": {
                    "kind": "transition",
                    "appraisal": appraisal.id,
                    "event": event.id,
                    "person": employee.id,
                    "role": role,
                    "task": own.id if own else None,
                    "deadline": deadline,
                    "predikat": appraisal.predikat,
                    "objection_days": OBJECTION_DAYS if to_appraisee else None,
                },
            }
        )
    enqueue_unrendered(mails)


def _prefetch_transition(contexts: list[dict]) -> list:
    """The appraisals (with period), events, tasks and people a batch of step mails reads."""

    def ids(key: str) -> set[int]:
        return {c[key] for c in contexts if isinstance(c.get(key), int)}

    appraisals = db.session.scalars(
        sa.select(Appraisal)
        .where(Appraisal.id.in_(ids("appraisal")))
        .options(joinedload(Appraisal.period))
    ).all()
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.id.in_(ids("event")))).all()
    tasks = (
        db.session.scalars(sa.select(Task).where(Task.id.in_(ids("task")))).all()
        if ids("task")
        else []
    )
    people = ids("person") | {e.actor_id for e in events if e.actor_id}
    people |= {a.employee_id for a in appraisals}
    employees = db.session.scalars(sa.select(Employee).where(Employee.id.in_(people))).all()
    return [*appraisals, *events, *tasks, *employees]


@renderer("transition", prefetch=_prefetch_transition)
def render_transition(row: OutboxMessage, context: dict) -> Rendered:
    """Render a step's mail from its context, in the current (the recipient's) locale."""
    from app.workflow.engine import engine

    appraisal = db.session.get(Appraisal, context["appraisal"])
    event = db.session.get(AuditEvent, context["event"])
    person = db.session.get(Employee, context["person"])
    if appraisal is None or event is None or person is None:
        raise NotRenderable("the appraisal, the step or the recipient is gone")
    spec = engine().spec(appraisal.workflow)
    transition = spec.transition(event.from_state, event.trigger)
    if transition is None:
        raise NotRenderable(f"no step {event.trigger!r} from {event.from_state!r}")
    dest = spec.states[transition.dest]
    locale = row.locale
    task = db.session.get(Task, context["task"]) if context.get("task") else None
    actor = db.session.get(Employee, event.actor_id) if event.actor_id else None
    predikat = context.get("predikat")
    done = done_message(appraisal, transition, dest, locale, predikat=predikat)
    if done:
        subject = _("[SIKAP] %(period)s: %(what)s", what=done, period=appraisal.period.name)
    else:
        subject = _(
            "[SIKAP] %(step)s: SKP of %(name)s, %(period)s",
            step=transition.label[locale],
            name=appraisal.employee.name,
            period=appraisal.period.name,
        )
    values = {
        "person": person,
        "role": context["role"],
        "appraisal": appraisal,
        "transition_label": transition.label[locale],
        "done": done,
        "predikat": PREDIKAT_LABELS.get(predikat or "") if dest.final else None,
        "from_label": spec.states[transition.source].label[locale],
        "to_label": dest.label[locale],
        "actor": actor,
        "comment": event.comment,
        "task": task,
        "deadline": date.fromisoformat(context["deadline"]) if context.get("deadline") else None,
        "objection_days": context.get("objection_days"),
        "url": task_url(person.id, appraisal.id, task.id if task else None),
        "actions": action_links(spec, appraisal, task, person.id, locale) if task else [],
    }
    return Rendered(
        subject=subject,
        text=render_template(f"email/{row.template}.txt", **values),
        html=render_template(f"email/{row.template}.html", **values),
    )
