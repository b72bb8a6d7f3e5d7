"""Employees for whom no pejabat penilai can be resolved, listed for BKD before opening.

Opening skips them (an SKP needs an appraiser) and counts them with the reason;
this list names them beforehand, so that BKD fixes the organisation (fills the
kepala daerah's position, a Plt for a vacancy, the rule) instead of finding out
from a count afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.models import Employee, Opd, Period, Position
from app.periods.structure import ReportingLines


@dataclass(frozen=True)
class Unresolved:
    employee_id: int
    nip: str
    name: str
    position: str
    opd: str
    reason: str  # app.org.appraisers.REASONS


def unresolved_employees(
    period: Period, opd_ids: list[int] | None = None, on: date | None = None
) -> list[Unresolved]:
    """Active employees in `opd_ids` (None: all) whom opening `period` would skip, and why."""
    lines = ReportingLines(on or max(period.start_date, date.today()))
    query = (
        sa.select(Employee.id, Employee.nip, Employee.name, Position.id, Position.name, Opd.code)
        .join(Position, Position.id == Employee.position_id)
        .join(Opd, Opd.id == Position.opd_id)
        .where(Employee.active.is_(True))
        .order_by(Opd.code, Employee.name)
    )
    if opd_ids:
        query = query.where(Position.opd_id.in_(opd_ids))
    found = []
    for employee_id, nip, name, position_id, position, opd in db.session.execute(query):
        if lines.is_kepala_daerah(position_id):
            continue  # the wali kota has no SKP: not an omission
        resolution = lines.resolve(employee_id, position_id)
        if resolution.found is None:
            found.append(Unresolved(employee_id, nip, name, position, opd, resolution.reason))
    return found
