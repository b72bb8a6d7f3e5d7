"""Planning exclusions: employees BKD leaves out of a period's SKP (tugas belajar, CLTN, ...).

Period opening skips them (app.periods.opening) and completion figures leave them
out (app.dashboard). Services flush, never commit.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from app.extensions import db
from app.models import Account, Employee, Period, PlanningExclusion


class ExclusionRefused(ValueError):
    """The exclusion cannot be recorded; `field` names the form field, `message` says why."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def exclusions_of(period_id: int) -> list[tuple[PlanningExclusion, Employee]]:
    """The period's exclusions with their employees, by name (one query)."""
    return [
        tuple(row)
        for row in db.session.execute(
            sa.select(PlanningExclusion, Employee)
            .join(Employee, Employee.id == PlanningExclusion.employee_id)
            .where(PlanningExclusion.period_id == period_id)
            .order_by(Employee.name)
        )
    ]


def exclude(
    employee: Employee,
    period: Period,
    reason: str,
    start: date,
    end: date,
    actor: Account,
    note: str | None = None,
) -> PlanningExclusion:
    """Record that the employee makes no SKP plan in the period, from `start` to `end`."""
    if not (period.start_date <= start <= end <= period.end_date):
        raise ExclusionRefused(
            "start_date",
            _(
                "The dates must fall within the period (%(start)s to %(end)s).",
                start=period.start_date.strftime("%d-%m-%Y"),
                end=period.end_date.strftime("%d-%m-%Y"),
            ),
        )
    exists = db.session.scalar(
        sa.select(PlanningExclusion.id).where(
            PlanningExclusion.employee_id == employee.id,
            PlanningExclusion.period_id == period.id,
        )
    )
    if exists is not None:
        raise ExclusionRefused(
            "nip", _("%(name)s is already excluded in this period.", name=employee.name)
        )
    exclusion = PlanningExclusion(
        employee_id=employee.id,
        period_id=period.id,
        reason=reason,
        note=note or None,
        start_date=start,
        end_date=end,
        created_by_id=actor.id,
    )
    db.session.add(exclusion)
    db.session.flush()
    return exclusion


def excluded_employees(period_id: int) -> sa.Select:
    """The ids of the employees excluded in the period, as a subquery for counts."""
    return sa.select(PlanningExclusion.employee_id).where(PlanningExclusion.period_id == period_id)
