"""The period's result when an employee held several jabatan in it: pure functions, no queries.

PermenPANRB 6/2022 has the predikat given per SKP; an employee who changes jabatan
mid-year has one SKP per jabatan (BKN's answer on e-Kinerja: the predikat of the
several SKP of a year are combined by averaging). Neither says how a predikat
becomes a number or whether the average is weighted. We take:

- the numbers of PermenPANRB 1/2023 (jabatan fungsional), which converts a predikat
  into a share of the yearly angka kredit: Sangat Baik 150 %, Baik 100 %, Butuh
  Perbaikan 75 %, Kurang 50 %, Sangat Kurang 25 %; the same regulation pro-rates
  that share by the months served in each jabatan, which is why each segment here
  weighs by the time it covers (counted in days, so that a move in mid-month
  splits that month instead of counting it twice);
- back to a predikat: the one whose number is nearest the weighted average; an
  exact tie goes to the LOWER predikat (e.g. six months Sangat Baik and six months
  Baik give 125 %, halfway: Baik). A Sangat Baik for the year must then be earned
  over more than half of it, in keeping with the pola distribusi's caps on it
  (SE MenPANRB 3/2023). Exact fractions, never floats, so a tie is a tie.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from app.models.appraisal import PREDIKAT

# PermenPANRB 1/2023, konversi predikat kinerja ke angka kredit (percent).
PREDIKAT_VALUES: dict[str, int] = {
    "sangat_baik": 150,
    "baik": 100,
    "butuh_perbaikan": 75,
    "kurang": 50,
    "sangat_kurang": 25,
}
assert set(PREDIKAT_VALUES) == set(PREDIKAT)


def weighted_value(parts: Sequence[tuple[str, int]]) -> Fraction:
    """The average of the parts' predikat values, each weighted by its days (exact)."""
    total = sum(days for _predikat, days in parts)
    if not parts or total <= 0 or any(days <= 0 for _p, days in parts):
        raise ValueError("every part needs a positive number of days")
    return Fraction(sum(PREDIKAT_VALUES[p] * days for p, days in parts), total)


def predikat_for_value(value: Fraction) -> str:
    """The predikat nearest `value`; on an exact tie, the lower one."""
    # Sorted from the lowest value up, so that the first of two equally near wins.
    ranked = sorted(PREDIKAT_VALUES.items(), key=lambda item: item[1])
    return min(ranked, key=lambda item: abs(item[1] - value))[0]


def combine_predikat(parts: Sequence[tuple[str | None, int]]) -> str | None:
    """The period's predikat from (predikat, days served) per segment; None until all are rated."""
    if not parts or any(p is None for p, _days in parts):
        return None
    if len(parts) == 1:
        return parts[0][0]
    return predikat_for_value(weighted_value(parts))  # type: ignore[arg-type]
