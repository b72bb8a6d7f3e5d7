"""The monitor's progress figures: per OPD, per unit, per atasan; holders of the open tasks.

One row per employee (their latest SKP segment of the period), leaving out those
excluded from planning, as the dashboard counts. Read from summary rows kept by
triggers, never from the appraisals: appraisal_count for the city,
progress_count for the OPD and team views, task_day_count for their open tasks,
open_task_count for the holders (app/dashboard/progress_counts.py says why these
keys). Each function's statements are the same, and sum the same rows, whatever
the size of the city's history. tests/monitoring_reference.py keeps the plain
grouped queries these answer as, and the tests compare them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.models import (
    AppraisalCount,
    Employee,
    Opd,
    OpenTaskCount,
    Period,
    Position,
    ProgressCount,
    TaskDayCount,
    Unit,
)
from app.monitoring.milestones import current_milestone


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


def _rows(
    period: Period,
    today: date,
    counts: sa.Select,
    task_key: sa.ColumnElement,
    task_where: list[sa.ColumnElement[bool]] | Callable[[list], list[sa.ColumnElement[bool]]],
) -> list[ProgressRow]:
    """Rows from `counts` (key, label, state, n), their open tasks by `task_key`, ranked.

    The lowest completion first. Two statements over summary rows of one period.
    `task_where` may be a function of the keys `counts` found (the tasks of other
    keys are not shown anyway).
    """
    milestone = current_milestone(period, today)
    reached_states = milestone.reached_states if milestone else frozenset()
    rows: dict[int | None, ProgressRow] = {}
    for k, name, state, count in db.session.execute(counts):
        row = rows.setdefault(k, ProgressRow(k, name or ""))
        row.by_state[state] = int(count)
        if state in reached_states:
            row.reached += int(count)
    if callable(task_where):
        task_where = task_where([k for k in rows if k is not None])
    # Overdue and the oldest wait depend on today, so the days are summed here: first
    # per day (a group whose deltas cancel out holds no task), then per key.
    days = (
        sa.select(
            task_key.label("key"),
            TaskDayCount.opened_on,
            TaskDayCount.due_on,
            sa.func.sum(TaskDayCount.delta).label("n"),
        )
        .where(TaskDayCount.period_id == period.id, *task_where)
        .group_by(task_key, TaskDayCount.opened_on, TaskDayCount.due_on)
        .having(sa.func.sum(TaskDayCount.delta) != 0)
        .subquery()
    )
    tasks = sa.select(
        days.c.key,
        sa.func.sum(sa.case((days.c.due_on < today, days.c.n), else_=0)),
        sa.func.min(days.c.opened_on),
    ).group_by(days.c.key)
    for k, overdue, oldest in db.session.execute(tasks):
        if k in rows:
            rows[k].overdue = int(overdue or 0)
            rows[k].oldest_since = oldest
    return sorted(
        rows.values(),
        key=lambda r: (r.completion if r.completion is not None else 101, -r.overdue, r.label),
    )


def _counts(
    model: type, key: sa.ColumnElement, label: sa.ColumnElement, on, where: list
) -> sa.Select:
    """The non-zero sums of a summary table per key and state, with the key's label."""
    total = sa.func.sum(model.delta)
    return (
        sa.select(key, label, model.state, total)
        .select_from(model)
        .outerjoin(label.table, on)
        .where(*where)
        .group_by(key, label, model.state)
        .having(total != 0)
    )


def city_rows(period: Period, today: date) -> list[ProgressRow]:
    """One row per OPD, the lowest completion first."""
    counts = _counts(
        AppraisalCount,
        AppraisalCount.opd_id,
        Opd.name,
        Opd.id == AppraisalCount.opd_id,
        [AppraisalCount.period_id == period.id],
    )
    return _rows(period, today, counts, TaskDayCount.opd_id, [])


def opd_rows(period: Period, opd_id: int, today: date) -> list[ProgressRow]:
    """One row per unit of the OPD (key None: positions in no unit), lowest completion first."""
    counts = _counts(
        ProgressCount,
        ProgressCount.unit_id,
        Unit.name,
        Unit.id == ProgressCount.unit_id,
        [ProgressCount.period_id == period.id, ProgressCount.opd_id == opd_id],
    )
    return _rows(period, today, counts, TaskDayCount.unit_id, [TaskDayCount.opd_id == opd_id])


def _subtree(atasan_id: int) -> sa.Select | None:
    """The positions under the atasan's position (its subtree), as a query.

    None when the atasan holds no position (then the team is the atasan alone).
    """
    atasan = db.session.get(Employee, atasan_id)
    if atasan is None or atasan.position_id is None:
        return None
    tree = (
        sa.select(Position.id).where(Position.parent_id == atasan.position_id).cte(recursive=True)
    )
    tree = tree.union_all(sa.select(Position.id).where(Position.parent_id == tree.c.id))
    return sa.select(tree.c.id)


def _under(atasan_id: int) -> sa.Select | None:
    """The ids of the employees under the atasan's position (its subtree), as a query."""
    positions = _subtree(atasan_id)
    if positions is None:
        return None
    return sa.select(Employee.id).where(Employee.position_id.in_(positions))


def team_appraisers(atasan_id: int) -> list[int]:
    """The atasan and every employee under their position who appraises (direct and indirect).

    The subtree of the positions the atasan holds, walked in one recursive query.
    """
    under = _under(atasan_id)
    return [atasan_id, *(db.session.scalars(under) if under is not None else ())]


def team_rows(period: Period, atasan_id: int, today: date) -> list[ProgressRow]:
    """One row per appraiser in the atasan's team (the atasan included), lowest completion first.

    The team stays a subquery: a kepala's team of thousands would otherwise travel
    as thousands of bound parameters, twice.
    """
    positions = _subtree(atasan_id)
    mine = ProgressCount.appraiser_id == atasan_id
    # The appraiser's row is joined for the name anyway: its position says whether
    # they are in the team, without listing the thousands of employees under a kepala.
    in_team = mine if positions is None else sa.or_(mine, Employee.position_id.in_(positions))
    counts = _counts(
        ProgressCount,
        ProgressCount.appraiser_id,
        Employee.name,
        Employee.id == ProgressCount.appraiser_id,
        [ProgressCount.period_id == period.id, in_team],
    )
    # The open tasks of the appraisers just found: a few hundred ids at most, where the
    # subtree would be walked again.
    return _rows(
        period,
        today,
        counts,
        TaskDayCount.appraiser_id,
        lambda keys: [TaskDayCount.appraiser_id.in_(keys)],
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
    exclude_roles: tuple[str, ...] = (),
) -> list[Holder]:
    """Who (or which role, for a group's unclaimed task) has the most SKP waiting, oldest first.

    One statement over open_task_count: the groups per holder and role, ordered
    and cut to `limit` in SQL. The name is compared by code point ("C" collation on
    PostgreSQL, SQLite's default), as Python compares strings, so the order is the
    one the Python sort gives; rows equal in all three come in no fixed order.
    Tasks of `exclude_roles` are left out (the bottlenecks leave out each
    employee's own step).
    """
    c = OpenTaskCount
    where = [c.period_id == period.id]
    if opd_id is not None:
        where.append(c.opd_id == opd_id)
    if appraiser_ids is not None:
        where.append(c.appraiser_id.in_(appraiser_ids))
    if exclude_roles:
        where.append(c.role.not_in(exclude_roles))
    days = (
        sa.select(
            c.holder_id, c.role, c.opd_id, c.opened_on, c.due_on, sa.func.sum(c.delta).label("n")
        )
        .where(*where)
        .group_by(c.holder_id, c.role, c.opd_id, c.opened_on, c.due_on)
        .having(sa.func.sum(c.delta) != 0)
        .subquery()
    )
    # Grouped by ids first, named after: a sort on names in the group key costs more
    # than the join of the groups to their names.
    per_holder = (
        sa.select(
            days.c.holder_id,
            days.c.role,
            sa.func.min(days.c.opd_id).label("opd_id"),
            sa.func.sum(days.c.n).label("waiting"),
            sa.func.sum(sa.case((days.c.due_on < today, days.c.n), else_=0)).label("overdue"),
            sa.func.min(days.c.opened_on).label("oldest"),
        )
        .group_by(days.c.holder_id, days.c.role)
        .subquery()
    )
    name = sa.func.coalesce(Employee.name, "")
    if db.session.get_bind().dialect.name == "postgresql":
        name = name.collate("C")
    h = per_holder.c
    query = (
        sa.select(h.holder_id, Employee.name, h.role, h.opd_id, h.waiting, h.overdue, h.oldest)
        .outerjoin(Employee, Employee.id == h.holder_id)
        .order_by(h.waiting.desc(), h.oldest, name)
        .limit(limit)
    )
    found = [
        Holder(eid, name, role, opd, int(count), int(overdue or 0), oldest)
        for eid, name, role, opd, count, overdue, oldest in db.session.execute(query)
    ]
    found.sort(key=lambda h: (-h.waiting, h.oldest_since, h.name or ""))
    return found


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
