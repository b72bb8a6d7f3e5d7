"""Appraisal services: open one, reassign its appraiser. They flush, never commit."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa

from app.extensions import db
from app.models import Account, Appraisal, Employee, Period, Task
from app.models.types import utcnow
from app.org.reporting import PositionHolder, atasan_of
from app.workflow.audit import record_event
from app.workflow.engine import engine
from app.workflow.locking import versioned_update
from app.workflow.roles import assignee_for
from app.workflow.tasks import open_task


class NoAppraiser(ValueError):
    """The employee has no atasan in the system (e.g. the Sekda, appraised by the Wali Kota)."""


class SegmentEnded(ValueError):
    """An SKP segment cut short by a move keeps the appraiser of the months it covers."""


def open_appraisal(employee: Employee, period: Period, now: datetime | None = None) -> Appraisal:
    """Create the employee's appraisal for the period in its workflow's initial state.

    The appraiser is the atasan on the period's start (or today, if later); the
    first task is opened. Bulk opening for a whole city is done set-based elsewhere.
    """
    now = now or utcnow()
    on = max(period.start_date, now.date())
    holder = atasan_of(employee, on)
    if holder is None:
        raise NoAppraiser(employee.nip)
    spec = engine().spec(period.workflow)
    appraisal = new_segment(
        employee, period, holder, period.start_date, period.end_date, segment=1, now=now
    )
    db.session.add(appraisal)
    db.session.flush()
    open_task(appraisal, spec.states[spec.initial], now)
    return appraisal


def new_segment(
    employee: Employee,
    period: Period,
    holder: PositionHolder,
    start: date,
    end: date,
    *,
    segment: int,
    now: datetime,
) -> Appraisal:
    """An unsaved SKP segment of the employee's current jabatan, appraised by `holder`,
    in the period's workflow's initial state (the caller adds it and opens its work)."""
    position = employee.position
    spec = engine().spec(period.workflow)
    return Appraisal(
        employee=employee,
        period=period,
        segment=segment,
        start_date=start,
        end_date=end,
        position_id=employee.position_id,
        position_name=position.name if position else None,
        opd_id=position.opd_id if position else None,
        appraiser_id=holder.employee.id,
        appraiser_acting=holder.acting,
        workflow=spec.name,
        state=spec.initial,
        version=1,
        created_at=now,
        updated_at=now,
    )


def reassign_appraiser(
    appraisal: Appraisal, actor: Account, *, seen_version: int, now: datetime | None = None
) -> bool:
    """Point the appraisal at its current atasan (after a mutasi or a new Plt).

    Open tasks for the appraiser or their superior move to the new holder; the
    change is an audit event. Returns False when nothing changed. Goes through the
    same compare-and-set on the version as every transition.
    """
    now = now or utcnow()
    if appraisal.end_date < appraisal.period.end_date:
        # The employee's current atasan is that of the new jabatan (app.periods.segments).
        raise SegmentEnded(appraisal.id)
    holder = atasan_of(appraisal.employee, now.date())
    if holder is None:
        raise NoAppraiser(appraisal.employee.nip)
    if (holder.employee.id, holder.acting) == (appraisal.appraiser_id, appraisal.appraiser_acting):
        return False
    previous = appraisal.appraiser
    versioned_update(
        appraisal,
        seen_version,
        {"appraiser_id": holder.employee.id, "appraiser_acting": holder.acting, "updated_at": now},
    )
    # The relationship still points at the previous appraiser; load the new one.
    db.session.refresh(appraisal, ["appraiser"])
    for task in db.session.scalars(
        sa.select(Task).where(
            Task.appraisal_id == appraisal.id,
            Task.closed_at.is_(None),
            Task.role.in_(("appraiser", "appraiser_superior")),
        )
    ):
        task.assignee_id = assignee_for(appraisal, task.role)
    record_event(
        appraisal,
        actor=actor,
        role="admin_bkd",
        trigger="reassign",
        from_state=appraisal.state,
        to_state=appraisal.state,
        comment=f"{previous.name if previous else '-'} -> {holder.employee.name}",
        acting_as=None,
        now=now,
    )
    db.session.flush()
    return True
