"""The scoring tables of DESIGN.md §2: predikat matrix and pola distribusi."""

from decimal import Decimal

import pytest

from app.skp import scoring
from app.skp.scoring import check_distribution, predikat

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
