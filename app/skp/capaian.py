"""Capaian per IKI and the suggested hasil kerja rating: pure functions, no queries, no requests.

Capaian (achievement, %) reads an IKI's realisasi against its target by the IKI's
direction:
- higher is better: realisasi / target x 100;
- lower is better: target / realisasi x 100;
- exact target: 100 % when the realisasi is within the tolerance (a % of the target)
  either side; outside it, 100 minus the relative distance from the target in %, not
  below 0 (an exact target is missed as much by overshooting as by falling short, so
  the figure falls with the distance, on either side);
- qualitative: no percentage; the atasan marks it above / on / below expectation.

Zero and missing values never divide: without a realisasi, or with a ratio that has
no meaning (target 0 when higher is better, realisasi 0 when lower is better and the
target is above 0), there is no capaian and pages show "—" with the reason. Capaian
is not capped at 100 %: exceeding the target is what "di atas ekspektasi" is made of.

The hasil kerja rating is suggested from the atasan's rating of each RHK by the
definitions of PermenPANRB 6/2022 (Lampiran, evaluasi kinerja pegawai: rating hasil
kerja): "di atas ekspektasi" when all or most RHK are above expectation and no RHK
UTAMA is below; "di bawah ekspektasi" when all or most RHK are below; otherwise
"sesuai ekspektasi" (which allows a small part of the RHK UTAMA below). "Most" is
read as more than half: half exactly (a tie) is not most.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from app.models.skp import DIRECTIONS as DIRECTIONS
from app.models.skp import MARKS

HUNDRED = Decimal(100)
CENT = Decimal("0.01")

# Why there is no capaian (shown beside the "—").
NO_REALISASI = "no_realisasi"
NO_TARGET = "no_target"
ZERO_TARGET = "zero_target"
ZERO_REALISASI = "zero_realisasi"
NOT_MARKED = "not_marked"


@dataclass(frozen=True)
class Capaian:
    """An IKI's capaian: a percentage, or the atasan's mark (qualitative), or why neither."""

    percent: Decimal | None = None
    mark: str | None = None
    missing: str | None = None


def _percent(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def capaian(
    direction: str,
    target: Decimal | None,
    realisasi: Decimal | None,
    *,
    tolerance: Decimal | None = None,
    mark: str | None = None,
) -> Capaian:
    """The capaian of one IKI (see the module's docstring); ValueError for an unknown direction."""
    if direction not in DIRECTIONS:
        raise ValueError(f"not a direction: {direction!r}")
    if direction == "quality":
        if mark not in MARKS:
            return Capaian(missing=NOT_MARKED)
        return Capaian(mark=mark)
    if target is None:
        return Capaian(missing=NO_TARGET)
    if realisasi is None:
        return Capaian(missing=NO_REALISASI)
    target, realisasi = Decimal(target), Decimal(realisasi)
    if direction == "higher":
        if target == 0:
            return Capaian(missing=ZERO_TARGET)
        return Capaian(percent=_percent(realisasi / target * HUNDRED))
    if direction == "lower":
        if realisasi == 0:
            # 0 of an allowed 0 meets the target; 0 of an allowed 5 has no ratio.
            return (
                Capaian(percent=_percent(HUNDRED))
                if target == 0
                else Capaian(missing=ZERO_REALISASI)
            )
        return Capaian(percent=_percent(target / realisasi * HUNDRED))
    # exact
    distance = abs(realisasi - target)
    if distance * HUNDRED <= (tolerance or Decimal(0)) * target:
        return Capaian(percent=_percent(HUNDRED))
    if target == 0:
        return Capaian(percent=_percent(Decimal(0)))
    return Capaian(percent=_percent(max(Decimal(0), HUNDRED - distance / target * HUNDRED)))


def iki_capaian(iki) -> Capaian:
    """The capaian of an Iki row (a number target reads its value; a text target is qualitative)."""
    direction = iki.direction or "higher"
    if iki.target_kind != "number":
        direction = "quality"
    return capaian(
        direction,
        iki.target_value,
        iki.realisasi_value,
        tolerance=iki.tolerance,
        mark=iki.quality_mark,
    )


def suggest_rating_hk(rhks: Iterable[tuple[str, str | None]]) -> str | None:
    """The hasil kerja rating suggested by the RHK ratings, as (group, rating) pairs.

    None until every RHK is rated (or when there is none). PermenPANRB 6/2022,
    Lampiran (rating hasil kerja): see the module's docstring.
    """
    rated = list(rhks)
    if not rated or any(rating not in MARKS for _, rating in rated):
        return None
    total = len(rated)
    above = sum(rating == "di_atas" for _, rating in rated)
    below = sum(rating == "di_bawah" for _, rating in rated)
    utama_below = any(group == "utama" and rating == "di_bawah" for group, rating in rated)
    if below * 2 > total:
        return "di_bawah"
    if above * 2 > total and not utama_below:
        return "di_atas"
    return "sesuai"
