"""Period services: create, edit, close and reopen; the admin list. They flush, never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.models import (
    Account,
    Appraisal,
    Employee,
    Job,
    Opd,
    Period,
    PeriodCalendarChange,
    PeriodStatusChange,
    Task,
)
from app.models.types import utcnow
from app.periods.calendar import CALENDAR_FIELDS, departures, record_departures
from app.workflow.engine import engine
from app.workflow.tasks import open_tasks, reschedule_period_tasks

# Fields that name what the appraisals were opened as: fixed once there are some.
FIXED_ONCE_OPENED = ("year", "kind", "workflow")
EDITABLE = ("name", *CALENDAR_FIELDS)


class PeriodError(ValueError):
    """A refused change to a period: `field` is the form field to show `code` on."""

    def __init__(self, field: str, code: str):
        self.field, self.code = field, code
        super().__init__(code)


def _duplicate(year: int, kind: str, exclude_id: int | None = None) -> bool:
    query = sa.select(Period.id).where(Period.year == year, Period.kind == kind)
    if exclude_id is not None:
        query = query.where(Period.id != exclude_id)
    return db.session.scalar(query) is not None


def appraisal_count(period: Period) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Appraisal).where(Appraisal.period_id == period.id)
    )


def _calendar_reason(data: dict, moved: list[str]) -> str:
    """The reason for dates set away from the statutory calendar; refused when missing."""
    reason = (data.get("calendar_reason") or "").strip()
    if moved and not reason:
        raise PeriodError("calendar_reason", "calendar_reason")
    return reason


def create_period(data: dict, actor: Account | None = None) -> Period:
    """A new period in status draft; one per year and kind.

    Dates away from the statutory proposal (app.periods.calendar) need
    `data["calendar_reason"]`; each such date is recorded with it.
    """
    if _duplicate(data["year"], data["kind"]):
        raise PeriodError("kind", "duplicate")
    moved = departures(data)
    reason = _calendar_reason(data, moved)
    period = Period(status="draft", **{k: data[k] for k in (*FIXED_ONCE_OPENED, *EDITABLE)})
    # Quarterly periodic targets unless the form chose months (app/skp/periodic.py).
    period.target_breakdown = data.get("target_breakdown") or "quarter"
    period.name = period.name.strip()
    db.session.add(period)
    db.session.flush()
    record_departures(period.id, moved, None, data, reason, actor, utcnow())
    db.session.flush()
    return period


def update_period(period: Period, data: dict, actor: Account | None = None) -> None:
    """Change names and dates; year, kind and workflow only while no appraisal exists.

    A date changed to something other than the statutory proposal needs
    `data["calendar_reason"]`, and is recorded with it.
    """
    breakdown = data.get("target_breakdown") or period.target_breakdown
    if appraisal_count(period):
        for field in FIXED_ONCE_OPENED:
            if data[field] != getattr(period, field):
                raise PeriodError(field, "fixed")
        # Plans already set their periodic targets by the quarters (or months).
        if breakdown != period.target_breakdown:
            raise PeriodError("target_breakdown", "fixed")
    if _duplicate(data["year"], data["kind"], exclude_id=period.id):
        raise PeriodError("kind", "duplicate")
    before = {name: getattr(period, name) for name in CALENDAR_FIELDS}
    moved = departures(data, before)
    reason = _calendar_reason(data, moved)
    for field in (*FIXED_ONCE_OPENED, *EDITABLE):
        setattr(period, field, data[field])
    period.target_breakdown = breakdown
    period.name = period.name.strip()
    record_departures(period.id, moved, before, data, reason, actor, utcnow())
    db.session.flush()
    # Open tasks are due on the step deadlines: they follow a changed deadline.
    reschedule_period_tasks(period)


def open_work(period: Period) -> tuple[int, int]:
    """(SKPs not yet final, open tasks) of the period: what closing it stops."""
    final = [
        name
        for spec in engine().specs.values()
        for name, state in spec.states.items()
        if state.final
    ]
    in_period = sa.select(Appraisal.id).where(Appraisal.period_id == period.id)
    skps = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Appraisal)
        .where(Appraisal.period_id == period.id, Appraisal.state.not_in(final))
    )
    tasks = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Task)
        .where(Task.closed_at.is_(None), Task.appraisal_id.in_(in_period))
    )
    return skps, tasks


def _log_status(period: Period, to: str, actor: Account, reason: str | None) -> None:
    db.session.add(
        PeriodStatusChange(
            period_id=period.id,
            from_status=period.status,
            to_status=to,
            reason=(reason or "").strip() or None,
            changed_by_id=actor.id,
            changed_at=utcnow(),
        )
    )
    period.status = to


def close_period(period: Period, actor: Account, reason: str | None = None) -> None:
    """Close the period: its SKPs become read-only and its open tasks are closed, logged."""
    now = utcnow()
    _log_status(period, "closed", actor, reason)
    db.session.execute(
        sa.update(Task)
        .where(
            Task.closed_at.is_(None),
            Task.appraisal_id.in_(sa.select(Appraisal.id).where(Appraisal.period_id == period.id)),
        )
        .values(closed_at=now, closed_by_id=None)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()


def reopen_period(period: Period, actor: Account, reason: str) -> int:
    """Reopen a closed period (the reason is required); each SKP not final gets its task back.

    Returns the number of tasks opened again (two for an SKP at a joint step).
    """
    if not (reason or "").strip():
        raise PeriodError("reason", "reason")
    _log_status(period, "open", actor, reason)
    db.session.flush()
    now = utcnow()
    # Not a complaint's task (no appraisal): a NULL would make NOT IN match nothing.
    with_task = sa.select(Task.appraisal_id).where(
        Task.closed_at.is_(None), Task.appraisal_id.is_not(None)
    )
    waiting = db.session.scalars(
        sa.select(Appraisal).where(Appraisal.period_id == period.id, Appraisal.id.not_in(with_task))
    ).all()
    opened = 0
    for appraisal in waiting:
        state = engine().spec(appraisal.workflow).states[appraisal.state]
        opened += len(open_tasks(appraisal, state, now))
    return opened


def calendar_changes(period_id: int) -> list[tuple[PeriodCalendarChange, Employee | None]]:
    """The period's dates set away from the statutory calendar, newest first, with who."""
    return list(
        db.session.execute(
            sa.select(PeriodCalendarChange, Employee)
            .outerjoin(Account, Account.id == PeriodCalendarChange.changed_by_id)
            .outerjoin(Employee, Employee.id == Account.employee_id)
            .where(PeriodCalendarChange.period_id == period_id)
            .order_by(PeriodCalendarChange.changed_at.desc(), PeriodCalendarChange.id.desc())
        ).all()
    )


def status_changes(period_id: int) -> list[tuple[PeriodStatusChange, Employee]]:
    """The period's closings and reopenings, newest first, with who made them."""
    return list(
        db.session.execute(
            sa.select(PeriodStatusChange, Employee)
            .join(Account, Account.id == PeriodStatusChange.changed_by_id)
            .join(Employee, Employee.id == Account.employee_id)
            .where(PeriodStatusChange.period_id == period_id)
            .order_by(PeriodStatusChange.changed_at.desc(), PeriodStatusChange.id.desc())
        ).all()
    )


def all_periods() -> list[Period]:
    """Every period, the latest year first and annual before its quarters (pickers, lists)."""
    return list(db.session.scalars(sa.select(Period).order_by(Period.year.desc(), Period.kind)))


def working_period(periods: Sequence[Period], today: date | None = None) -> Period | None:
    """The period people work in, for pickers to start at.

    The open period whose dates cover today (of several, the one that started
    last: the quarter rather than its year), else the open one that started
    last, else the first of `periods` (the newest).
    """
    today = today or date.today()
    open_ = [p for p in periods if p.status == "open"]
    covering = [p for p in open_ if p.start_date <= today <= p.end_date]
    if covering or open_:
        return max(covering or open_, key=lambda p: (p.start_date, p.id))
    return next(iter(periods), None)


def period_overview() -> list[tuple[Period, int, Job | None]]:
    """Every period, newest first, with its number of employees with an SKP and its latest job.

    Employees, not SKP segments: one who moved mid-period has two segments.
    """
    counts = dict(
        db.session.execute(
            sa.select(
                Appraisal.period_id, sa.func.count(sa.distinct(Appraisal.employee_id))
            ).group_by(Appraisal.period_id)
        ).all()
    )
    latest = sa.select(sa.func.max(Job.id)).group_by(Job.period_id)
    found = db.session.scalars(sa.select(Job).where(Job.id.in_(latest)))
    jobs = {job.period_id: job for job in found}
    return [(p, counts.get(p.id, 0), jobs.get(p.id)) for p in all_periods()]


def opds_by_ids(ids: list[int]) -> list[Opd]:
    if not ids:
        return []
    return list(db.session.scalars(sa.select(Opd).where(Opd.id.in_(ids)).order_by(Opd.name)))
