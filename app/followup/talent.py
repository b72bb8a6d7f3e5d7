"""Talent mapping: the 9-box of PermenPANRB 3/2020 (Manajemen Talenta ASN). Pure functions.

Performance (kinerja) from the predikat of the last two years, potential (potensial)
from an assessment score (for example an assessment centre's job-person match in %),
each in three bands by thresholds BKD sets; the box numbers follow the regulation's
guidance, from 1 (kinerja di bawah ekspektasi, potensial rendah) to 9 (kinerja di
atas ekspektasi, potensial tinggi).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l

BELOW, MEETS, ABOVE = "below", "meets", "above"  # kinerja
LOW, MEDIUM, HIGH = "low", "medium", "high"  # potensial

# A predikat as a score, to average two years: Sangat Baik 5 ... Sangat Kurang 1.
PREDIKAT_SCORE: dict[str, int] = {
    "sangat_baik": 5,
    "baik": 4,
    "butuh_perbaikan": 3,
    "kurang": 2,
    "sangat_kurang": 1,
}

# (kinerja, potensial) -> box, per PermenPANRB 3/2020's nine-box guidance.
BOXES: dict[tuple[str, str], int] = {
    (BELOW, LOW): 1,
    (BELOW, MEDIUM): 2,
    (MEETS, LOW): 3,
    (BELOW, HIGH): 4,
    (MEETS, MEDIUM): 5,
    (ABOVE, LOW): 6,
    (MEETS, HIGH): 7,
    (ABOVE, MEDIUM): 8,
    (ABOVE, HIGH): 9,
}

KINERJA_LABELS = {
    BELOW: _l("Performance below expectations"),
    MEETS: _l("Performance as expected"),
    ABOVE: _l("Performance above expectations"),
}
POTENSIAL_LABELS = {
    LOW: _l("Low potential"),
    MEDIUM: _l("Medium potential"),
    HIGH: _l("High potential"),
}


@dataclass(frozen=True)
class Thresholds:
    """Where each axis's bands begin: the average predikat score, and the assessment score."""

    kinerja_above: Decimal = Decimal("4.5")  # e.g. Sangat Baik and Baik
    kinerja_meets: Decimal = Decimal("3.5")  # e.g. Baik and Butuh Perbaikan
    potensial_high: Decimal = Decimal("90")  # job-person match, %
    potensial_medium: Decimal = Decimal("78")


DEFAULT_THRESHOLDS = Thresholds()


def kinerja_band(history: Sequence[str], t: Thresholds = DEFAULT_THRESHOLDS) -> str | None:
    """The performance band of the last two years' predikat (newest last); None with fewer."""
    if len(history) < 2:
        return None
    score = Decimal(sum(PREDIKAT_SCORE[p] for p in history[-2:])) / 2
    if score >= t.kinerja_above:
        return ABOVE
    return MEETS if score >= t.kinerja_meets else BELOW


def potensial_band(score: Decimal | None, t: Thresholds = DEFAULT_THRESHOLDS) -> str | None:
    """The potential band of an assessment score; None without one."""
    if score is None:
        return None
    if score >= t.potensial_high:
        return HIGH
    return MEDIUM if score >= t.potensial_medium else LOW


def box(
    history: Sequence[str], score: Decimal | None, t: Thresholds = DEFAULT_THRESHOLDS
) -> int | None:
    """The 9-box of an employee, or None while either axis is unknown."""
    kinerja, potensial = kinerja_band(history, t), potensial_band(score, t)
    if kinerja is None or potensial is None:
        return None
    return BOXES[(kinerja, potensial)]
