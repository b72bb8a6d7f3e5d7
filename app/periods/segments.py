"""Start a new SKP segment after a mid-period move (mutasi, promotion, Plt). Flushes, never commits.

PermenPANRB 6/2022: an employee who changes jabatan during the year has an SKP for
each jabatan, each set with and evaluated by the pejabat penilai of that jabatan;
the one left behind is evaluated for the time served in it. So a move does not
hand the running SKP to the new atasan (that is app.appraisals.services.
reassign_appraiser, for when only the atasan changed): it closes the running
segment the day before the move and opens the next one from the move date, for
the new jabatan, with the new jabatan's atasan on that date.

The old segment's open tasks stay where they are. Its appraiser supervised those
months and is the one who can judge them (PermenPANRB 6/2022: the pejabat penilai
is the atasan langsung during the period appraised); handing them to the new atasan
would have someone rate work they never saw. The appraisee keeps their own steps
of the old segment too (realisasi and self-assessment of the months served).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from app.appraisals.services import new_segment
from app.extensions import db
from app.models import Account, Appraisal, DeadlineExtension, Employee, Period
from app.models.types import utcnow
from app.org.reporting import atasan_of
from app.periods.opening import PeriodOpener
from app.workflow.audit import record_event
from app.workflow.deadlines import period_deadline
from app.workflow.engine import engine
from app.workflow.errors import StaleState
from app.workflow.locking import versioned_update

START_SEGMENT = "start_segment"
CLOSE_SEGMENT = "close_segment"


class SegmentRefused(ValueError):
    """The segment cannot be started; `message` says why, in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SegmentStarted:
    previous: Appraisal
    segment: Appraisal


def current_segment(employee_id: int, period_id: int) -> Appraisal | None:
    """The employee's latest segment in the period (the one a move cuts short)."""
    return db.session.scalars(
        sa.select(Appraisal)
        .where(Appraisal.employee_id == employee_id, Appraisal.period_id == period_id)
        .order_by(Appraisal.segment.desc())
        .limit(1)
    ).first()


def open_periods_of(employee_id: int) -> list[tuple[Period, Appraisal]]:
    """The open periods in which the employee has an SKP, each with its latest segment."""
    latest = (
        sa.select(Appraisal.period_id, sa.func.max(Appraisal.segment).label("segment"))
        .where(Appraisal.employee_id == employee_id)
        .group_by(Appraisal.period_id)
        .subquery()
    )
    return [
        (period, appraisal)
        for appraisal, period in db.session.execute(
            sa.select(Appraisal, Period)
            .join(Period, Period.id == Appraisal.period_id)
            .join(
                latest,
                sa.and_(
                    latest.c.period_id == Appraisal.period_id,
                    latest.c.segment == Appraisal.segment,
                ),
            )
            .where(Appraisal.employee_id == employee_id, Period.status == "open")
            .order_by(Period.start_date, Period.kind)
        )
    ]


def start_segment(
    employee: Employee,
    period: Period,
    move_date: date,
    actor: Account,
    *,
    seen_segment: int | None = None,
    now: datetime | None = None,
) -> SegmentStarted:
    """Close the employee's running segment the day before `move_date` and open the next one.

    The employee's position must already be the new jabatan. The new segment starts
    in the workflow's initial state, appraised by the atasan of the new jabatan on
    `move_date`, with its first task and mail (the period opener's own path). Both
    segments get an audit event. `seen_segment` is the segment number the admin's
    form showed: if another admin started a segment meanwhile, this one is refused
    (so is the loser of two simultaneous starts, by the version of the old segment
    and, underneath, the unique key on the segment number). Raises SegmentRefused,
    having written nothing.
    """
    now = now or utcnow()
    if period.status != "open":
        raise SegmentRefused(_("The period %(name)s is not open.", name=period.name))
    if not period.start_date <= move_date <= period.end_date:
        raise SegmentRefused(
            _(
                "The move date must fall within the period (%(start)s to %(end)s).",
                start=period.start_date.strftime("%d-%m-%Y"),
                end=period.end_date.strftime("%d-%m-%Y"),
            )
        )
    current = current_segment(employee.id, period.id)
    if current is None:
        raise SegmentRefused(
            _(
                "%(name)s has no SKP in the period %(period)s.",
                name=employee.name,
                period=period.name,
            )
        )
    if seen_segment is not None and seen_segment != current.segment:
        raise SegmentRefused(_already_started(current.segment))
    if move_date <= current.start_date:
        raise SegmentRefused(
            _(
                "The move date must be after the start of the current SKP segment (%(start)s).",
                start=current.start_date.strftime("%d-%m-%Y"),
            )
        )
    if employee.position is None:
        raise SegmentRefused(_("%(name)s has no position.", name=employee.name))
    holder = atasan_of(employee, move_date)
    if holder is None:
        raise SegmentRefused(
            _("The new position has no atasan in SIKAP on %(date)s.", date=_day(move_date))
        )
    previous_end = current.end_date
    try:
        versioned_update(
            current, current.version, {"end_date": move_date - timedelta(days=1), "updated_at": now}
        )
    except StaleState:
        raise SegmentRefused(_already_started(current.segment + 1)) from None
    spec = engine().spec(period.workflow)
    segment = new_segment(
        employee, period, holder, move_date, previous_end, segment=current.segment + 1, now=now
    )
    db.session.add(segment)
    db.session.flush()
    moved = _day(move_date)
    record_event(
        current,
        actor=actor,
        role="admin_bkd",
        trigger=CLOSE_SEGMENT,
        from_state=current.state,
        to_state=current.state,
        comment=_("Jabatan changed on %(date)s: this segment ends the day before.", date=moved),
        acting_as=None,
        now=now,
    )
    record_event(
        segment,
        actor=actor,
        role="admin_bkd",
        trigger=START_SEGMENT,
        from_state=segment.state,
        to_state=segment.state,
        comment=f"{employee.position.name} · {holder.employee.name} · {moved}",
        acting_as=None,
        now=now,
    )
    deadline = _first_step_deadline(segment, spec, actor, move_date, now)
    # The first task, its mail and (for a quarter) the plan: exactly as opening the period.
    PeriodOpener(period, now=now, deadline=deadline).start_work([employee.id])
    return SegmentStarted(current, segment)


def _first_step_deadline(
    segment: Appraisal, spec, actor: Account, move_date: date, now: datetime
) -> date | None:
    """The new segment's deadline for its first step, granted as an extension when needed.

    The period's plan deadline (end of January) is long past after a mid-year move;
    the new jabatan's plan then gets the first step's usual time from the move
    (or from today, for a move entered late), recorded as an extension so that every
    page, lock and reminder reads it through the one rule (app.workflow.deadlines).
    """
    initial = spec.states[spec.initial]
    deadline = period_deadline(segment, initial.name)
    if deadline is None:
        return None
    wanted = max(move_date, now.date()) + timedelta(days=initial.due_days)
    if wanted <= deadline:
        return deadline
    db.session.add(
        DeadlineExtension(
            appraisal_id=segment.id,
            step=initial.name,
            new_deadline=wanted,
            reason=_("New SKP segment after a change of jabatan."),
            granted_by_id=actor.id,
            granted_at=now,
        )
    )
    db.session.flush()
    return wanted


def _day(value: date) -> str:
    return value.strftime("%d-%m-%Y")


def _already_started(latest: int) -> str:
    return _(
        "Someone else has just started a new SKP segment for this employee (now segment %(n)d"
        " or later). Reload the page and check before trying again.",
        n=latest,
    )


def move_employee(
    employee: Employee,
    position_id: int,
    period: Period,
    move_date: date,
    actor: Account,
    *,
    seen_segment: int | None = None,
) -> SegmentStarted:
    """Mutasi by hand: put the employee in the new position and start its SKP segment."""
    employee.position_id = position_id
    db.session.flush()
    db.session.refresh(employee, ["position"])
    return start_segment(employee, period, move_date, actor, seen_segment=seen_segment)
