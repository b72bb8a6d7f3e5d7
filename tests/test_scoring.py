"""The scoring tables of DESIGN.md §2: predikat matrix, pola distribusi, SKM/IKM."""

from decimal import Decimal

import pytest

from app.skp import scoring
from app.skp.scoring import check_distribution, ikm, ikm_from_sums, ikm_grade, predikat

# HK \ PK     Di Bawah        Sesuai            Di Atas
MATRIX_TABLE = [
    ("di_atas", "di_bawah", "kurang"),
    ("di_atas", "sesuai", "baik"),
    ("di_atas", "di_atas", "sangat_baik"),
    ("sesuai", "di_bawah", "kurang"),
    ("sesuai", "sesuai", "baik"),
    ("sesuai", "di_atas", "baik"),
    ("di_bawah", "di_bawah", "sangat_kurang"),
    ("di_bawah", "sesuai", "butuh_perbaikan"),
    ("di_bawah", "di_atas", "butuh_perbaikan"),
]


@pytest.mark.parametrize(("hk", "pk", "expected"), MATRIX_TABLE)
def test_predikat_matrix(hk, pk, expected):
    assert predikat(hk, pk) == expected


def test_the_matrix_has_exactly_the_nine_cells():
    assert {(hk, pk) for hk, pk, _ in MATRIX_TABLE} == set(scoring.PREDIKAT_MATRIX)


@pytest.mark.parametrize(("hk", "pk"), [("baik", "sesuai"), ("sesuai", ""), (None, "sesuai")])
def test_predikat_refuses_what_is_not_a_rating(hk, pk):
    with pytest.raises(ValueError):
        predikat(hk, pk)


@pytest.mark.parametrize(("hk", "pk"), [(None, "sesuai"), ("sesuai", None), ("", "")])
def test_no_predikat_until_both_ratings_are_chosen(hk, pk):
    assert scoring.predikat_or_none(hk, pk) is None


def test_predikat_labels_are_the_indonesian_words():
    assert [scoring.PREDIKAT_LABELS[p] for p in scoring.PREDIKAT] == [
        "Sangat Baik",
        "Baik",
        "Butuh Perbaikan",
        "Kurang",
        "Sangat Kurang",
    ]


def _counts(**counts):
    return counts


# (organisation predikat, employee counts, whether each rule holds, in table order)
DISTRIBUTION_TABLE = [
    # Istimewa: ≤70% Sangat Baik
    ("istimewa", _counts(sangat_baik=7, baik=3), [True]),  # at the bound
    ("istimewa", _counts(sangat_baik=69, baik=31), [True]),  # just inside
    ("istimewa", _counts(sangat_baik=71, baik=29), [False]),  # just outside
    # Baik: ≤70% Baik, and at least one Butuh Perbaikan or Kurang
    ("baik", _counts(baik=7, butuh_perbaikan=1, sangat_baik=2), [True, True]),
    ("baik", _counts(baik=69, kurang=1, sangat_baik=30), [True, True]),
    ("baik", _counts(baik=71, butuh_perbaikan=1, sangat_baik=28), [False, True]),
    ("baik", _counts(baik=7, sangat_baik=3), [True, False]),  # nobody below Baik
    ("baik", _counts(baik=6, sangat_kurang=1, sangat_baik=3), [True, False]),  # SK is no BP/K
    # Butuh Perbaikan: ≥60% BP; Sangat Baik ≤10%
    ("butuh_perbaikan", _counts(butuh_perbaikan=6, sangat_baik=1, baik=3), [True, True]),
    ("butuh_perbaikan", _counts(butuh_perbaikan=61, sangat_baik=9, baik=30), [True, True]),
    ("butuh_perbaikan", _counts(butuh_perbaikan=59, sangat_baik=11, baik=30), [False, False]),
    # Kurang: ≥60% Kurang; ≥10% BP; Sangat Baik ≤10%
    ("kurang", _counts(kurang=6, butuh_perbaikan=1, sangat_baik=1, baik=2), [True, True, True]),
    ("kurang", _counts(kurang=61, butuh_perbaikan=11, sangat_baik=9, baik=19), [True] * 3),
    ("kurang", _counts(kurang=59, butuh_perbaikan=9, sangat_baik=11, baik=21), [False] * 3),
    # Sangat Kurang: ≥60% SK; ≥10% Kurang or BP; no Sangat Baik
    ("sangat_kurang", _counts(sangat_kurang=6, kurang=1, baik=3), [True, True, True]),
    ("sangat_kurang", _counts(sangat_kurang=61, butuh_perbaikan=11, baik=28), [True] * 3),
    ("sangat_kurang", _counts(sangat_kurang=59, kurang=9, sangat_baik=1, baik=31), [False] * 3),
]


@pytest.mark.parametrize(("org", "counts", "holds"), DISTRIBUTION_TABLE)
def test_pola_distribusi(org, counts, holds):
    result = check_distribution(org, counts)
    assert [check.holds for check in result.rules] == holds
    assert result.breaks == (not all(holds))
    assert result.total == sum(counts.values())


def test_every_organisation_predikat_has_its_row():
    assert set(scoring.POLA_DISTRIBUSI) == set(scoring.ORG_PREDIKAT)


def test_a_share_is_shown_to_one_decimal():
    result = check_distribution("istimewa", {"sangat_baik": 2, "baik": 1})
    assert result.rules[0].share == Decimal("66.7")
    assert result.rules[0].holds


def test_nobody_rated_yet_breaks_nothing():
    assert not check_distribution("kurang", {}).breaks


@pytest.mark.parametrize(
    ("org", "counts"),
    [
        ("luar_biasa", {"baik": 1}),
        ("baik", {"misconduct": 1}),
        ("baik", {"baik": -1}),
        ("baik", {"baik": 1.5}),
    ],
)
def test_distribution_refuses_bad_input(org, counts):
    with pytest.raises(ValueError):
        check_distribution(org, counts)


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
