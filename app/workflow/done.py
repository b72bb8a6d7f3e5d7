"""What a step did, in words: the message after it and the subject of its mails.

A transition's `done` ({id, en} in the definition) names the appraisee, whoever
holds the next task and, on reaching a final state, the predikat: "Rencana SKP
Dian Anggraini telah diajukan kepada Kasi Nasution." Without one, the step's
label is used ("Done: Submit the plan.").
"""

from __future__ import annotations

import re

from flask_babel import force_locale

from app.extensions import db
from app.models import Appraisal, Employee
from app.models.appraisal import PREDIKAT_LABELS
from app.workflow.roles import GROUP_ROLES, ROLE_LABELS, assignee_for
from app.workflow.spec import StateSpec, TransitionSpec

DOUBLE_STOP = re.compile(r"\.\.(?=\s|$)")


def holder_name(appraisal: Appraisal, state: StateSpec, locale: str) -> str:
    """Who holds the state's task: a person's name, or the group ("verifikator BKD")."""
    if state.final or state.task is None:
        return ""
    if state.task in GROUP_ROLES:
        with force_locale(locale):
            return str(ROLE_LABELS[state.task])
    employee_id = assignee_for(appraisal, state.task)
    employee = db.session.get(Employee, employee_id) if employee_id is not None else None
    return employee.name if employee is not None else ""


_CURRENT = object()


def done_message(
    appraisal: Appraisal,
    transition: TransitionSpec,
    dest: StateSpec,
    locale: str,
    *,
    predikat: str | object | None = _CURRENT,
) -> str | None:
    """The transition's `done` text in `locale` with its names filled in; None when it has none.

    `predikat` is the appraisal's predikat when the step was taken, if that
    was earlier (a mail rendered at send time); by default the current one.
    """
    if transition.done is None:
        return None
    text = transition.done[locale]
    if "{" not in text:
        # Nothing to fill in (a complaint's messages name nobody).
        return DOUBLE_STOP.sub(".", text)
    if predikat is _CURRENT:
        predikat = appraisal.predikat
    values = {
        "employee": appraisal.employee.name,
        "holder": holder_name(appraisal, dest, locale) if "{holder}" in text else "",
        "predikat": PREDIKAT_LABELS.get(predikat or "", "—"),
    }
    # A name ending in a title ("Kasi Nasution, S.Kep.") ends the sentence itself.
    return DOUBLE_STOP.sub(".", text.format_map(values))
