"""Yearly development hours (JP) per employee, the OPD's coverage and the needs per OPD.

An employee's hours in a year are the JP of their development actions done that
year that were not done at a training event, plus the JP of the training events
they attended that year (an action done at an event counts through the event,
never twice). Each figure is one grouped statement, whatever the number of people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from app.extensions import db
from app.models import Appraisal, Employee, Opd, Period, Position
from app.models.development import (
    COMPETENCY_KINDS,
    DevelopmentAction,
    DevelopmentNeed,
    DevelopmentPlan,
    FollowupSetting,
    TrainingAttendance,
    TrainingEvent,
)

JP_GOAL_KEY = "jp_goal"
DEFAULT_JP_GOAL = Decimal(20)


def jp_goal() -> Decimal:
    """The yearly JP goal the city set (FollowupSetting 'jp_goal', {"jp": n}); 20 JP by default."""
    value = db.session.scalar(
        sa.select(FollowupSetting.value).where(FollowupSetting.key == JP_GOAL_KEY)
    )
    try:
        return Decimal(str(value["jp"])) if value else DEFAULT_JP_GOAL
    except (KeyError, TypeError, ArithmeticError):
        return DEFAULT_JP_GOAL


def _year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _hour_rows(year: int, employee_id: int | None = None) -> sa.Subquery:
    """(employee_id, jp) of each counted action and attendance of the year."""
    start, end = _year_bounds(year)
    actions = sa.select(
        DevelopmentAction.employee_id.label("employee_id"), DevelopmentAction.jp.label("jp")
    ).where(
        DevelopmentAction.status == "done",
        DevelopmentAction.done_on.between(start, end),
        DevelopmentAction.training_event_id.is_(None),
    )
    events = (
        sa.select(TrainingAttendance.employee_id, TrainingEvent.jp)
        .join(TrainingEvent, TrainingEvent.id == TrainingAttendance.event_id)
        .where(TrainingAttendance.attended, TrainingEvent.start_date.between(start, end))
    )
    if employee_id is not None:
        actions = actions.where(DevelopmentAction.employee_id == employee_id)
        events = events.where(TrainingAttendance.employee_id == employee_id)
    return sa.union_all(actions, events).subquery("hour_rows")


def yearly_hours(employee_id: int, year: int) -> Decimal:
    """The employee's JP in the year: one statement."""
    rows = _hour_rows(year, employee_id)
    total = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(rows.c.jp), 0)))
    return Decimal(str(total))


@dataclass(frozen=True)
class Coverage:
    """One OPD's active employees and how many reached the yearly JP goal."""

    opd_id: int
    opd_name: str
    employees: int
    reached: int

    @property
    def share(self) -> Decimal | None:
        if not self.employees:
            return None
        return (Decimal(100) * self.reached / self.employees).quantize(Decimal("0.1"))


def opd_coverage(year: int, goal: Decimal, opd_ids: list[int] | None = None) -> list[Coverage]:
    """Per OPD (all, or `opd_ids`): active employees and those with at least `goal` JP.

    One grouped statement: the hours summed per employee, joined to the employees
    by their position's OPD.
    """
    rows = _hour_rows(year)
    hours = (
        sa.select(rows.c.employee_id, sa.func.sum(rows.c.jp).label("jp"))
        .group_by(rows.c.employee_id)
        .subquery("hours")
    )
    reached = sa.func.count(sa.case((sa.func.coalesce(hours.c.jp, 0) >= goal, Employee.id)))
    query = (
        sa.select(Opd.id, Opd.name, sa.func.count(Employee.id), reached)
        .select_from(Employee)
        .join(Position, Position.id == Employee.position_id)
        .join(Opd, Opd.id == Position.opd_id)
        .outerjoin(hours, hours.c.employee_id == Employee.id)
        .where(Employee.active)
        .group_by(Opd.id, Opd.name)
        .order_by(Opd.name)
    )
    if opd_ids is not None:
        query = query.where(Opd.id.in_(opd_ids))
    return [Coverage(*row) for row in db.session.execute(query)]


def employee_actions(employee_id: int) -> list[tuple[DevelopmentAction, int]]:
    """The employee's development actions with their SKP's id, planned first: one statement."""
    return list(
        db.session.execute(
            sa.select(DevelopmentAction, DevelopmentPlan.appraisal_id)
            .join(DevelopmentPlan, DevelopmentPlan.id == DevelopmentAction.plan_id)
            .where(DevelopmentAction.employee_id == employee_id)
            .order_by(
                (DevelopmentAction.status != "planned"),
                DevelopmentAction.target_year,
                DevelopmentAction.target_quarter,
                DevelopmentAction.id,
            )
        )
    )


def needs_by_opd(year: int, opd_ids: list[int] | None = None) -> list[tuple[str, dict[str, int]]]:
    """Development needs of the year's SKP per OPD and competency kind: one grouped statement."""
    query = (
        sa.select(Opd.name, DevelopmentNeed.competency, sa.func.count(DevelopmentNeed.id))
        .select_from(DevelopmentNeed)
        .join(DevelopmentPlan, DevelopmentPlan.id == DevelopmentNeed.plan_id)
        .join(Appraisal, Appraisal.id == DevelopmentPlan.appraisal_id)
        .join(Period, Period.id == Appraisal.period_id)
        .join(Opd, Opd.id == Appraisal.opd_id)
        .where(Period.year == year)
        .group_by(Opd.name, DevelopmentNeed.competency)
        .order_by(Opd.name)
    )
    if opd_ids is not None:
        query = query.where(Opd.id.in_(opd_ids))
    table: dict[str, dict[str, int]] = {}
    for opd, competency, count in db.session.execute(query):
        table.setdefault(opd, dict.fromkeys(COMPETENCY_KINDS, 0))[competency] = count
    return list(table.items())
