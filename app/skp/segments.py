"""The SKP segments of one employee in one period, and the period's combined result (reads only)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Appraisal
from app.skp.combined import combine_predikat


@dataclass(frozen=True)
class PeriodSegments:
    """Every segment of the employee's period, in order, and what they combine to."""

    segments: list[Appraisal]
    combined: str | None  # None until every segment has its predikat

    @property
    def total(self) -> int:
        return len(self.segments)


def is_only_segment(appraisal: Appraisal) -> bool:
    """True when no other segment can exist: the first one, still running to the period's end.

    A later segment is only ever started by cutting the latest one short, so this
    needs no query.
    """
    return appraisal.segment == 1 and appraisal.end_date >= appraisal.period.end_date


def period_segments(appraisal: Appraisal) -> PeriodSegments | None:
    """The segments of the appraisal's employee and period (one query); None if it is alone."""
    if is_only_segment(appraisal):
        return None
    segments = list(
        db.session.scalars(
            sa.select(Appraisal)
            .where(
                Appraisal.employee_id == appraisal.employee_id,
                Appraisal.period_id == appraisal.period_id,
            )
            .options(joinedload(Appraisal.appraiser))
            .order_by(Appraisal.segment)
        )
    )
    if len(segments) < 2:
        return None
    combined = combine_predikat([(s.predikat, s.days) for s in segments])
    return PeriodSegments(segments, combined)
