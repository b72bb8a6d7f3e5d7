"""IKI bound to a unit layanan: their realisasi is the unit's IKM for the appraisal's period.

A satisfaction-index IKI ("Indeks kepuasan masyarakat Puskesmas X") names a unit
layanan of the appraisee's OPD in the plan (Iki.service_unit_id). At
self-assessment its realisasi is read from the SKM (app.feedback.evidence), not
typed: the IKM (0-100) of the responses served within the appraisal's period
(the year for an annual SKP, the quarter for a quarter's), shown with the
number of respondents and the unit's public IKM page as its bukti dukung.
Saving the realisasi records the figure read then; without any response there
is no realisasi (missing, never zero).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from flask import url_for

from app.feedback.evidence import UnitIkm, units_by_id
from app.models import Appraisal, Iki
from app.skp.capaian import Capaian, capaian


def report_path(code: str) -> str:
    """The unit's public IKM page (app.feedback.transparency), its bukti dukung."""
    return url_for("transparency.unit", code=code)


@dataclass(frozen=True)
class BoundIki:
    """An IKI's unit layanan, its IKM for the period (None: no response yet) and the capaian."""

    unit: UnitIkm
    value: Decimal | None
    capaian: Capaian

    @property
    def report_url(self) -> str:
        return report_path(self.unit.code)


def bound_ikis(appraisal: Appraisal, ikis: Iterable[Iki]) -> dict[int, BoundIki]:
    """The IKI of this appraisal bound to a unit layanan, by IKI id, with the IKM read now.

    One statement when any IKI is bound, none otherwise.
    """
    ikis = [iki for iki in ikis if iki.service_unit_id is not None]
    if not ikis:
        return {}
    period = appraisal.period
    units = units_by_id({iki.service_unit_id for iki in ikis}, period.start_date, period.end_date)
    found = {}
    for iki in ikis:
        unit = units.get(iki.service_unit_id)
        if unit is None:
            continue
        result = unit.result
        value = result.ikm if result else None
        found[iki.id] = BoundIki(
            unit,
            value,
            capaian(
                iki.direction or "higher",
                iki.target_value,
                value,
                tolerance=iki.tolerance,
            ),
        )
    return found


def bound_values(bound: dict[int, BoundIki]) -> dict[int, Decimal | None]:
    """The realisasi to record for each bound IKI: its unit's IKM, or None without responses."""
    return {iki_id: b.value for iki_id, b in bound.items()}
