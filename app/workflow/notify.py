"""Queue the emails a transition's definition asks for, in each recipient's language."""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from jinja2 import TemplateNotFound

from app.extensions import db
from app.models import Account, Appraisal, AuditEvent, Employee, Task
from app.notifications.links import external_url
from app.notifications.outbox import enqueue_mail
from app.policy import appraiser_superior
from app.workflow.spec import TransitionSpec, WorkflowSpec


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


def transition_mails(
    appraisal: Appraisal,
    transition: TransitionSpec,
    event: AuditEvent,
    task: Task | None,
    spec: WorkflowSpec,
) -> None:
    """Queue one mail per recipient named by the transition's `notify`."""
    people = [
        (role, e) for role, e in recipients(appraisal, transition.notify) if e.id != event.actor_id
    ]
    if not people:
        return
    locales = dict(
        db.session.execute(
            sa.select(Account.employee_id, Account.locale).where(
                Account.employee_id.in_([e.id for _, e in people])
            )
        ).all()
    )
    actor = db.session.get(Employee, event.actor_id) if event.actor_id else None
    url = external_url("appraisals.detail", appraisal_id=appraisal.id)
    for _role, employee in people:
        if not employee.email:
            continue
        locale = locales.get(employee.id, "id")
        with force_locale(locale):
            subject = _(
                "[SIKAP] %(step)s: SKP of %(name)s, %(period)s",
                step=transition.label[locale],
                name=appraisal.employee.name,
                period=appraisal.period.name,
            )
        message = enqueue_mail(
            employee.email,
            subject,
            _template_for(transition.trigger),
            locale=locale,
            person=employee,
            appraisal=appraisal,
            transition_label=transition.label[locale],
            from_label=spec.states[transition.source].label[locale],
            to_label=spec.states[transition.dest].label[locale],
            actor=actor,
            comment=event.comment,
            task=task if task is not None and task.assignee_id == employee.id else None,
            url=url,
        )
        message.audit_event_id = event.id
