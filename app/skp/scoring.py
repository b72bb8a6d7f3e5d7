"""Scoring rules of PermenPANRB 6/2022 and companions: pure functions, no queries, no requests.

- the predikat matrix (hasil kerja x perilaku kerja ratings → the employee's predikat);
- the pola distribusi of SE MenPANRB 3/2023 (the organisation's predikat bounds
  how its employees' predikat may be spread).

Boundaries are computed exactly, never on floats: shares of the distribution are
compared as integers (count x 100 against bound x total), so 7 of 10 is exactly
70 % and holds an "at most 70 %" rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

# The values belong to the model, where they back the check constraints; re-exported.
from app.models.appraisal import ORG_PREDIKAT as ORG_PREDIKAT
from app.models.appraisal import ORG_PREDIKAT_LABELS as ORG_PREDIKAT_LABELS
from app.models.appraisal import PREDIKAT as PREDIKAT
from app.models.appraisal import PREDIKAT_LABELS as PREDIKAT_LABELS
from app.models.appraisal import RATING_LABELS as RATING_LABELS
from app.models.appraisal import RATINGS as RATINGS

# (hasil kerja, perilaku kerja) -> predikat; DESIGN.md §2, all nine cells.
PREDIKAT_MATRIX: dict[tuple[str, str], str] = {
    ("di_atas", "di_bawah"): "kurang",
    ("di_atas", "sesuai"): "baik",
    ("di_atas", "di_atas"): "sangat_baik",
    ("sesuai", "di_bawah"): "kurang",
    ("sesuai", "sesuai"): "baik",
    ("sesuai", "di_atas"): "baik",
    ("di_bawah", "di_bawah"): "sangat_kurang",
    ("di_bawah", "sesuai"): "butuh_perbaikan",
    ("di_bawah", "di_atas"): "butuh_perbaikan",
}


def predikat(rating_hk: str, rating_pk: str) -> str:
    """The predikat for the two ratings; ValueError for a value that is not a rating."""
    try:
        return PREDIKAT_MATRIX[(rating_hk, rating_pk)]
    except KeyError:
        raise ValueError(f"not a pair of ratings: {rating_hk!r}, {rating_pk!r}") from None


def predikat_or_none(rating_hk: str | None, rating_pk: str | None) -> str | None:
    """The predikat once both ratings are chosen, else None."""
    if not rating_hk or not rating_pk:
        return None
    return predikat(rating_hk, rating_pk)


# --- Pola distribusi -------------------------------------------------------------------

AT_MOST = "at_most"  # share of the group ≤ bound %
AT_LEAST = "at_least"  # share of the group ≥ bound %
AT_LEAST_ONE = "at_least_one"  # at least one employee in the group
NONE = "none"  # nobody in the group


@dataclass(frozen=True)
class DistributionRule:
    """One bound of a pola distribusi row: the employees with `group` predikat, `kind` `percent`."""

    group: tuple[str, ...]
    kind: str
    percent: int = 0


# organisation predikat -> the bounds on its employees' predikat; DESIGN.md §2.
POLA_DISTRIBUSI: dict[str, tuple[DistributionRule, ...]] = {
    "istimewa": (DistributionRule(("sangat_baik",), AT_MOST, 70),),
    "baik": (
        DistributionRule(("baik",), AT_MOST, 70),
        DistributionRule(("butuh_perbaikan", "kurang"), AT_LEAST_ONE),
    ),
    "butuh_perbaikan": (
        DistributionRule(("butuh_perbaikan",), AT_LEAST, 60),
        DistributionRule(("sangat_baik",), AT_MOST, 10),
    ),
    "kurang": (
        DistributionRule(("kurang",), AT_LEAST, 60),
        DistributionRule(("butuh_perbaikan",), AT_LEAST, 10),
        DistributionRule(("sangat_baik",), AT_MOST, 10),
    ),
    "sangat_kurang": (
        DistributionRule(("sangat_kurang",), AT_LEAST, 60),
        DistributionRule(("kurang", "butuh_perbaikan"), AT_LEAST, 10),
        DistributionRule(("sangat_baik",), NONE),
    ),
}


@dataclass(frozen=True)
class RuleCheck:
    """A rule applied to actual counts."""

    rule: DistributionRule
    count: int
    total: int
    holds: bool

    @property
    def share(self) -> Decimal:
        """The group's share in percent, one decimal (for display; `holds` is exact)."""
        if not self.total:
            return Decimal("0.0")
        return (Decimal(self.count * 100) / Decimal(self.total)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


@dataclass(frozen=True)
class DistributionCheck:
    """The pola distribusi row of an organisation predikat, checked against the counts."""

    org_predikat: str
    counts: dict[str, int]
    total: int
    rules: tuple[RuleCheck, ...]

    @property
    def breaks(self) -> bool:
        """Whether a rule is broken; with nobody rated yet there is nothing to break."""
        return self.total > 0 and not all(check.holds for check in self.rules)


def _holds(rule: DistributionRule, count: int, total: int) -> bool:
    if rule.kind == AT_MOST:
        return count * 100 <= rule.percent * total
    if rule.kind == AT_LEAST:
        return count * 100 >= rule.percent * total
    if rule.kind == AT_LEAST_ONE:
        return count >= 1
    return count == 0


def check_distribution(org_predikat: str, counts: Mapping[str, int]) -> DistributionCheck:
    """Check employee predikat counts against the organisation predikat's pola distribusi.

    `counts` maps employee predikat to how many employees have it (missing keys
    count as 0). ValueError for an unknown predikat or a negative count.
    """
    if org_predikat not in POLA_DISTRIBUSI:
        raise ValueError(f"not an organisation predikat: {org_predikat!r}")
    unknown = set(counts) - set(PREDIKAT)
    if unknown:
        raise ValueError(f"not an employee predikat: {sorted(unknown)[0]!r}")
    full = {key: counts.get(key, 0) for key in PREDIKAT}
    if any(not isinstance(n, int) or isinstance(n, bool) or n < 0 for n in full.values()):
        raise ValueError("counts must be whole numbers, 0 or more")
    total = sum(full.values())
    checks = tuple(
        RuleCheck(rule, count, total, _holds(rule, count, total))
        for rule in POLA_DISTRIBUSI[org_predikat]
        for count in [sum(full[key] for key in rule.group)]
    )
    return DistributionCheck(org_predikat, full, total, checks)


# --- Organisation predikat ---------------------------------------------------------------

# The published table's default (admin BKD may change it, app.skp.orgkinerja.bands):
# organisation predikat -> the lowest capaian kinerja organisasi (%) that earns it, in
# the style of SE MenPANRB 3/2023 (above target: Istimewa; on target within a tenth:
# Baik; then steps of 20 points). The lowest predikat starts at 0.
DEFAULT_ORG_BANDS: dict[str, Decimal] = {
    "istimewa": Decimal("110.00"),
    "baik": Decimal("90.00"),
    "butuh_perbaikan": Decimal("70.00"),
    "kurang": Decimal("50.00"),
    "sangat_kurang": Decimal("0.00"),
}

# SE MenPANRB 3/2023: the head of a unit gets the unit's result as their hasil kerja
# rating: an Istimewa unit's head is above expectation, a Baik one's as expected, and
# below that the head is below expectation.
ORG_PREDIKAT_RATING: dict[str, str] = {
    "istimewa": "di_atas",
    "baik": "sesuai",
    "butuh_perbaikan": "di_bawah",
    "kurang": "di_bawah",
    "sangat_kurang": "di_bawah",
}


def check_bands(bands: Mapping[str, Decimal]) -> str | None:
    """Why a table of thresholds is not usable (a code), or None when it is.

    Every organisation predikat has a threshold; the lowest is 0; each is strictly
    above the next one down (ORG_PREDIKAT runs from the highest predikat).
    """
    if set(bands) != set(ORG_PREDIKAT):
        return "incomplete"
    values = [Decimal(bands[key]) for key in ORG_PREDIKAT]
    if values[-1] != 0:
        return "lowest_not_zero"
    if any(value < 0 for value in values):
        return "negative"
    if any(higher <= lower for higher, lower in pairwise(values)):
        return "not_decreasing"
    return None


def org_predikat_for(capaian: Decimal, bands: Mapping[str, Decimal]) -> str:
    """The organisation predikat a capaian (%) earns by the table `bands` (boundaries included).

    A capaian exactly on a threshold earns that threshold's predikat. ValueError for
    a negative capaian or an unusable table.
    """
    problem = check_bands(bands)
    if problem:
        raise ValueError(f"not a usable table: {problem}")
    capaian = Decimal(capaian)
    if capaian < 0:
        raise ValueError(f"a capaian is 0 or more: {capaian}")
    return next(key for key in ORG_PREDIKAT if capaian >= Decimal(bands[key]))
