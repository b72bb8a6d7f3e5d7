"""Step deadlines: after the period's deadline the appraisee's entries are locked.

The one rule for when a task is due (`task_due_date`): a task at a step with a
period deadline is due on that deadline (with the appraisal's extension, if
any); any other task is due its state's `due_days` after it opened. Tasks,
period-opening mails, transition mails and pages all read it.

The period sets a deadline for the plan (step `draft`) and for the
self-assessment (step `self_assessment`); admin BKD may extend it for one
appraisal (app.periods.deadlines). The edit pages and app.policy ask
`appraisee_edit_locked`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _

from app.extensions import db
from app.models import Appraisal, DeadlineExtension
from app.workflow.names import DRAFT, PLAN_REVIEW, SELF_ASSESSMENT, SUPERVISOR_REVIEW

# Keberatan may be filed within 14 days of *receiving* the result (PP 30/2019 Pasal 59
# ayat 2: "paling lama 14 (empat belas) hari sejak diterimanya ..."), not of BKD's
# finalisation; receipt is recorded by app.outbox.receipt.
OBJECTION_DAYS = 14

# The Period column holding the deadline of a workflow step, by state name: the
# appraisee's (plan, self-assessment) and the appraiser's (plan approval, review),
# all from the statutory calendar (app.periods.calendar). A period without the
# appraiser's dates (made before them) leaves those tasks to their due_days.
STEP_DEADLINES = {
    DRAFT: "plan_deadline",
    PLAN_REVIEW: "plan_approval_deadline",
    SELF_ASSESSMENT: "assessment_deadline",
    SUPERVISOR_REVIEW: "review_deadline",
}
# The steps whose deadline locks the appraisee's own entries.
APPRAISEE_STEPS = (DRAFT, SELF_ASSESSMENT)


def local_date(moment: datetime) -> date:
    """The calendar day of `moment` where the city is (days are counted there, not in UTC)."""
    return moment.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def objection_last_day(appraisal: Appraisal) -> date | None:
    """The last day to file a keberatan; None while the result has not been received.

    The day of receipt is day 0, so a result received on 10 January may be
    objected to until the end of 24 January (day 14), local time.
    """
    received = appraisal.result_received_at
    if received is None:
        return None
    return local_date(received) + timedelta(days=OBJECTION_DAYS)


def objection_window_closed(appraisal: Appraisal, now: datetime) -> bool:
    """Whether the 14 days since receipt are over (never before the result was received)."""
    last = objection_last_day(appraisal)
    return last is not None and local_date(now) > last


def period_closed(appraisal: Appraisal) -> bool:
    """Whether the appraisal's period is closed: then the SKP is read-only, for everyone.

    The one rule: app.policy refuses every content edit and the engine every
    transition with it, and the SKP pages show `closed_message`.
    """
    return appraisal.period.status == "closed"


def closed_message(appraisal: Appraisal) -> str:
    """Why nothing can change on the SKP of a closed period, in the user's language."""
    return _(
        "The period %(period)s is closed, so this SKP is read-only: nothing can be changed "
        "or moved to another step. Ask BKD if the period must be reopened.",
        period=appraisal.period.name,
    )


def period_deadline(appraisal: Appraisal, step: str) -> date | None:
    """The period's deadline for `step`, or None for a step without one."""
    name = STEP_DEADLINES.get(step)
    return getattr(appraisal.period, name) if name else None


def extended_until(appraisal: Appraisal, step: str) -> date | None:
    """The latest extension granted for the appraisal's `step`, if any."""
    return db.session.scalar(_extension_query(), {"appraisal_id": appraisal.id, "step": step})


@cache
def _extension_query() -> sa.Select:
    """The latest extension of :appraisal_id at :step; built once (every task opened asks)."""
    return sa.select(sa.func.max(DeadlineExtension.new_deadline)).where(
        DeadlineExtension.appraisal_id == sa.bindparam("appraisal_id"),
        DeadlineExtension.step == sa.bindparam("step"),
    )


def step_deadline(appraisal: Appraisal, step: str) -> date | None:
    """The deadline of `step` for this appraisal, extensions included; None if it has none."""
    deadline = period_deadline(appraisal, step)
    if deadline is None:
        return None
    extension = extended_until(appraisal, step) if appraisal.id is not None else None
    return max(deadline, extension) if extension else deadline


def effective_deadline(appraisal: Appraisal) -> date | None:
    """The deadline of the appraisal's current step, extensions included; None if it has none."""
    return step_deadline(appraisal, appraisal.state)


def due_date(deadline: date | None, opened: date, due_days: int) -> date:
    """A task is due on its step's deadline if the step has one, else due_days after opening."""
    return deadline if deadline is not None else opened + timedelta(days=due_days)


def task_due_date(appraisal: Appraisal, step: str, due_days: int, opened: date) -> date:
    """The due date of the appraisal's task at `step`, opened on `opened` (the one rule)."""
    return due_date(step_deadline(appraisal, step), opened, due_days)


def appraisee_edit_locked(appraisal: Appraisal, today: date | None = None) -> bool:
    """Whether the appraisee's entries at the current step are locked by its deadline."""
    if appraisal.state not in APPRAISEE_STEPS:
        return False
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
