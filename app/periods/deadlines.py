"""Step deadlines: after the period's deadline the appraisee's entries are locked.

The period sets a deadline for the plan (step `draft`) and for the
self-assessment (step `self_assessment`). Admin BKD may extend it for one
appraisal, with a reason; each grant is a DeadlineExtension row, which is also
the log shown to admins. The edit pages ask `appraisee_edit_locked`.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _

from app.extensions import db
from app.models import Account, Appraisal, DeadlineExtension, Employee
from app.models.periods import DEADLINE_STEPS
from app.models.types import utcnow
from app.periods.opening import STEP_DEADLINES


class ExtensionRefused(ValueError):
    """The extension cannot be granted: `field` names the form field, `message` says why."""

    def __init__(self, field: str, message: str):
        self.field, self.message = field, message
        super().__init__(message)


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


def find_appraisal(period_id: int, nip: str) -> Appraisal | None:
    """The appraisal of the employee with this NIP in the period."""
    return db.session.scalar(
        sa.select(Appraisal)
        .join(Employee, Employee.id == Appraisal.employee_id)
        .where(Appraisal.period_id == period_id, Employee.nip == nip.strip().replace(" ", ""))
    )


def grant_extension(
    appraisal: Appraisal,
    step: str,
    new_deadline: date,
    reason: str,
    actor: Account,
    today: date | None = None,
) -> DeadlineExtension:
    """Extend the appraisal's deadline for `step` to `new_deadline`, logging who and why."""
    today = today or date.today()
    if step not in DEADLINE_STEPS:
        raise ExtensionRefused("step", _("This step has no deadline."))
    deadline = period_deadline(appraisal, step)
    current = max(filter(None, (deadline, extended_until(appraisal, step))))
    if new_deadline <= current:
        raise ExtensionRefused(
            "new_deadline",
            _(
                "The new deadline must be after the current one (%(date)s).",
                date=format_date(current, "long"),
            ),
        )
    if new_deadline < today:
        raise ExtensionRefused("new_deadline", _("The new deadline cannot be in the past."))
    reason = (reason or "").strip()
    if not reason:
        raise ExtensionRefused("reason", _("Give the reason for the extension."))
    extension = DeadlineExtension(
        appraisal_id=appraisal.id,
        step=step,
        new_deadline=new_deadline,
        reason=reason,
        granted_by_id=actor.id,
        granted_at=utcnow(),
    )
    db.session.add(extension)
    db.session.flush()
    return extension


def extensions_of_period(period_id: int) -> list[tuple[DeadlineExtension, Employee, Employee]]:
    """Every extension granted in the period, newest first, with the employee and the grantor."""
    grantor = sa.orm.aliased(Employee)
    return list(
        db.session.execute(
            sa.select(DeadlineExtension, Employee, grantor)
            .join(Appraisal, Appraisal.id == DeadlineExtension.appraisal_id)
            .join(Employee, Employee.id == Appraisal.employee_id)
            .join(Account, Account.id == DeadlineExtension.granted_by_id)
            .join(grantor, grantor.id == Account.employee_id)
            .where(Appraisal.period_id == period_id)
            .order_by(DeadlineExtension.granted_at.desc(), DeadlineExtension.id.desc())
        ).all()
    )
