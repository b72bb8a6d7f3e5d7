"""The IKM per unit, OPD and city per period (PermenPANRB 14/2017), worked out by hand.

The same answers go through the pure formula (app.feedback.ikm) and through the
grouped SQL sums (app.feedback.index); both must give the numbers written here.
"""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import pytest

from app.extensions import db
from app.feedback.ikm import (
    ikm,
    minimum_sample,
    period_population,
    sample_check,
    weakest_element,
)
from app.feedback.index import (
    SkmPeriod,
    city_sums,
    parse_period,
    period_sums,
    sums_by_opd,
    sums_by_quarter,
    sums_by_unit,
    sums_by_year,
    unit_ikm,
)
from app.models import ServiceUnit, SkmResponse
from tests import factories

# Four respondents, worked out by hand:
#   element sums   U1 13, U2 13, U3 12, U4 16, U5 11, U6 11, U7 15, U8 12, U9 8 (total 111)
#   NRR = sum / 4  3.25, 3.25, 3.00, 4.00, 2.75, 2.75, 3.75, 3.00, 2.00
#   IKM = (111 / 4) / 9 x 25 = 2775 / 36 = 77.0833... -> 77.08, mutu B; weakest U9
HAND = [
    (4, 4, 3, 4, 3, 3, 4, 4, 2),
    (3, 3, 4, 4, 3, 2, 4, 3, 3),
    (2, 3, 3, 4, 2, 3, 3, 2, 1),
    (4, 3, 2, 4, 3, 3, 4, 3, 2),
]
HAND_NRR = tuple(Decimal(v) for v in ("3.25", "3.25", "3.00", "4.00", "2.75", "2.75", "3.75",
                                      "3.00", "2.00"))  # fmt: skip

# Units at the grade boundaries: (code, OPD, total of all scores, respondents, IKM, mutu),
# IKM = 25 x total / (9 x respondents), rounded half up to two decimals.
BOUNDARY = [
    ("A-LOW", "A", 763, 24, "88.31", "A"),  # 88.3102
    ("B-HIGH", "A", 604, 19, "88.30", "B"),  # 88.3041
    ("B-LOW", "B", 524, 19, "76.61", "B"),  # 76.6082
    ("C-HIGH", "B", 717, 26, "76.60", "C"),  # 76.6026
    ("C-LOW", "B", 117, 5, "65.00", "C"),  # 65 exactly
    ("D-HIGH", "B", 889, 38, "64.99", "D"),  # 64.9854
]
# OPD A in TW II: 763 + 604 = 1367 over 43 -> 25 x 1367 / 387 = 88.3075 -> 88.31 A
# OPD B in TW II: 524 + 717 + 117 + 889 = 2247 over 88 -> 25 x 2247 / 792 = 70.9280 -> 70.93 C
# The city in TW II: 3614 over 131 -> 25 x 3614 / 1179 = 76.6327 -> 76.63 B
TW2 = SkmPeriod(2026, "quarter", 2)


def spread(total: int, respondents: int) -> list[tuple[int, ...]]:
    """`respondents` answers of nine scores (1-4) adding up to `total`: every score starts
    at 1, and the points above that are dealt out one cell at a time."""
    cells = 9 * respondents
    extra = total - cells
    assert 0 <= extra <= 3 * cells
    scores = [1 + extra // cells + (1 if k < extra % cells else 0) for k in range(cells)]
    return [tuple(scores[r * 9 : r * 9 + 9]) for r in range(respondents)]


_serial = itertools.count()


def add_responses(unit: ServiceUnit, served_on: date, answers, **fields) -> None:
    for row in answers:
        n = next(_serial)
        db.session.add(
            SkmResponse(
                service_unit=unit, served_on=served_on,
                **{f"u{i + 1}": score for i, score in enumerate(row)},
                gender="L" if n % 2 else "P", age=20 + n % 50, education="sma",
                occupation="swasta", client_hash=f"client-{n:057d}",
                fingerprint=f"print-{n:058d}", **fields,
            )
        )  # fmt: skip


def test_the_hand_worked_answers_through_the_formula():
    result = ikm(HAND)
    assert result.respondents == 4
    assert result.nrr == HAND_NRR
    assert result.ikm == Decimal("77.08")
    assert result.grade == "B"
    assert weakest_element(result) == 8  # U9, penanganan pengaduan


@pytest.mark.parametrize(("code", "opd", "total", "respondents", "value", "grade"), BOUNDARY)
def test_the_boundaries_through_the_formula(code, opd, total, respondents, value, grade):
    result = ikm(spread(total, respondents))
    assert (result.ikm, result.grade) == (Decimal(value), grade)


@pytest.fixture
def survey(app):
    """OPD A and B with the boundary units (TW II 2026) and the hand-worked unit in OPD A
    (TW I 2026), plus one all-1 answer on each side of the first semester."""
    opds = {"A": factories.make_opd("DINKES", "Dinas Kesehatan"),
            "B": factories.make_opd("DISDIK", "Dinas Pendidikan")}  # fmt: skip
    units = {}
    for code, opd, total, respondents, _value, _grade in BOUNDARY:
        units[code] = ServiceUnit(opd=opds[opd], code=code, name=f"Unit {code}")
        add_responses(units[code], date(2026, 5, 15), spread(total, respondents))
    units["HAND"] = ServiceUnit(opd=opds["A"], code="HAND", name="Unit hand", yearly_users=450)
    add_responses(units["HAND"], date(2026, 1, 1), HAND[:2])
    add_responses(units["HAND"], date(2026, 3, 31), HAND[2:])
    add_responses(units["HAND"], date(2025, 12, 31), [(1,) * 9])
    add_responses(units["HAND"], date(2026, 7, 1), [(1,) * 9])
    db.session.commit()
    return {
        "opds": {key: opd.id for key, opd in opds.items()},
        "units": {key: unit.id for key, unit in units.items()},
    }


def test_each_unit_opd_and_the_city_summed_in_sql(survey):
    by_unit = sums_by_unit(TW2)
    assert set(by_unit) == {survey["units"][row[0]] for row in BOUNDARY}  # HAND: none in TW II
    for code, _opd, _total, respondents, value, grade in BOUNDARY:
        got = by_unit[survey["units"][code]].result
        assert (got.respondents, got.ikm, got.grade) == (respondents, Decimal(value), grade)

    by_opd = sums_by_opd(TW2)
    a, b = by_opd[survey["opds"]["A"]].result, by_opd[survey["opds"]["B"]].result
    assert (a.respondents, a.ikm, a.grade) == (43, Decimal("88.31"), "A")
    assert (b.respondents, b.ikm, b.grade) == (88, Decimal("70.93"), "C")
    city = city_sums(TW2).result
    assert (city.respondents, city.ikm, city.grade) == (131, Decimal("76.63"), "B")


def test_the_hand_worked_unit_summed_in_sql_per_quarter_semester_and_year(survey):
    unit = survey["units"]["HAND"]
    tw1 = sums_by_unit(SkmPeriod(2026, "quarter", 1), [unit])[unit].result
    assert (tw1.respondents, tw1.nrr, tw1.ikm, tw1.grade) == (4, HAND_NRR, Decimal("77.08"), "B")
    assert unit_ikm(unit, date(2026, 1, 1), date(2026, 3, 31)) == tw1

    quarters = sums_by_quarter(2026, unit)
    assert {q: s.respondents for q, s in quarters.items()} == {1: 4, 3: 1}
    assert period_sums(quarters, SkmPeriod(2026, "semester", 1)).result == tw1
    # The year adds the all-1 answer of 1 July: 120 over 5 -> 25 x 120 / 45 = 66.67, C.
    year = period_sums(quarters, SkmPeriod(2026, "year")).result
    assert (year.respondents, year.ikm, year.grade) == (5, Decimal("66.67"), "C")
    years = sums_by_year(2024, 2026, unit)
    assert {y: s.respondents for y, s in years.items()} == {2025: 1, 2026: 5}
    assert years[2025].result.ikm == Decimal("25.00")
    assert years[2025].result.grade == "D"
    # OPD A's first semester: 1367 + 111 = 1478 over 47 -> 25 x 1478 / 423 = 87.3522 -> B.
    semester = sums_by_opd(SkmPeriod(2026, "semester", 1))[survey["opds"]["A"]].result
    assert (semester.respondents, semester.ikm, semester.grade) == (47, Decimal("87.35"), "B")


@pytest.mark.parametrize(
    ("key", "start", "end", "months"),
    [
        ("2026", date(2026, 1, 1), date(2026, 12, 31), 12),
        ("2026-s1", date(2026, 1, 1), date(2026, 6, 30), 6),
        ("2026-s2", date(2026, 7, 1), date(2026, 12, 31), 6),
        ("2026-tw1", date(2026, 1, 1), date(2026, 3, 31), 3),
        ("2026-tw2", date(2026, 4, 1), date(2026, 6, 30), 3),
        ("2026-tw3", date(2026, 7, 1), date(2026, 9, 30), 3),
        ("2026-tw4", date(2026, 10, 1), date(2026, 12, 31), 3),
        # Anything else is the default year, never an error.
        ("2026-tw5", date(2024, 1, 1), date(2024, 12, 31), 12),
        ("<script>", date(2024, 1, 1), date(2024, 12, 31), 12),
        (None, date(2024, 1, 1), date(2024, 12, 31), 12),
    ],
)
def test_survey_periods(key, start, end, months):
    period = parse_period(key, 2024)
    assert (period.start, period.end, period.months) == (start, end, months)


@pytest.mark.parametrize(
    ("population", "sample"),
    [
        (0, 0), (9, 9), (10, 10), (11, 14), (100, 80), (101, 86), (113, 92), (1000, 278),
        (1001, 285), (4500, 354), (60000, 382), (75000, 382), (75001, 384),
        (1_000_000, 384), (5_000_000, 384),
    ],
)  # fmt: skip
def test_krejcie_morgan_minimum_sample(population, sample):
    assert minimum_sample(population) == sample


def test_the_sample_is_sized_for_the_period_population():
    # 450 users a year: a quarter serves 112.5 -> 113 people, whose minimum is 92.
    assert period_population(450, 3) == 113
    check = sample_check(450, 3, 92)
    assert (check.population, check.minimum, check.enough) == (113, 92, True)
    assert not sample_check(450, 3, 91).enough
    assert sample_check(18000, 12, 375).minimum == 377
    assert sample_check(None, 3, 10) is None
    with pytest.raises(ValueError):
        minimum_sample(-1)
