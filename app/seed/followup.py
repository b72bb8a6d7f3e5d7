"""Demo assessment scores for the talent map (`flask seed-demo --history-years Y`).

The 9-box needs two years of final annual predikat (the history) and a score of
the potential. The demo gives every employee with last year's final annual SKP a
score from 55 to 98, spread by their id, as an assessment centre's import would;
set-based and idempotent (an employee's score of that year is left alone).
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.models import Account, Appraisal, Employee, Period, TalentAssessment


def seed_talent_scores(imported_by_nip: str, year: int | None = None) -> int:
    """Add last year's demo scores; returns how many were added. Flushes."""
    year = year or date.today().year - 1
    importer = db.session.scalar(
        sa.select(Account.id).join(Employee).where(Employee.nip == imported_by_nip)
    )
    if importer is None:
        return 0
    rated = (
        sa.select(Appraisal.employee_id)
        .join(Period, Period.id == Appraisal.period_id)
        .where(Period.year == year, Period.kind == "annual", Appraisal.predikat.is_not(None))
        .distinct()
        .subquery()
    )
    scored = sa.select(TalentAssessment.employee_id).where(TalentAssessment.year == year)
    rows = sa.select(
        rated.c.employee_id,
        sa.literal(year),
        # 55 + (id x 37 mod 44): 55..98, about a third in each band of the defaults.
        sa.cast(55 + (rated.c.employee_id * 37) % 44, sa.Numeric(5, 2)),
        sa.literal("Demo: asesmen kompetensi (contoh)"),
        sa.literal(importer),
    ).where(rated.c.employee_id.not_in(scored))
    added = db.session.execute(
        sa.insert(TalentAssessment)
        .from_select(["employee_id", "year", "score", "source", "imported_by_id"], rows)
        .returning(TalentAssessment.id)
    ).all()
    db.session.flush()
    return len(added)
