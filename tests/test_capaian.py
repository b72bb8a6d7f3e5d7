"""Capaian per IKI and the suggested hasil kerja rating (app/skp/capaian.py): tables of cases."""

from decimal import Decimal as D

import pytest

from app.skp.capaian import (
    NO_REALISASI,
    NO_TARGET,
    NOT_MARKED,
    ZERO_REALISASI,
    ZERO_TARGET,
    Capaian,
    capaian,
    suggest_rating_hk,
)


@pytest.mark.parametrize(
    ("direction", "target", "realisasi", "tolerance", "mark", "expected"),
    [
        # higher is better: realisasi / target
        ("higher", D("12"), D("12"), None, None, Capaian(percent=D("100.00"))),
        ("higher", D("12"), D("9"), None, None, Capaian(percent=D("75.00"))),
        ("higher", D("12"), D("15"), None, None, Capaian(percent=D("125.00"))),
        ("higher", D("3"), D("1"), None, None, Capaian(percent=D("33.33"))),
        ("higher", D("12"), D("0"), None, None, Capaian(percent=D("0.00"))),
        ("higher", D("0"), D("5"), None, None, Capaian(missing=ZERO_TARGET)),
        ("higher", D("12"), None, None, None, Capaian(missing=NO_REALISASI)),
        ("higher", None, D("5"), None, None, Capaian(missing=NO_TARGET)),
        # lower is better: target / realisasi
        ("lower", D("10"), D("8"), None, None, Capaian(percent=D("125.00"))),
        ("lower", D("10"), D("20"), None, None, Capaian(percent=D("50.00"))),
        ("lower", D("10"), D("0"), None, None, Capaian(missing=ZERO_REALISASI)),
        ("lower", D("0"), D("0"), None, None, Capaian(percent=D("100.00"))),
        ("lower", D("0"), D("4"), None, None, Capaian(percent=D("0.00"))),
        ("lower", D("10"), None, None, None, Capaian(missing=NO_REALISASI)),
        # exact: 100 within the tolerance (% of the target), else 100 - distance %
        ("exact", D("100"), D("103"), D("5"), None, Capaian(percent=D("100.00"))),
        ("exact", D("100"), D("95"), D("5"), None, Capaian(percent=D("100.00"))),
        ("exact", D("100"), D("110"), D("5"), None, Capaian(percent=D("90.00"))),
        ("exact", D("100"), D("90"), D("5"), None, Capaian(percent=D("90.00"))),
        ("exact", D("100"), D("101"), None, None, Capaian(percent=D("99.00"))),
        ("exact", D("100"), D("250"), D("5"), None, Capaian(percent=D("0.00"))),
        ("exact", D("0"), D("0"), D("5"), None, Capaian(percent=D("100.00"))),
        ("exact", D("0"), D("3"), D("5"), None, Capaian(percent=D("0.00"))),
        ("exact", D("100"), None, D("5"), None, Capaian(missing=NO_REALISASI)),
        # qualitative: the atasan's mark, no percentage
        ("quality", None, None, None, "di_atas", Capaian(mark="di_atas")),
        ("quality", None, None, None, "sesuai", Capaian(mark="sesuai")),
        ("quality", None, None, None, "di_bawah", Capaian(mark="di_bawah")),
        ("quality", None, None, None, None, Capaian(missing=NOT_MARKED)),
    ],
)
def test_capaian_table(direction, target, realisasi, tolerance, mark, expected):
    assert capaian(direction, target, realisasi, tolerance=tolerance, mark=mark) == expected


def test_capaian_refuses_an_unknown_direction():
    with pytest.raises(ValueError):
        capaian("sideways", D("1"), D("1"))


U, T = "utama", "tambahan"


@pytest.mark.parametrize(
    ("rhks", "expected"),
    [
        # all above: 3 of 3 above, no UTAMA below
        ([(U, "di_atas"), (U, "di_atas"), (T, "di_atas")], "di_atas"),
        # most above (2 of 3), the other on expectation
        ([(U, "di_atas"), (U, "di_atas"), (T, "sesuai")], "di_atas"),
        # most above (3 of 4) but one UTAMA below: not di atas
        ([(U, "di_atas"), (U, "di_atas"), (U, "di_bawah"), (T, "di_atas")], "sesuai"),
        # most above (3 of 4), only a TAMBAHAN below: still di atas
        ([(U, "di_atas"), (U, "di_atas"), (T, "di_atas"), (T, "di_bawah")], "di_atas"),
        # all on expectation
        ([(U, "sesuai"), (T, "sesuai")], "sesuai"),
        # one UTAMA of 4 below, the rest on expectation: a small part, sesuai
        ([(U, "di_bawah"), (U, "sesuai"), (U, "sesuai"), (T, "sesuai")], "sesuai"),
        # most below (2 of 3)
        ([(U, "di_bawah"), (U, "di_bawah"), (T, "di_atas")], "di_bawah"),
        # all below
        ([(U, "di_bawah"), (T, "di_bawah")], "di_bawah"),
        # only TAMBAHAN below (2 of 4 RHK, half: not most)
        ([(U, "sesuai"), (U, "sesuai"), (T, "di_bawah"), (T, "di_bawah")], "sesuai"),
        # ties: 1 above and 1 on expectation of 2 (half is not most)
        ([(U, "di_atas"), (U, "sesuai")], "sesuai"),
        # ties: 2 above and 2 below of 4
        ([(U, "di_atas"), (U, "di_atas"), (T, "di_bawah"), (T, "di_bawah")], "sesuai"),
        # ties: 1 below and 1 above of 2
        ([(U, "di_bawah"), (T, "di_atas")], "sesuai"),
        # one RHK only
        ([(U, "di_atas")], "di_atas"),
        ([(U, "di_bawah")], "di_bawah"),
        # not every RHK rated yet, or no RHK: no suggestion
        ([(U, "di_atas"), (T, None)], None),
        ([], None),
    ],
)
def test_suggested_rating_table(rhks, expected):
    assert suggest_rating_hk(rhks) == expected
