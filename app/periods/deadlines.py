"""Deadline extensions: admin BKD extends one appraisal's step deadline, with a reason.

Each grant is a DeadlineExtension row, which is also the log shown to admins.
The rule itself (which deadline applies, and whether it has passed) is
app.workflow.deadlines.
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
from app.org.nip import compact_nip
from app.workflow.deadlines import extended_until, period_deadline
from app.workflow.tasks import reschedule_open_task


class ExtensionRefused(ValueError):
    """The extension cannot be granted: `field` names the form field, `message` says why."""

    def __init__(self, field: str, message: str):
        self.field, self.message = field, message
        super().__init__(message)


def find_appraisal(period_id: int, nip: str) -> Appraisal | None:
    """The appraisal of the employee with this NIP in the period (their latest SKP segment)."""
    return db.session.scalar(
        sa.select(Appraisal)
        .join(Employee, Employee.id == Appraisal.employee_id)
        .where(Appraisal.period_id == period_id, Employee.nip == compact_nip(nip))
        .order_by(Appraisal.segment.desc())
        .limit(1)
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
    reschedule_open_task(appraisal)
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
