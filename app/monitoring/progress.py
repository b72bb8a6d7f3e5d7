"""The monitor's progress figures: per OPD, per unit, per atasan; holders of the open tasks.

One row per employee (their latest SKP segment of the period), leaving out those
excluded from planning, as the dashboard counts (app.dashboard.summary). Every
function reads one period, so its cost does not grow with the years of history.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.models import Appraisal, Employee, Opd, Period, Position, Task, Unit
from app.models.appraisal import latest_segment
from app.monitoring.milestones import current_milestone
from app.periods.exclusions import excluded_employees


@dataclass
class ProgressRow:
    """The SKP of one OPD, unit or atasan in a period: per step, overdue, completion."""

    key: int | None
    label: str
    by_state: dict[str, int] = field(default_factory=dict)
    reached: int = 0  # at or past the current milestone of the calendar
    overdue: int = 0  # open tasks past their due date
    oldest_since: date | None = None  # when the longest-waiting open task was opened

    @property
    def total(self) -> int:
        return sum(self.by_state.values())

    @property
    def completion(self) -> float | None:
        """The share (0-100) at or past the milestone, or None with no SKP."""
        return round(100 * self.reached / self.total, 1) if self.total else None

    def days_waiting(self, today: date) -> int | None:
        return (today - self.oldest_since).days if self.oldest_since else None


def _counted(period: Period) -> list[sa.ColumnElement[bool]]:
    return [
        Appraisal.period_id == period.id,
        latest_segment(),
        Appraisal.employee_id.not_in(excluded_employees(period.id)),
    ]


def _rows(
    period: Period,
    today: date,
    key: sa.ColumnElement,
    label: sa.ColumnElement,
    where: list[sa.ColumnElement[bool]],
    joins: tuple = (),
) -> list[ProgressRow]:
    """Counts per `key` (with its `label`), ranked with the lowest completion first."""
    milestone = current_milestone(period, today)
    reached_states = milestone.reached_states if milestone else frozenset()
    rows: dict[int | None, ProgressRow] = {}
    query = sa.select(key, label, Appraisal.state, sa.func.count()).select_from(Appraisal)
    for target, on in joins:
        query = query.outerjoin(target, on)
    query = query.where(*_counted(period), *where).group_by(key, label, Appraisal.state)
    for k, name, state, count in db.session.execute(query):
        row = rows.setdefault(k, ProgressRow(k, name or ""))
        row.by_state[state] = count
        if state in reached_states:
            row.reached += count
    tasks = sa.select(
        key, sa.func.sum(sa.case((Task.due_date < today, 1), else_=0)), sa.func.min(Task.opened_at)
    ).select_from(Appraisal)
    for target, on in joins:
        tasks = tasks.outerjoin(target, on)
    tasks = (
        tasks.join(Task, sa.and_(Task.appraisal_id == Appraisal.id, Task.closed_at.is_(None)))
        .where(Appraisal.period_id == period.id, *where)
        .group_by(key)
    )
    for k, overdue, oldest in db.session.execute(tasks):
        if k in rows:
            rows[k].overdue = int(overdue or 0)
            rows[k].oldest_since = oldest.date() if oldest else None
    return sorted(
        rows.values(),
        key=lambda r: (r.completion if r.completion is not None else 101, -r.overdue, r.label),
    )


def city_rows(period: Period, today: date) -> list[ProgressRow]:
    """One row per OPD, the lowest completion first."""
    return _rows(
        period, today, Appraisal.opd_id, Opd.name, [], ((Opd, Opd.id == Appraisal.opd_id),)
    )


def opd_rows(period: Period, opd_id: int, today: date) -> list[ProgressRow]:
    """One row per unit of the OPD (key None: positions in no unit), lowest completion first."""
    return _rows(
        period,
        today,
        Position.unit_id,
        Unit.name,
        [Appraisal.opd_id == opd_id],
        ((Position, Position.id == Appraisal.position_id), (Unit, Unit.id == Position.unit_id)),
    )


def team_appraisers(atasan_id: int) -> list[int]:
    """The atasan and every employee under their position who appraises (direct and indirect).

    The subtree of the positions the atasan holds, walked in one recursive query.
    """
    atasan = db.session.get(Employee, atasan_id)
    if atasan is None or atasan.position_id is None:
        return [atasan_id]
    tree = (
        sa.select(Position.id).where(Position.parent_id == atasan.position_id).cte(recursive=True)
    )
    tree = tree.union_all(sa.select(Position.id).where(Position.parent_id == tree.c.id))
    under = db.session.scalars(
        sa.select(Employee.id).where(Employee.position_id.in_(sa.select(tree.c.id)))
    )
    return [atasan_id, *under]


def team_rows(period: Period, atasan_id: int, today: date) -> list[ProgressRow]:
    """One row per appraiser in the atasan's team (the atasan included), lowest completion first."""
    appraisers = team_appraisers(atasan_id)
    return _rows(
        period,
        today,
        Appraisal.appraiser_id,
        Employee.name,
        [Appraisal.appraiser_id.in_(appraisers)],
        ((Employee, Employee.id == Appraisal.appraiser_id),),
    )


@dataclass(frozen=True)
class Holder:
    """Who holds open tasks: how many, how many past due, and since when the oldest waits."""

    employee_id: int | None
    name: str | None
    role: str
    opd_id: int | None
    waiting: int
    overdue: int
    oldest_since: date


def holders(
    period: Period,
    today: date,
    opd_id: int | None = None,
    appraiser_ids: list[int] | None = None,
    limit: int = 20,
) -> list[Holder]:
    """Who (or which role, for a group's unclaimed task) has the most SKP waiting, oldest first."""
    holder = sa.func.coalesce(Task.claimed_by_id, Task.assignee_id)
    query = (
        sa.select(
            holder,
            Employee.name,
            Task.role,
            sa.func.min(Appraisal.opd_id),
            sa.func.count(),
            sa.func.sum(sa.case((Task.due_date < today, 1), else_=0)),
            sa.func.min(Task.opened_at),
        )
        .join(Appraisal, Appraisal.id == Task.appraisal_id)
        .outerjoin(Employee, Employee.id == holder)
        .where(Appraisal.period_id == period.id, Task.closed_at.is_(None))
        .group_by(holder, Employee.name, Task.role)
    )
    if opd_id is not None:
        query = query.where(Appraisal.opd_id == opd_id)
    if appraiser_ids is not None:
        query = query.where(Appraisal.appraiser_id.in_(appraiser_ids))
    found = [
        Holder(eid, name, role, opd, count, int(overdue or 0), oldest.date())
        for eid, name, role, opd, count, overdue, oldest in db.session.execute(query)
    ]
    found.sort(key=lambda h: (-h.waiting, h.oldest_since, h.name or ""))
    return found[:limit]


def by_key(rows: list[ProgressRow]) -> dict[int | None, ProgressRow]:
    """The rows by their key (for totals and lookups in templates)."""
    return {row.key: row for row in rows}


def total(rows: list[ProgressRow], label: str = "") -> ProgressRow:
    """The sum of the rows (the oldest wait is the oldest of any)."""
    summed = ProgressRow(None, label)
    states: dict[str, int] = defaultdict(int)
    for row in rows:
        for state, count in row.by_state.items():
            states[state] += count
        summed.reached += row.reached
        summed.overdue += row.overdue
        if row.oldest_since and (
            summed.oldest_since is None or row.oldest_since < summed.oldest_since
        ):
            summed.oldest_since = row.oldest_since
    summed.by_state = dict(states)
    return summed
