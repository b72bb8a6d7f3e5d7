"""The consequences of a predikat, case by case, numbers written out (issue 16)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.followup.rules import (
    DEFAULT_TPP,
    TppTable,
    angka_kredit,
    promotion_eligibility,
    tpp_factor,
)
from app.followup.talent import Thresholds, box, kinerja_band, potensial_band

D = Decimal


@pytest.mark.parametrize(
    ("jenjang", "predikat", "months", "expected"),
    [
        # BKN's worked examples (Peraturan BKN 3/2023): a year of Sangat Baik as Ahli
        # Pertama, and two months of Baik.
        ("ahli_pertama", "sangat_baik", 12, "18.750"),
        ("ahli_pertama", "baik", 2, "2.083"),
        ("ahli_pertama", "baik", 12, "12.500"),
        ("ahli_muda", "baik", 12, "25.000"),
        ("ahli_madya", "baik", 12, "37.500"),
        ("ahli_madya", "sangat_baik", 12, "56.250"),
        ("ahli_utama", "butuh_perbaikan", 12, "37.500"),
        ("terampil", "kurang", 12, "2.500"),
        ("mahir", "sangat_kurang", 12, "3.125"),
        ("penyelia", "butuh_perbaikan", 3, "4.688"),  # 3/12 x 75 % x 25 = 4.6875, half up
        ("pemula", "baik", 6, "1.875"),
    ],
)
def test_angka_kredit_is_the_predikats_share_of_the_jenjangs_coefficient(
    jenjang, predikat, months, expected
):
    assert angka_kredit(jenjang, predikat, months) == D(expected)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ahli_super", "baik", 12), "jenjang"),
        (("ahli_muda", "istimewa", 12), "predikat"),
        (("ahli_muda", "baik", 0), "months"),
        (("ahli_muda", "baik", 13), "months"),
    ],
)
def test_angka_kredit_refuses_what_is_not_in_its_tables(args, message):
    with pytest.raises(ValueError, match=message):
        angka_kredit(*args)


@pytest.mark.parametrize(
    ("history", "eligible", "missing", "below"),
    [
        ({2025: "baik", 2026: "baik"}, True, (), ()),
        ({2025: "sangat_baik", 2026: "baik"}, True, (), ()),
        ({2025: "butuh_perbaikan", 2026: "sangat_baik"}, False, (), (2025,)),
        ({2025: "baik", 2026: "kurang"}, False, (), (2026,)),
        ({2026: "baik"}, False, (2025,), ()),
        ({2025: "baik", 2026: None}, False, (2026,), ()),
        ({2024: "kurang", 2025: "baik", 2026: "baik"}, True, (), ()),  # only the last two
        ({2025: "sangat_kurang", 2026: "kurang"}, False, (), (2025, 2026)),
    ],
)
def test_promotion_needs_at_least_baik_in_each_of_the_last_two_years(
    history, eligible, missing, below
):
    found = promotion_eligibility(history, 2026)
    assert found.years == (2025, 2026)
    assert (found.eligible, found.missing, found.below) == (eligible, missing, below)


@pytest.mark.parametrize(
    ("predikat", "complete", "expected"),
    [
        ("sangat_baik", True, "1.00"),
        ("baik", True, "1.00"),
        ("butuh_perbaikan", True, "0.80"),
        ("kurang", True, "0.60"),
        ("sangat_kurang", True, "0.40"),
        ("sangat_baik", False, "0.00"),
        (None, True, "0.00"),
    ],
)
def test_tpp_factor_by_the_default_table(predikat, complete, expected):
    assert tpp_factor(predikat, complete) == D(expected)


def test_tpp_factor_follows_the_citys_own_table():
    perwali = TppTable(
        by_predikat={**DEFAULT_TPP.by_predikat, "butuh_perbaikan": D("0.70")},
        incomplete=D("0.25"),
    )
    assert tpp_factor("butuh_perbaikan", True, perwali) == D("0.70")
    assert tpp_factor("baik", False, perwali) == D("0.25")
    with pytest.raises(ValueError):
        tpp_factor("istimewa", True, perwali)


@pytest.mark.parametrize(
    ("history", "score", "kinerja", "potensial", "expected"),
    [
        (["sangat_baik", "sangat_baik"], "95", "above", "high", 9),
        (["baik", "sangat_baik"], "90", "above", "high", 9),  # 4.5 and 90: the bands' edges
        (["baik", "sangat_baik"], "89.99", "above", "medium", 8),
        (["baik", "sangat_baik"], "60", "above", "low", 6),
        (["baik", "baik"], "92", "meets", "high", 7),
        (["baik", "butuh_perbaikan"], "78", "meets", "medium", 5),  # 3.5 and 78: edges
        (["baik", "baik"], "77.9", "meets", "low", 3),
        (["butuh_perbaikan", "butuh_perbaikan"], "91", "below", "high", 4),
        (["kurang", "baik"], "80", "below", "medium", 2),
        (["sangat_kurang", "kurang"], "50", "below", "low", 1),
        # Only the last two years count (newest last).
        (["sangat_kurang", "sangat_baik", "sangat_baik"], "95", "above", "high", 9),
    ],
)
def test_nine_box_placement(history, score, kinerja, potensial, expected):
    assert kinerja_band(history) == kinerja
    assert potensial_band(D(score)) == potensial
    assert box(history, D(score)) == expected


def test_nine_box_waits_for_two_years_and_a_score_and_follows_the_thresholds():
    assert box(["baik"], D("95")) is None
    assert box(["baik", "baik"], None) is None
    strict = Thresholds(kinerja_above=D("5"), potensial_high=D("95"))
    assert box(["baik", "sangat_baik"], D("92"), strict) == 5  # meets, medium
