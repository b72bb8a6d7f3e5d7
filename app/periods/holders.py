"""Appraisals whose later steps nobody in SIKAP could take, reported before they get stuck.

A keberatan goes to the atasan pejabat penilai, found by the appraisee's rule
(app.org.appraisers): usually the appraiser's own pejabat penilai. Where nobody
fits (the rule names the wali kota, who is not in SIKAP), nobody could decide
it: the engine refuses such a step rather than open a task with no holder, and
this list tells BKD beforehand which appraisals it concerns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.models import Appraisal, Employee, Period
from app.periods.structure import ReportingLines


@dataclass(frozen=True)
class WithoutDecider:
    appraisal_id: int
    nip: str
    name: str
    appraiser: str


def appraisals_without_decider(period: Period, on: date | None = None) -> list[WithoutDecider]:
    """The period's appraisals with no atasan pejabat penilai in SIKAP (no keberatan decider)."""
    lines = ReportingLines(on or max(period.start_date, date.today()))
    appraiser = sa.orm.aliased(Employee)
    rows = db.session.execute(
        sa.select(
            Appraisal.id, Employee.id, Employee.nip, Employee.name, appraiser.id, appraiser.name
        )
        .join(Employee, Employee.id == Appraisal.employee_id)
        .join(appraiser, appraiser.id == Appraisal.appraiser_id)
        .where(Appraisal.period_id == period.id)
        .order_by(Employee.name)
    )
    return [
        WithoutDecider(appraisal_id, nip, name, appraiser_name)
        for appraisal_id, employee_id, nip, name, appraiser_id, appraiser_name in rows
        if lines.atasan_penilai(employee_id, appraiser_id) is None
    ]
