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


# The Krejcie-Morgan table the guideline (Lampiran PermenPANRB 14/2017) sizes the
# sample with: population N -> minimum sample S, the standard rows of Krejcie and
# Morgan (1970) at 5 % error and 95 % confidence.
KREJCIE_MORGAN = (
    (10, 10), (15, 14), (20, 19), (25, 24), (30, 28), (35, 32), (40, 36), (45, 40),
    (50, 44), (55, 48), (60, 52), (65, 56), (70, 59), (75, 63), (80, 66), (85, 70),
    (90, 73), (95, 76), (100, 80), (110, 86), (120, 92), (130, 97), (140, 103),
    (150, 108), (160, 113), (170, 118), (180, 123), (190, 127), (200, 132), (210, 136),
    (220, 140), (230, 144), (240, 148), (250, 152), (260, 155), (270, 159), (280, 162),
    (290, 165), (300, 169), (320, 175), (340, 181), (360, 186), (380, 191), (400, 196),
    (420, 201), (440, 205), (460, 210), (480, 214), (500, 217), (550, 226), (600, 234),
    (650, 242), (700, 248), (750, 254), (800, 260), (850, 265), (900, 269), (950, 274),
    (1000, 278), (1100, 285), (1200, 291), (1300, 297), (1400, 302), (1500, 306),
    (1600, 310), (1700, 313), (1800, 317), (1900, 320), (2000, 322), (2200, 327),
    (2400, 331), (2600, 335), (2800, 338), (3000, 341), (3500, 346), (4000, 351),
    (4500, 354), (5000, 357), (6000, 361), (7000, 364), (8000, 367), (9000, 368),
    (10000, 370), (15000, 375), (20000, 377), (30000, 379), (40000, 380), (50000, 381),
    (75000, 382), (1000000, 384),
)  # fmt: skip
LARGEST_SAMPLE = 384


def minimum_sample(population: int) -> int:
    """The Krejcie-Morgan minimum sample for a population of `population` users.

    A population below the first row (10) is surveyed whole; between two rows the
    higher row's sample applies (never a sample too small); above 1,000,000, 384.
    """
    if isinstance(population, bool) or not isinstance(population, int) or population < 0:
        raise ValueError("a population is a whole number of people, not negative")
    if population < KREJCIE_MORGAN[0][0]:
        return population
    return next((s for n, s in KREJCIE_MORGAN if population <= n), LARGEST_SAMPLE)


@dataclass(frozen=True)
class SampleCheck:
    """Whether a period's respondents reach the minimum sample of its population."""

    population: int
    minimum: int
    respondents: int

    @property
    def enough(self) -> bool:
        return self.respondents >= self.minimum


def period_population(yearly_users: int, months: int) -> int:
    """The users of a period of `months` months, from the unit's yearly count.

    The guideline sizes the sample on the population served in the survey period;
    the OPD enters a yearly count, so a quarter's population is a quarter of it
    (rounded up: a part of a person is still someone to ask).
    """
    if not 1 <= months <= 12:
        raise ValueError("a survey period lasts 1 to 12 months")
    return -(-yearly_users * months // 12)


def sample_check(yearly_users: int | None, months: int, respondents: int) -> SampleCheck | None:
    """The sample adequacy of a period, or None when the unit has no yearly user count."""
    if yearly_users is None:
        return None
    population = period_population(yearly_users, months)
    return SampleCheck(population, minimum_sample(population), respondents)


def weakest_element(result: IkmResult) -> int:
    """The index (0-8) of the element with the lowest NRR; the first of equals."""
    return min(range(len(result.nrr)), key=lambda i: result.nrr[i])
