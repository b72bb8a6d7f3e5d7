"""The SKP behind a monitor's number: filtered, paginated, each with whose turn it is.

Counted as the views count (app.monitoring.progress): one SKP per employee (their
latest segment of the period), leaving out those excluded from planning. A page
is one statement for its rows (the open task and its holders' names joined in)
and one for the count, whatever the filters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Appraisal, Employee, Opd, Period, Position, Task, Unit
from app.models.appraisal import latest_segment
from app.monitoring.milestones import current_milestone
from app.periods.exclusions import excluded_employees
from app.workflow.roles import ROLE_LABELS

PER_PAGE = 50


@dataclass
class Filters:
    """What the list is narrowed to; None is "any". unit 0 means positions in no unit."""

    period: int | None = None
    opd: int | None = None
    unit: int | None = None
    team: int | None = None
    appraiser: int | None = None
    holder: int | None = None  # whose turn it is: the open task's claimer, else its assignee
    state: str | None = None
    overdue: bool = False
    reached: bool | None = None  # at or past the calendar's current milestone, or not
    page: int = 1
    team_members: list[int] = field(default_factory=list)  # the team's appraisers, once known

    def args(self, **changes) -> dict:
        """The filters as URL arguments (for links, pages and exports)."""
        found = {
            "period": self.period,
            "opd": self.opd,
            "unit": self.unit,
            "team": self.team,
            "appraiser": self.appraiser,
            "holder": self.holder,
            "state": self.state,
            "overdue": 1 if self.overdue else None,
            "reached": None if self.reached is None else int(self.reached),
            "page": self.page if self.page > 1 else None,
        }
        found.update(changes)
        return {key: value for key, value in found.items() if value is not None}


@dataclass(frozen=True)
class ListRow:
    """One SKP: whose it is, its step, whose turn, and since when."""

    appraisal_id: int
    name: str
    nip: str
    position: str | None
    opd: str | None
    unit: str | None
    state: str
    workflow: str
    holder: str | None  # the person whose turn it is, else the role of a group task
    since: datetime | None
    due: date | None

    def days_in_step(self, today: date) -> int | None:
        return (today - self.since.date()).days if self.since else None

    def overdue(self, today: date) -> bool:
        return self.due is not None and self.due < today


def scope_labels(filters: Filters, count: int) -> list[str]:
    """What the list is narrowed to, by name (each a primary-key read, most already loaded).

    A holder is named only when they hold an SKP the viewer may list (`count`): the
    filter alone must not tell a kepala OPD the name behind any employee id.
    """
    labels = []
    if filters.opd is not None and (opd := db.session.get(Opd, filters.opd)):
        labels.append(opd.name)
    if filters.unit == 0:
        labels.append(_("(no work unit)"))
    elif filters.unit is not None and (unit := db.session.get(Unit, filters.unit)):
        labels.append(unit.name)
    if filters.team is not None and (atasan := db.session.get(Employee, filters.team)):
        labels.append(_("Team of %(name)s", name=atasan.name))
    if filters.appraiser is not None and (appraiser := db.session.get(Employee, filters.appraiser)):
        labels.append(_("appraised by %(name)s", name=appraiser.name))
    holder = db.session.get(Employee, filters.holder) if filters.holder and count else None
    if holder is not None:
        labels.append(_("waiting on %(name)s", name=holder.name))
    return labels


def _where(period: Period, filters: Filters, today: date) -> list[sa.ColumnElement[bool]]:
    where = [
        Appraisal.period_id == period.id,
        latest_segment(),
        Appraisal.employee_id.not_in(excluded_employees(period.id)),
    ]
    if filters.opd is not None:
        where.append(Appraisal.opd_id == filters.opd)
    if filters.unit is not None:
        where.append(
            Position.unit_id.is_(None) if filters.unit == 0 else Position.unit_id == filters.unit
        )
    if filters.team is not None:
        where.append(Appraisal.appraiser_id.in_(filters.team_members))
    if filters.appraiser is not None:
        where.append(Appraisal.appraiser_id == filters.appraiser)
    if filters.holder is not None:
        task = aliased(Task)
        held = sa.select(task.id).where(
            task.appraisal_id == Appraisal.id,
            task.closed_at.is_(None),
            sa.func.coalesce(task.claimed_by_id, task.assignee_id) == filters.holder,
        )
        where.append(held.exists())
    if filters.state:
        where.append(Appraisal.state == filters.state)
    if filters.overdue:
        # Its own alias: the list's query joins the open task too.
        task = aliased(Task)
        late = sa.select(task.id).where(
            task.appraisal_id == Appraisal.id, task.closed_at.is_(None), task.due_date < today
        )
        where.append(late.exists())
    if filters.reached is not None:
        milestone = current_milestone(period, today)
        states = sorted(milestone.reached_states) if milestone else []
        where.append(
            Appraisal.state.in_(states) if filters.reached else Appraisal.state.not_in(states)
        )
    return where


def _base(query: sa.Select) -> sa.Select:
    return query.outerjoin(Position, Position.id == Appraisal.position_id)


def rows(
    period: Period, filters: Filters, today: date, limit: int | None = PER_PAGE
) -> tuple[list[ListRow], int]:
    """The page of SKP (the longest-waiting first) and how many match in all."""
    where = _where(period, filters, today)
    count = db.session.scalar(
        _base(sa.select(sa.func.count()).select_from(Appraisal)).where(*where)
    )
    # At a joint step an SKP has several open tasks: show the first opened, one row each.
    other = aliased(Task)
    first_open = (
        sa.select(sa.func.min(other.id))
        .where(other.appraisal_id == Appraisal.id, other.closed_at.is_(None))
        .correlate(Appraisal)
        .scalar_subquery()
    )
    assignee, claimer = aliased(Employee), aliased(Employee)
    query = (
        _base(
            sa.select(
                Appraisal.id,
                Employee.name,
                Employee.nip,
                Appraisal.position_name,
                Opd.name,
                Unit.name,
                Appraisal.state,
                Appraisal.workflow,
                Task.role,
                sa.func.coalesce(claimer.name, assignee.name),
                Task.opened_at,
                Task.due_date,
            ).select_from(Appraisal)
        )
        .join(Employee, Employee.id == Appraisal.employee_id)
        .outerjoin(Opd, Opd.id == Appraisal.opd_id)
        .outerjoin(Unit, Unit.id == Position.unit_id)
        .outerjoin(Task, Task.id == first_open)
        .outerjoin(assignee, assignee.id == Task.assignee_id)
        .outerjoin(claimer, claimer.id == Task.claimed_by_id)
        .where(*where)
        .order_by(Task.opened_at.is_(None), Task.opened_at, Employee.name, Appraisal.id)
    )
    if limit is not None:
        query = query.limit(limit).offset((max(filters.page, 1) - 1) * limit)
    found = [
        ListRow(
            appraisal_id=aid,
            name=name,
            nip=nip,
            position=position,
            opd=opd,
            unit=unit,
            state=state,
            workflow=workflow,
            holder=holder or (str(ROLE_LABELS.get(role, role)) if role else None),
            since=since,
            due=due,
        )
        for (
            aid,
            name,
            nip,
            position,
            opd,
            unit,
            state,
            workflow,
            role,
            holder,
            since,
            due,
        ) in db.session.execute(query)
    ]
    return found, int(count or 0)


def table(found: list[ListRow], today: date, step_label) -> list[list]:
    """The list for XLSX/CSV: a header and one line per SKP."""
    lines: list[list] = [
        [
            _("Name"),
            _("NIP"),
            _("Position"),
            _("OPD"),
            _("Unit"),
            _("Step"),
            _("Whose turn"),
            _("Days in step"),
            _("Due"),
        ]
    ]
    for row in found:
        days = row.days_in_step(today)
        lines.append(
            [
                row.name,
                row.nip,
                row.position or "",
                row.opd or "",
                row.unit or "",
                step_label(row),
                row.holder or "",
                days if days is not None else "",
                row.due.isoformat() if row.due else "",
            ]
        )
    return lines
