"""Periodic targets: the quarters of an annual IKI read back, and the annual pre-fill.

An annual plan sets, per IKI, a target and rencana aksi for each quarter (or
month: the annual period's target_breakdown), stored as iki_part rows. Opening a
quarter copies that quarter's target into the quarter's IKI, which remembers the
annual IKI it came from (source_iki_id, app/periods/quarters.py): the quarter's
capaian is then the ordinary capaian of its own IKI (app/skp/capaian.py).

The annual evaluation reads the quarters back, one query per page, and pre-fills
each numeric IKI's annual realisasi from the quarters' by the IKI's accumulation:
summed (counts of things done), averaged (rates, scores) or the last value (a level
reached). The pegawai may change it, with a reason the atasan sees.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from babel.dates import get_month_names
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import Appraisal, Iki, IkiPart, Period, Rhk
from app.models.skp import ACCUMULATIONS
from app.skp.capaian import Capaian, iki_capaian

QUARTER_KINDS = ("tw1", "tw2", "tw3", "tw4")
QUARTER_LABELS = (_l("Triwulan I"), _l("Triwulan II"), _l("Triwulan III"), _l("Triwulan IV"))
CENT = Decimal("0.01")


def accumulate(accumulation: str, values: Iterable[Decimal | None]) -> Decimal | None:
    """The annual value from the quarters' values in order; None when none has a value.

    Quarters without a value are left out: the sum of those recorded, their average,
    or the latest recorded. ValueError for an unknown accumulation.
    """
    if accumulation not in ACCUMULATIONS:
        raise ValueError(f"not an accumulation: {accumulation!r}")
    known = [Decimal(v) for v in values if v is not None]
    if not known:
        return None
    if accumulation == "sum":
        return sum(known, Decimal(0))
    if accumulation == "average":
        return (sum(known, Decimal(0)) / len(known)).quantize(CENT, rounding=ROUND_HALF_UP)
    return known[-1]


@dataclass(frozen=True)
class Quarter:
    """One quarter's evaluation of an annual IKI: its target, realisasi and capaian."""

    number: int  # 1..4
    target: Decimal | None
    realisasi: Decimal | None
    capaian: Capaian
    final: bool  # the quarter's evaluation is final (approved by the atasan)


def quarters_of(appraisal: Appraisal) -> dict[int, list[Quarter | None]]:
    """For an annual appraisal: each IKI's four quarters (None where there is none), by IKI id.

    One query. After a mid-quarter move a quarter has two segments; the later one counts.
    Empty for a quarter's own appraisal.
    """
    if appraisal.period.kind != "annual":
        return {}
    annual_rhk = sa.orm.aliased(Rhk)
    annual_iki = sa.orm.aliased(Iki)
    rows = db.session.execute(
        sa.select(Iki, Period.kind, Appraisal.state)
        .join(Rhk, Rhk.id == Iki.rhk_id)
        .join(Appraisal, Appraisal.id == Rhk.appraisal_id)
        .join(Period, Period.id == Appraisal.period_id)
        .join(annual_iki, annual_iki.id == Iki.source_iki_id)
        .join(annual_rhk, annual_rhk.id == annual_iki.rhk_id)
        .where(annual_rhk.appraisal_id == appraisal.id, Period.kind.in_(QUARTER_KINDS))
        .order_by(Appraisal.segment, Iki.id)
    )
    found: dict[int, list[Quarter | None]] = {}
    for iki, kind, state in rows:
        number = QUARTER_KINDS.index(kind) + 1
        quarters = found.setdefault(iki.source_iki_id, [None] * len(QUARTER_KINDS))
        quarters[number - 1] = Quarter(
            number,
            iki.target_value,
            iki.realisasi_value,
            iki_capaian(iki),
            final=state == "final",
        )
    return found


def quarter_actions(appraisal: Appraisal) -> dict[int, list[str]]:
    """For a quarter's appraisal: the rencana aksi agreed for this quarter, by the quarter's IKI id.

    Read from the annual IKI each was copied from: the quarter's part, or its three
    months. One query; empty for an annual appraisal.
    """
    kind = appraisal.period.kind
    if kind not in QUARTER_KINDS:
        return {}
    quarter = QUARTER_KINDS.index(kind) + 1
    breakdown = db.session.scalar(
        sa.select(Period.target_breakdown).where(
            Period.year == appraisal.period.year, Period.kind == "annual"
        )
    )
    months = [3 * quarter - 2, 3 * quarter - 1, 3 * quarter]
    parts = months if breakdown == "month" else [quarter]
    found: dict[int, list[str]] = {}
    for iki_id, text in db.session.execute(
        sa.select(Iki.id, IkiPart.rencana_aksi)
        .join(Rhk, Rhk.id == Iki.rhk_id)
        .join(IkiPart, IkiPart.iki_id == Iki.source_iki_id)
        .where(
            Rhk.appraisal_id == appraisal.id,
            IkiPart.part.in_(parts),
            IkiPart.rencana_aksi.is_not(None),
        )
        .order_by(Iki.id, IkiPart.part)
    ):
        found.setdefault(iki_id, []).append(text)
    return found


def prefills(ikis: Iterable[Iki], quarters: dict[int, list[Quarter | None]]) -> dict[int, Decimal]:
    """The annual realisasi pre-filled from the quarters, by IKI id (numeric IKI with any)."""
    result = {}
    for iki in ikis:
        if iki.target_kind != "number" or iki.id not in quarters:
            continue
        values = [q.realisasi if q else None for q in quarters[iki.id]]
        value = accumulate(iki.accumulation or "sum", values)
        if value is not None:
            result[iki.id] = value
    return result


def part_labels(parts: int) -> list[str]:
    """The names of an annual plan's periodic targets: Triwulan I..IV, or the months."""
    if parts == len(QUARTER_LABELS):
        return [str(label) for label in QUARTER_LABELS]
    if parts == 12:
        names = get_month_names("wide", locale=str(get_locale() or "id"))
        return [names[n].capitalize() for n in range(1, 13)]
    return []
