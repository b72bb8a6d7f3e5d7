"""Perjanjian Kinerja: write its sasaran and indicators, read the organisation's achievement.

Capaian kinerja organisasi for a quarter (or the year) is the mean of its
indicators' capaian for that quarter, each read by its direction exactly as an
IKI's (app/skp/capaian.py); indicators without a target or realisasi for it are
left out, and with none there is no achievement (None), never a zero.

Services flush and never commit.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from sqlalchemy.orm import aliased, selectinload

from app.extensions import db
from app.models import (
    Appraisal,
    Employee,
    Period,
    PerjanjianKinerja,
    PkIndikator,
    PkSasaran,
    Position,
    Rhk,
)
from app.org.heads import heads_its_opd
from app.skp.capaian import Capaian, capaian

CENT = Decimal("0.01")


def pk_for(opd_id: int, year: int) -> PerjanjianKinerja | None:
    """The OPD's PK of the year with its sasaran and indicators (two statements), or None."""
    return db.session.scalars(
        sa.select(PerjanjianKinerja)
        .where(PerjanjianKinerja.opd_id == opd_id, PerjanjianKinerja.year == year)
        .options(selectinload(PerjanjianKinerja.sasaran).selectinload(PkSasaran.indikator))
    ).first()


def ensure_pk(opd_id: int, year: int) -> PerjanjianKinerja:
    """The OPD's PK of the year, made empty if there is none yet; flushes."""
    pk = pk_for(opd_id, year)
    if pk is None:
        pk = PerjanjianKinerja(opd_id=opd_id, year=year)
        db.session.add(pk)
        db.session.flush()
    return pk


def add_sasaran(pk: PerjanjianKinerja, text: str) -> PkSasaran:
    """Append a sasaran strategis; flushes."""
    sasaran = PkSasaran(text=text, position=len(pk.sasaran) + 1)
    pk.sasaran.append(sasaran)
    db.session.flush()
    return sasaran


def add_indikator(
    sasaran: PkSasaran,
    *,
    text: str,
    unit: str,
    direction: str,
    tolerance: Decimal | None,
    target_year: Decimal,
    quarters: dict[int, Decimal | None],
) -> PkIndikator:
    """Append an indicator with its annual and quarterly targets; flushes."""
    indikator = PkIndikator(
        position=len(sasaran.indikator) + 1,
        text=text,
        unit=unit,
        direction=direction,
        tolerance=tolerance,
        target_year=target_year,
        **{f"target_q{q}": value for q, value in quarters.items()},
    )
    sasaran.indikator.append(indikator)
    db.session.flush()
    return indikator


def set_realisasi(indikator: PkIndikator, quarter: int | None, value: Decimal | None) -> None:
    """Record a quarter's (or the year's) realisasi; None clears it; flushes."""
    setattr(indikator, "realisasi_year" if quarter is None else f"realisasi_q{quarter}", value)
    db.session.flush()


def indikator_capaian(indikator: PkIndikator, quarter: int | None) -> Capaian:
    return capaian(
        indikator.direction,
        indikator.target(quarter),
        indikator.realisasi(quarter),
        tolerance=indikator.tolerance,
    )


def achievement(pk: PerjanjianKinerja | None, quarter: int | None) -> Decimal | None:
    """Capaian kinerja organisasi (%) for the quarter, or the year with None; None if unknown."""
    if pk is None:
        return None
    percents = [
        found.percent
        for sasaran in pk.sasaran
        for indikator in sasaran.indikator
        for found in [indikator_capaian(indikator, quarter)]
        if found.percent is not None
    ]
    if not percents:
        return None
    return (sum(percents) / len(percents)).quantize(CENT, rounding=ROUND_HALF_UP)


def head_rhks(opd_id: int, year: int) -> list[Rhk]:
    """The RHK of the annual SKP of whoever holds the OPD's top position, for the year."""
    parent = aliased(Position)
    return list(
        db.session.scalars(
            sa.select(Rhk)
            .join(Appraisal, Appraisal.id == Rhk.appraisal_id)
            .join(Period, Period.id == Appraisal.period_id)
            .join(Employee, Employee.id == Appraisal.employee_id)
            .join(Position, Position.id == Employee.position_id)
            .outerjoin(parent, parent.id == Position.parent_id)
            .where(
                Appraisal.opd_id == opd_id,
                Period.year == year,
                Period.kind == "annual",
                Position.opd_id == opd_id,
                heads_its_opd(parent),
            )
            .order_by(Rhk.group_.desc(), Rhk.position, Rhk.id)
        )
    )


def link_rhk(pk: PerjanjianKinerja, rhk_id: int, sasaran_id: int | None) -> bool:
    """Link one of the head's RHK to a sasaran of the PK (None: unlink); False if not theirs."""
    rhk = next((r for r in head_rhks(pk.opd_id, pk.year) if r.id == rhk_id), None)
    if rhk is None:
        return False
    if sasaran_id is not None and sasaran_id not in {s.id for s in pk.sasaran}:
        return False
    rhk.pk_sasaran_id = sasaran_id
    db.session.flush()
    return True
