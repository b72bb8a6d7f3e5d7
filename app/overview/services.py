"""The rows of the overview pages: each SKP with its open task and whose it is (reads only).

Each list is one query whatever its length: the period, the employee, the open
task and the names of its assignee and claimer come joined with each appraisal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased, contains_eager

from app.extensions import db
from app.models import Appraisal, AuditEvent, Employee, Period, Task
from app.workflow.engine import engine
from app.workflow.names import FILE_OBJECTION
from app.workflow.notify import objection_deadline


@dataclass(frozen=True)
class Waiting:
    """The SKP's open task: whose it is (a person's name, else the role) and since when."""

    role: str
    name: str | None
    mine: bool
    since: datetime
    due: date
    claimed_by: str | None = None


@dataclass(frozen=True)
class Row:
    """One SKP in an overview."""

    appraisal: Appraisal
    waiting: Waiting | None
    objection_until: date | None = None  # the last day to file a keberatan, while it runs


def _rows(
    where: sa.ColumnElement[bool], employee_id: int
) -> list[tuple[Appraisal, Waiting | None]]:
    """The appraisals matching `where`, newest period first, each with its open task."""
    assignee, claimer = aliased(Employee), aliased(Employee)
    query = (
        sa.select(Appraisal, Task, assignee.name, claimer.name)
        .join(Appraisal.period)
        .join(Appraisal.employee)
        .outerjoin(Task, sa.and_(Task.appraisal_id == Appraisal.id, Task.closed_at.is_(None)))
        .outerjoin(assignee, assignee.id == Task.assignee_id)
        .outerjoin(claimer, claimer.id == Task.claimed_by_id)
        .options(contains_eager(Appraisal.period), contains_eager(Appraisal.employee))
        .where(where)
        .order_by(Period.year.desc(), Period.kind, Employee.name, Appraisal.id)
    )
    found: dict[int, tuple[Appraisal, Waiting | None]] = {}
    for appraisal, task, assignee_name, claimer_name in db.session.execute(query):
        # At a joint step an SKP has several open tasks: one row, the viewer's task first.
        if appraisal.id in found and (task is None or task.assignee_id != employee_id):
            continue
        waiting = None
        if task is not None:
            waiting = Waiting(
                role=task.role,
                name=assignee_name,
                mine=task.assignee_id == employee_id,
                since=task.opened_at,
                due=task.due_date,
                claimed_by=claimer_name,
            )
        found[appraisal.id] = (appraisal, waiting)
    return list(found.values())


def objected(appraisal_ids: list[int]) -> set[int]:
    """Which of the appraisals have had a keberatan filed (it can be filed once)."""
    if not appraisal_ids:
        return set()
    return set(
        db.session.scalars(
            sa.select(AuditEvent.appraisal_id)
            .where(AuditEvent.appraisal_id.in_(appraisal_ids), AuditEvent.trigger == FILE_OBJECTION)
            .distinct()
        )
    )


def objection_until(appraisal: Appraisal, filed: set[int], today: date) -> date | None:
    """The last day to file a keberatan on a final SKP, while that window is still open."""
    spec = engine().spec(appraisal.workflow)
    last = objection_deadline(appraisal, spec, spec.states[appraisal.state])
    if last is None or last < today or appraisal.id in filed:
        return None
    return last


def my_skp(employee_id: int, today: date | None = None) -> list[Row]:
    """The employee's own SKP in every period, newest first (two queries)."""
    today = today or date.today()
    found = _rows(Appraisal.employee_id == employee_id, employee_id)
    filed = objected([a.id for a, _ in found])
    return [Row(a, waiting, objection_until(a, filed, today)) for a, waiting in found]


def team_periods(appraiser_id: int) -> list[Period]:
    """The periods in which the employee appraises someone, newest first."""
    return list(
        db.session.scalars(
            sa.select(Period)
            .where(
                Period.id.in_(
                    sa.select(Appraisal.period_id).where(Appraisal.appraiser_id == appraiser_id)
                )
            )
            .order_by(Period.year.desc(), Period.kind)
        )
    )


def current_period(periods: list[Period], wanted: int | None) -> Period | None:
    """The period asked for (if among them), else the newest open one, else the newest."""
    by_id = {p.id: p for p in periods}
    if wanted in by_id:
        return by_id[wanted]
    return next((p for p in periods if p.status == "open"), periods[0] if periods else None)


def team_skp(appraiser_id: int, period_id: int) -> list[Row]:
    """The SKP the employee appraises in the period, by name, each with its open task."""
    where = sa.and_(Appraisal.appraiser_id == appraiser_id, Appraisal.period_id == period_id)
    return [Row(a, waiting) for a, waiting in _rows(where, appraiser_id)]
