"""The consequences of a predikat: pure functions, no queries, each with its own table.

- Angka kredit of a jabatan fungsional: Peraturan BKN 3/2023 (Angka Kredit, Kenaikan
  Pangkat dan Jenjang Jabatan Fungsional) converts the predikat into angka kredit as
  the predikat's percentage times the jenjang's coefficient per year (the coefficients
  are those of PermenPANRB 1/2023 on Jabatan Fungsional); a periodic evaluation
  of n months earns n/12 of it. BKN's own example: an Ahli Pertama rated Sangat Baik
  for a year earns 150 % x 12.5 = 18.75; rated Baik for two months, 2/12 x 100 % x
  12.5 = 2.083.
- Kenaikan pangkat: a predikat of at least Baik in each of the last two years
  (PP 30/2019 Pasal 49 and the BKN rules on kenaikan pangkat reguler).
- TPP (tambahan penghasilan pegawai): the share of the performance part a predikat
  gives, by a table the city's Perwali sets; the default below is our reading and
  waits for BKD's confirmation, as the organisation bands did.

Amounts are Decimals, rounded half up: angka kredit to three places (as a PAK shows).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from app.skp.scoring import PREDIKAT

# Peraturan BKN 3/2023: the predikat's percentage of the yearly coefficient.
ANGKA_KREDIT_PERCENT: dict[str, Decimal] = {
    "sangat_baik": Decimal("1.50"),
    "baik": Decimal("1.00"),
    "butuh_perbaikan": Decimal("0.75"),
    "kurang": Decimal("0.50"),
    "sangat_kurang": Decimal("0.25"),
}

# PermenPANRB 1/2023: the angka kredit a jenjang earns in a year at 100 %.
ANGKA_KREDIT_COEFFICIENT: dict[str, Decimal] = {
    "pemula": Decimal("3.75"),
    "terampil": Decimal("5"),
    "mahir": Decimal("12.5"),
    "penyelia": Decimal("25"),
    "ahli_pertama": Decimal("12.5"),
    "ahli_muda": Decimal("25"),
    "ahli_madya": Decimal("37.5"),
    "ahli_utama": Decimal("50"),
}

_THREE_PLACES = Decimal("0.001")


def angka_kredit(jenjang: str, predikat: str, months: int = 12) -> Decimal:
    """The angka kredit a jabatan fungsional of `jenjang` earns with `predikat` over `months`.

    ValueError for a jenjang or predikat that is not in the tables, or months outside 1-12.
    """
    if jenjang not in ANGKA_KREDIT_COEFFICIENT:
        raise ValueError(f"not a jenjang of a jabatan fungsional: {jenjang!r}")
    if predikat not in ANGKA_KREDIT_PERCENT:
        raise ValueError(f"not a predikat: {predikat!r}")
    if not 1 <= months <= 12:
        raise ValueError(f"months must be 1 to 12, not {months}")
    earned = (
        Decimal(months) / 12 * ANGKA_KREDIT_PERCENT[predikat] * ANGKA_KREDIT_COEFFICIENT[jenjang]
    )
    return earned.quantize(_THREE_PLACES, rounding=ROUND_HALF_UP)


# --- Kenaikan pangkat ------------------------------------------------------------------

# Best first: a predikat "at least Baik" is Baik or Sangat Baik.
_RANK = {name: len(PREDIKAT) - i for i, name in enumerate(PREDIKAT)}


@dataclass(frozen=True)
class Eligibility:
    """Whether the employee may be proposed, and why not: the years missing or below."""

    eligible: bool
    years: tuple[int, ...]
    missing: tuple[int, ...] = ()
    below: tuple[int, ...] = ()


def promotion_eligibility(
    predikat_by_year: Mapping[int, str | None], last_year: int, minimum: str = "baik"
) -> Eligibility:
    """Kenaikan pangkat: at least `minimum` in each of `last_year` and the year before.

    A year with no final predikat counts as missing (the employee is not eligible
    until it is final); a predikat below the minimum names its year.
    """
    if minimum not in _RANK:
        raise ValueError(f"not a predikat: {minimum!r}")
    years = (last_year - 1, last_year)
    missing = tuple(y for y in years if not predikat_by_year.get(y))
    below = tuple(
        y for y in years if predikat_by_year.get(y) and _RANK[predikat_by_year[y]] < _RANK[minimum]
    )
    return Eligibility(not missing and not below, years, missing, below)


# --- TPP -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TppTable:
    """The Perwali's table: the share of TPP's performance part per predikat, and for an
    SKP not complete in the month (not submitted or not assessed in time)."""

    by_predikat: Mapping[str, Decimal]
    incomplete: Decimal


# Our reading until BKD confirms the Perwali's figures (shown as such on the admin page).
DEFAULT_TPP = TppTable(
    by_predikat={
        "sangat_baik": Decimal("1.00"),
        "baik": Decimal("1.00"),
        "butuh_perbaikan": Decimal("0.80"),
        "kurang": Decimal("0.60"),
        "sangat_kurang": Decimal("0.40"),
    },
    incomplete=Decimal("0.00"),
)


def tpp_factor(predikat: str | None, complete: bool, table: TppTable = DEFAULT_TPP) -> Decimal:
    """The factor on TPP's performance part: the table's share for the predikat when the SKP
    is complete; the incomplete share when it is not, or has no predikat yet."""
    if not complete or predikat is None:
        return table.incomplete
    if predikat not in table.by_predikat:
        raise ValueError(f"not a predikat: {predikat!r}")
    return table.by_predikat[predikat]
