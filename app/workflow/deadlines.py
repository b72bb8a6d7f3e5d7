"""Step deadlines: after the period's deadline the appraisee's entries are locked.

The period sets a deadline for the plan (step `draft`) and for the
self-assessment (step `self_assessment`); admin BKD may extend it for one
appraisal (app.periods.deadlines). The edit pages and app.policy ask
`appraisee_edit_locked`.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _

from app.extensions import db
from app.models import Appraisal, DeadlineExtension
from app.workflow.names import DRAFT, SELF_ASSESSMENT

# Keberatan may be filed within 14 days of the result (PP 30/2019, PermenPANRB 6/2022).
OBJECTION_DAYS = 14

# The Period column holding the deadline of a workflow step, by state name.
STEP_DEADLINES = {DRAFT: "plan_deadline", SELF_ASSESSMENT: "assessment_deadline"}


def period_deadline(appraisal: Appraisal, step: str) -> date | None:
    """The period's deadline for `step`, or None for a step without one."""
    name = STEP_DEADLINES.get(step)
    return getattr(appraisal.period, name) if name else None


def extended_until(appraisal: Appraisal, step: str) -> date | None:
    """The latest extension granted for the appraisal's `step`, if any."""
    return db.session.scalar(
        sa.select(sa.func.max(DeadlineExtension.new_deadline)).where(
            DeadlineExtension.appraisal_id == appraisal.id, DeadlineExtension.step == step
        )
    )


def effective_deadline(appraisal: Appraisal) -> date | None:
    """The deadline of the appraisal's current step, extensions included; None if it has none."""
    deadline = period_deadline(appraisal, appraisal.state)
    if deadline is None:
        return None
    extension = extended_until(appraisal, appraisal.state)
    return max(deadline, extension) if extension else deadline


def appraisee_edit_locked(appraisal: Appraisal, today: date | None = None) -> bool:
    """Whether the appraisee's entries at the current step are locked by its deadline."""
    deadline = effective_deadline(appraisal)
    return deadline is not None and (today or date.today()) > deadline


def lock_message(appraisal: Appraisal, today: date | None = None) -> str | None:
    """Why the appraisee cannot edit, in the user's language; None when they can."""
    if not appraisee_edit_locked(appraisal, today):
        return None
    return _(
        "The deadline of this step was %(date)s, so your entries are locked. "
        "Ask BKD for an extension if you need more time.",
        date=format_date(effective_deadline(appraisal), "long"),
    )
