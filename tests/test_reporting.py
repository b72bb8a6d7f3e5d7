"""Atasan resolution: the holder or acting holder of the parent position on a date."""

from datetime import date

import pytest

from app.org.reporting import atasan_of
from tests.factories import make_acting, make_employee, make_opd, make_position

ON = date(2026, 6, 1)


@pytest.fixture
def org(app):
    """Kepala Dinas > Kepala Bidang > Kepala Seksi > pelaksana, in one OPD."""
    opd = make_opd()
    kadis = make_position(opd, "Kepala Dinas", "jpt")
    kabid = make_position(opd, "Kepala Bidang", "administrator", kadis)
    kasi = make_position(opd, "Kepala Seksi", "pengawas", kabid)
    staf = make_position(opd, "Pengadministrasi", "pelaksana", kasi)
    people = {
        "kadis": make_employee("Kadis", kadis),
        "kabid": make_employee("Kabid", kabid),
        "kasi": make_employee("Kasi", kasi),
        "staf": make_employee("Staf", staf),
        "staf2": make_employee("Staf Dua", staf),
    }
    return {"positions": {"kadis": kadis, "kabid": kabid, "kasi": kasi}, **people}


def _vacate(employee):
    employee.position = None


def _retire(employee):
    employee.active = False


CASES = [
    # (case, arrange(org), appraisee, expected atasan, expected acting kind)
    ("normal", lambda o: None, "staf", "kasi", None),
    ("normal upper level", lambda o: None, "kasi", "kabid", None),
    ("vacant parent passes up", lambda o: _vacate(o["kasi"]), "staf", "kabid", None),
    ("inactive holder counts as vacant", lambda o: _retire(o["kasi"]), "staf", "kabid", None),
    (
        "two vacant levels pass up",
        lambda o: (_vacate(o["kasi"]), _vacate(o["kabid"])),
        "staf",
        "kadis",
        None,
    ),
    (
        "plt of a vacant parent",
        lambda o: (
            _vacate(o["kasi"]),
            make_acting(o["positions"]["kasi"], o["kadis"], date(2026, 1, 1), date(2026, 12, 31)),
        ),
        "staf",
        "kadis",
        "plt",
    ),
    (
        "plh acts for the holder",
        lambda o: make_acting(
            o["positions"]["kasi"], o["kabid"], date(2026, 5, 25), date(2026, 6, 5), "plh"
        ),
        "staf",
        "kabid",
        "plh",
    ),
    (
        "expired plt no longer counts",
        lambda o: (
            _vacate(o["kasi"]),
            make_acting(o["positions"]["kasi"], o["kadis"], date(2026, 1, 1), date(2026, 3, 31)),
        ),
        "staf",
        "kabid",
        None,
    ),
    ("top of the tree", lambda o: None, "kadis", None, None),
    (
        "nobody appraises themselves (plt of own parent)",
        lambda o: (
            _vacate(o["kasi"]),
            make_acting(o["positions"]["kasi"], o["staf"], date(2026, 1, 1), date(2026, 12, 31)),
        ),
        "staf",
        "kabid",
        None,
    ),
    (
        "a colleague acting as plt appraises the others",
        lambda o: (
            _vacate(o["kasi"]),
            make_acting(o["positions"]["kasi"], o["staf"], date(2026, 1, 1), date(2026, 12, 31)),
        ),
        "staf2",
        "staf",
        "plt",
    ),
]


@pytest.mark.parametrize(
    ("arrange", "appraisee", "expected", "acting"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_atasan_resolution(org, arrange, appraisee, expected, acting):
    arrange(org)
    found = atasan_of(org[appraisee], ON)
    if expected is None:
        assert found is None
    else:
        assert found is not None
        assert found.employee is org[expected]
        assert found.acting == acting


def test_employee_without_position_has_no_atasan(app):
    assert atasan_of(make_employee("Tanpa Jabatan"), ON) is None
