"""Combining the predikat of several SKP segments of one period (app.skp.combined)."""

from fractions import Fraction

import pytest

from app.skp.combined import combine_predikat, predikat_for_value, weighted_value

H1, H2 = 181, 184  # 1 January - 30 June, 1 July - 31 December (2026)


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ([("baik", 365)], "baik"),
        # Halfway between Sangat Baik (150) and Baik (100): the tie goes to the lower one.
        ([("sangat_baik", 100), ("baik", 100)], "baik"),
        # A little longer in the Sangat Baik jabatan tips it over.
        ([("sangat_baik", 101), ("baik", 100)], "sangat_baik"),
        # Weighted by time: three months Butuh Perbaikan, nine months Sangat Baik -> 131.25.
        ([("butuh_perbaikan", 90), ("sangat_baik", 270)], "sangat_baik"),
        ([("sangat_baik", 90), ("butuh_perbaikan", 270)], "baik"),  # 93.75
        # 150 and 25 over equal halves: 87.5, exactly between Baik and Butuh Perbaikan.
        ([("sangat_baik", 50), ("sangat_kurang", 50)], "butuh_perbaikan"),
        ([("baik", H1), ("butuh_perbaikan", H2)], "butuh_perbaikan"),  # 87.40 < 87.5
        ([("baik", H2), ("butuh_perbaikan", H1)], "baik"),  # 87.60 > 87.5
        ([("baik", 10), ("baik", 20), ("kurang", 5)], "baik"),
    ],
)
def test_segments_combine_by_time_served(parts, expected):
    assert combine_predikat(parts) == expected


def test_an_unrated_segment_leaves_the_period_without_a_result():
    assert combine_predikat([("baik", H1), (None, H2)]) is None
    assert combine_predikat([]) is None


def test_the_average_is_exact():
    assert weighted_value([("sangat_baik", 1), ("baik", 2)]) == Fraction(350, 3)
    assert predikat_for_value(Fraction(125)) == "baik"
    assert predikat_for_value(Fraction(125) + Fraction(1, 10**9)) == "sangat_baik"


def test_days_must_be_positive():
    with pytest.raises(ValueError):
        weighted_value([("baik", 0), ("baik", 10)])
