"""Calibration: the OPD's proposed predikat per unit, and asking appraisers to revisit SKP.

SE MenPANRB 3/2023 has the pejabat penilai set each predikat with the pola
distribusi in view, and the pimpinan of the organisation see the whole before it
is settled. Here the kepala OPD sees every unit's predikat against the OPD's
pattern and asks the appraisers of named SKP to revisit them: each request is
the workflow's `request_calibration` step (verification -> supervisor_review,
with the kepala OPD's comment), never an edit of someone else's rating.

Services flush and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from app.extensions import db
from app.models import Account, Appraisal, Employee, Position, Unit
from app.models.appraisal import PREDIKAT, latest_segment
from app.skp.verification.services import BatchResult, fire_batch
from app.workflow.names import REQUEST_CALIBRATION


@dataclass(frozen=True)
class UnitCounts:
    """One unit's employees by predikat (latest SKP segment, any step, with a predikat)."""

    name: str | None  # None: positions outside any unit (the OPD's own top level)
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def unit_counts(opd_id: int, period_id: int) -> list[UnitCounts]:
    """Predikat counts per unit of the OPD for the period, in one statement, by unit name."""
    rows = db.session.execute(
        sa.select(Unit.name, Appraisal.predikat, sa.func.count(Appraisal.id))
        .select_from(Appraisal)
        .join(Employee, Employee.id == Appraisal.employee_id)
        .outerjoin(Position, Position.id == Employee.position_id)
        .outerjoin(Unit, Unit.id == Position.unit_id)
        .where(
            Appraisal.opd_id == opd_id,
            Appraisal.period_id == period_id,
            Appraisal.predikat.is_not(None),
            latest_segment(),
        )
        .group_by(Unit.name, Appraisal.predikat)
    )
    units: dict[str | None, dict[str, int]] = {}
    for name, predikat, count in rows:
        units.setdefault(name, dict.fromkeys(PREDIKAT, 0))[predikat] = count
    return [
        UnitCounts(name, counts)
        for name, counts in sorted(units.items(), key=lambda item: (item[0] is None, item[0] or ""))
    ]


def ask_calibration(
    opd_id: int,
    period_id: int,
    items: Iterable[tuple[int, int]],
    actor: Account,
    comment: str,
    now: datetime | None = None,
) -> BatchResult:
    """Send each (appraisal id, version seen) of the OPD back to its appraiser; flushes.

    One that moved on meanwhile (finalised by BKD, returned already) is refused
    alone and reported (fire_batch).
    """
    return fire_batch(opd_id, period_id, items, REQUEST_CALIBRATION, actor, comment, now)
