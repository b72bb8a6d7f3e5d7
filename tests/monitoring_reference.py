"""The monitor's progress figures as plain grouped queries over the period's appraisals.

The reference (the oracle) for app.monitoring.progress, which reads summary rows
instead: tests/test_monitoring_summary.py checks that both give the same results.
These scan the period's appraisals and open tasks on every call.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.models import Appraisal, Employee, Opd, Period, Position, Task, Unit
from app.models.appraisal import latest_segment
from app.monitoring.milestones import current_milestone
from app.monitoring.progress import Holder, ProgressRow, team_appraisers
from app.periods.exclusions import excluded_employees


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


def reference_city_rows(period: Period, today: date) -> list[ProgressRow]:
    """One row per OPD, the lowest completion first."""
    return _rows(
        period, today, Appraisal.opd_id, Opd.name, [], ((Opd, Opd.id == Appraisal.opd_id),)
    )


def reference_opd_rows(period: Period, opd_id: int, today: date) -> list[ProgressRow]:
    """One row per unit of the OPD (key None: positions in no unit), lowest completion first."""
    return _rows(
        period,
        today,
        Position.unit_id,
        Unit.name,
        [Appraisal.opd_id == opd_id],
        ((Position, Position.id == Appraisal.position_id), (Unit, Unit.id == Position.unit_id)),
    )


def reference_team_rows(period: Period, atasan_id: int, today: date) -> list[ProgressRow]:
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


def reference_holders(
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
