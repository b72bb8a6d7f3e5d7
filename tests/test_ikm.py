"""The SKM/IKM index of DESIGN.md §2 (PermenPANRB 14/2017)."""

from decimal import Decimal

import pytest

from app.feedback.ikm import ikm, ikm_from_sums, ikm_grade


def _sums(total: int, respondents: int) -> list[int]:
    """Nine element sums adding up to `total`, each within what 1-4 allows."""
    base, extra = divmod(total, 9)
    sums = [base + (1 if i < extra else 0) for i in range(9)]
    assert all(respondents <= s <= 4 * respondents for s in sums)
    return sums


# (total of all scores, respondents, IKM, grade); IKM = 25 x total / (9 x respondents)
IKM_TABLE = [
    (36, 1, "100.00", "A"),
    (9, 1, "25.00", "D"),
    (763, 24, "88.31", "A"),  # 88.3102 → 88.31, the lowest A
    (604, 19, "88.30", "B"),  # 88.3041 → 88.30, the highest B
    (524, 19, "76.61", "B"),  # 76.6082 → 76.61, the lowest B
    (717, 26, "76.60", "C"),  # 76.6026 → 76.60, the highest C
    (117, 5, "65.00", "C"),  # exactly 65, the lowest C
    (889, 38, "64.99", "D"),  # 64.9854 → 64.99, the highest D
    (81, 8, "28.13", "D"),  # 28.125 exactly: rounded half up, not to even
]


@pytest.mark.parametrize(("total", "respondents", "value", "grade"), IKM_TABLE)
def test_ikm_from_sums(total, respondents, value, grade):
    result = ikm_from_sums(_sums(total, respondents), respondents)
    assert result.ikm == Decimal(value)
    assert result.grade == grade


def test_ikm_from_answers_with_the_nrr_per_element():
    answers = [[4, 3, 3, 4, 3, 3, 4, 4, 2], [3, 3, 4, 4, 3, 2, 4, 3, 3]]
    result = ikm(answers)
    assert result.respondents == 2
    assert result.nrr == tuple(
        Decimal(x) for x in ["3.50", "3.00", "3.50", "4.00", "3.00", "2.50", "4.00", "3.50", "2.50"]
    )
    # Σ NRR = 29.5; 29.5 / 9 x 25 = 81.944…
    assert (result.ikm, result.grade) == (Decimal("81.94"), "B")


@pytest.mark.parametrize(
    ("value", "grade"),
    [
        ("100", "A"),
        ("88.31", "A"),
        ("88.30", "B"),
        ("76.61", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.99", "D"),
        ("25.00", "D"),
    ],
)
def test_ikm_grade_boundaries(value, grade):
    assert ikm_grade(Decimal(value)) == grade


@pytest.mark.parametrize("value", ["24.99", "100.01"])
def test_ikm_grade_outside_the_scale_is_refused(value):
    with pytest.raises(ValueError):
        ikm_grade(Decimal(value))


@pytest.mark.parametrize(
    "answers",
    [
        [],  # no respondent
        [[4] * 8],  # an element missing
        [[4] * 10],  # one too many
        [[4] * 8 + [5]],  # above the scale
        [[4] * 8 + [0]],  # below the scale
        [[4] * 8 + [3.5]],  # not a whole score
        [[4] * 8 + [True]],  # not a number at all
    ],
)
def test_ikm_refuses_invalid_answers(answers):
    with pytest.raises(ValueError):
        ikm(answers)


@pytest.mark.parametrize(
    ("sums", "respondents"),
    [([4] * 9, 0), ([4] * 8, 1), ([5] * 9, 1), ([0] * 9, 1), ([2.0] * 9, 1)],
)
def test_ikm_from_sums_refuses_impossible_sums(sums, respondents):
    with pytest.raises(ValueError):
        ikm_from_sums(sums, respondents)
