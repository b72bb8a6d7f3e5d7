"""The SKM/IKM index of PermenPANRB 14/2017: pure functions, no database, no Flask.

The IKM is computed as a fraction and rounded half-up to two decimals once, and the
grades apply to that rounded value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

SKM_ELEMENTS = (
    "persyaratan",
    "prosedur",
    "waktu",
    "biaya_tarif",
    "produk",
    "kompetensi_pelaksana",
    "perilaku_pelaksana",
    "sarana_prasarana",
    "penanganan_pengaduan",
)
SKM_MIN_SCORE, SKM_MAX_SCORE = 1, 4
# Lowest rounded IKM of each grade, best first; below C is D (the IKM is never under 25).
IKM_GRADES = (("A", Decimal("88.31")), ("B", Decimal("76.61")), ("C", Decimal("65.00")))
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class IkmResult:
    """The survey's index: NRR per element, the IKM (0-100 scale) and its grade."""

    respondents: int
    nrr: tuple[Decimal, ...]
    ikm: Decimal
    grade: str


def _round(value: Fraction) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def ikm_grade(ikm: Decimal) -> str:
    """The grade (A-D) of a rounded IKM value between 25.00 and 100.00."""
    if not Decimal(25) <= ikm <= Decimal(100):
        raise ValueError(f"an IKM lies between 25 and 100, not {ikm}")
    return next((grade for grade, lowest in IKM_GRADES if ikm >= lowest), "D")


def ikm_from_sums(sums: Sequence[int], respondents: int) -> IkmResult:
    """The IKM from the per-element score sums of `respondents` complete answers.

    NRR = sum / respondents per element; IKM = Σ(NRR x 1/9) x 25. The NRR are
    reported to two decimals; the IKM is computed from the exact NRR.
    """
    if isinstance(respondents, bool) or not isinstance(respondents, int) or respondents < 1:
        raise ValueError("at least one respondent is needed")
    if len(sums) != len(SKM_ELEMENTS):
        raise ValueError(f"expected {len(SKM_ELEMENTS)} element sums, got {len(sums)}")
    for total in sums:
        if isinstance(total, bool) or not isinstance(total, int):
            raise ValueError("element sums must be whole numbers")
        if not SKM_MIN_SCORE * respondents <= total <= SKM_MAX_SCORE * respondents:
            raise ValueError("an element sum lies outside what the scores 1-4 allow")
    nrr = [Fraction(total, respondents) for total in sums]
    ikm = _round(sum(nrr, Fraction(0)) / len(SKM_ELEMENTS) * 25)
    return IkmResult(respondents, tuple(_round(n) for n in nrr), ikm, ikm_grade(ikm))


def ikm(responses: Sequence[Sequence[int]]) -> IkmResult:
    """The IKM of complete survey answers: one sequence of nine scores (1-4) per respondent."""
    if not responses:
        raise ValueError("at least one respondent is needed")
    for answer in responses:
        if len(answer) != len(SKM_ELEMENTS):
            raise ValueError(f"each answer has {len(SKM_ELEMENTS)} scores, got {len(answer)}")
        for score in answer:
            if isinstance(score, bool) or not isinstance(score, int):
                raise ValueError("scores must be whole numbers")
            if not SKM_MIN_SCORE <= score <= SKM_MAX_SCORE:
                raise ValueError(f"scores run from 1 to 4, not {score}")
    sums = [sum(answer[i] for answer in responses) for i in range(len(SKM_ELEMENTS))]
    return ikm_from_sums(sums, len(responses))
