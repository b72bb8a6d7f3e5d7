"""Counts for the progress dashboard: summary rows and one query for overdue tasks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from app.dashboard.summary import opd_counts
from app.extensions import db
from app.models import Appraisal, Opd, Period, Task
from app.periods.exclusions import excluded_employees
from app.periods.services import working_period
from app.skp.scoring import PREDIKAT


@dataclass(frozen=True)
class Progress:
    """Where one OPD's appraisals of one period stand."""

    by_state: dict[str, int]
    overdue: int
    predikat: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_state.values())


def current_period() -> Period | None:
    """The period people work in now (periods.services.working_period), if one is open."""
    return working_period(
        db.session.scalars(sa.select(Period).where(Period.status == "open")).all()
    )


def opd_progress(period: Period, opd_id: int, today: date | None = None) -> Progress:
    """Employees per step of their SKP, open tasks past their due date, and predikat so far."""
    today = today or date.today()
    # Per state and predikat: one per employee (their latest SKP segment), leaving out
    # those excluded from planning, read from the summary rows (app.dashboard.summary).
    counts = opd_counts(period.id, opd_id)
    by_state: dict[str, int] = {}
    rated: dict[str, int] = {}
    for (state, predikat), count in counts.items():
        by_state[state] = by_state.get(state, 0) + count
        if predikat is not None:
            rated[predikat] = rated.get(predikat, 0) + count
    # Overdue tasks are not summarised: a task becomes overdue with the date, not a write.
    all_segments = (
        Appraisal.period_id == period.id,
        Appraisal.opd_id == opd_id,
        Appraisal.employee_id.not_in(excluded_employees(period.id)),
    )
    overdue = db.session.scalar(
        sa.select(sa.func.count(Task.id))
        .join(Appraisal, Appraisal.id == Task.appraisal_id)
        .where(*all_segments, Task.closed_at.is_(None), Task.due_date < today)
    )
    return Progress(by_state, overdue, {p: rated.get(p, 0) for p in PREDIKAT})


def opd_choices(opd_ids: list[int] | None) -> list[Opd]:
    """The OPDs a viewer may pick: the given ones, or every OPD (None)."""
    query = sa.select(Opd).order_by(Opd.name)
    if opd_ids is not None:
        query = query.where(Opd.id.in_(opd_ids))
    return list(db.session.scalars(query))
