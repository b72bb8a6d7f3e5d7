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
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from app.extensions import db
from app.models import Account, Appraisal, Employee, Position, Unit
from app.models.appraisal import PREDIKAT, latest_segment
from app.models.types import utcnow
from app.workflow.engine import fire
from app.workflow.errors import TransitionRefused
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


@dataclass
class CalibrationResult:
    """Which SKP went back to their appraisers, and which were refused with the reason."""

    asked: list[Appraisal] = field(default_factory=list)
    refused: list[tuple[Appraisal | None, int, TransitionRefused | None]] = field(
        default_factory=list
    )


def ask_calibration(
    opd_id: int,
    period_id: int,
    items: Iterable[tuple[int, int]],
    actor: Account,
    comment: str,
    now: datetime | None = None,
) -> CalibrationResult:
    """Send each (appraisal id, version seen) of the OPD back to its appraiser; flushes.

    Each goes through fire() in its own SAVEPOINT: one that moved on meanwhile
    (finalised by BKD, returned already) is refused alone and reported.
    """
    now = now or utcnow()
    wanted = dict(items)
    found = {
        a.id: a
        for a in db.session.scalars(
            sa.select(Appraisal).where(
                Appraisal.id.in_(wanted),
                Appraisal.opd_id == opd_id,
                Appraisal.period_id == period_id,
            )
        )
    }
    result = CalibrationResult()
    for appraisal_id, seen in wanted.items():
        appraisal = found.get(appraisal_id)
        if appraisal is None:
            result.refused.append((None, appraisal_id, None))
            continue
        try:
            with db.session.begin_nested():
                fire(
                    appraisal,
                    REQUEST_CALIBRATION,
                    actor,
                    {"comment": comment},
                    seen_version=seen,
                    now=now,
                )
        except TransitionRefused as error:
            result.refused.append((appraisal, appraisal_id, error))
        else:
            result.asked.append(appraisal)
    return result
