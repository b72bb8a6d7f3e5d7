"""Counts for the progress dashboard: a few GROUP BY queries, whatever the OPD's size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.models import Appraisal, Opd, Period, Task
from app.models.appraisal import latest_segment
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
    # One row per employee: their latest SKP segment (the only one that runs to the
    # period's end; earlier ones were cut short by a move). Employees excluded from
    # planning (tugas belajar, CLTN, ...) are not counted at all.
    in_scope = (
        Appraisal.period_id == period.id,
        Appraisal.opd_id == opd_id,
        latest_segment(),
        Appraisal.employee_id.not_in(excluded_employees(period.id)),
    )
    all_segments = (
        Appraisal.period_id == period.id,
        Appraisal.opd_id == opd_id,
        Appraisal.employee_id.not_in(excluded_employees(period.id)),
    )
    by_state = dict(
        db.session.execute(
            sa.select(Appraisal.state, sa.func.count()).where(*in_scope).group_by(Appraisal.state)
        ).all()
    )
    overdue = db.session.scalar(
        sa.select(sa.func.count(Task.id))
        .join(Appraisal, Appraisal.id == Task.appraisal_id)
        .where(*all_segments, Task.closed_at.is_(None), Task.due_date < today)
    )
    rated = dict(
        db.session.execute(
            sa.select(Appraisal.predikat, sa.func.count())
            .where(*in_scope, Appraisal.predikat.is_not(None))
            .group_by(Appraisal.predikat)
        ).all()
    )
    return Progress(by_state, overdue, {p: rated.get(p, 0) for p in PREDIKAT})


def opd_choices(opd_ids: list[int] | None) -> list[Opd]:
    """The OPDs a viewer may pick: the given ones, or every OPD (None)."""
    query = sa.select(Opd).order_by(Opd.name)
    if opd_ids is not None:
        query = query.where(Opd.id.in_(opd_ids))
    return list(db.session.scalars(query))
