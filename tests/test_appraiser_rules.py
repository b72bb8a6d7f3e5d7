"""Who appraises whom (issue 18): the appraiser rule table and its default.

Each case is checked on both paths that resolve it: one employee at a time
(app.org.reporting, used by pages and the engine) and the whole city in memory
(app.periods.structure, used when a period is opened).
"""

from datetime import date

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AppraiserRule
from app.org.reporting import atasan_of, atasan_penilai_of
from app.periods.structure import ReportingLines
from tests.factories import make_acting, make_employee, make_opd, make_position

ON = date(2026, 6, 1)


def _position(opd, name, kind, parent=None, level=None):
    position = make_position(opd, name, kind, parent)
    position.level = level
    return position


@pytest.fixture
def city(app):
    """Wali kota; Sekda; a dinas: kadis > kabid > kasi > JA, and JF of several jenjang."""
    setda = make_opd("SETDA", "Sekretariat Daerah", "sekretariat")
    dinkes = make_opd()
    p = {}
    p["walikota"] = _position(setda, "Wali Kota Medan", "kepala_daerah")
    p["sekda"] = _position(setda, "Sekretaris Daerah", "jpt", p["walikota"], "sekda")
    p["kadis"] = _position(dinkes, "Kepala Dinas Kesehatan", "jpt", p["sekda"], "pratama")
    p["kabid"] = _position(dinkes, "Kepala Bidang", "administrator", p["kadis"])
    p["kasi"] = _position(dinkes, "Kepala Seksi", "pengawas", p["kabid"])
    p["staf"] = _position(dinkes, "Pengadministrasi Perkantoran", "pelaksana", p["kasi"])
    p["muda"] = _position(dinkes, "Epidemiolog Ahli Muda", "fungsional", p["kabid"], "ahli_muda")
    p["madya"] = _position(dinkes, "Perawat Ahli Madya", "fungsional", p["kasi"], "ahli_madya")
    # A JF under another JF: the pejabat penilai is at least a pengawas, so it passes up.
    p["terampil"] = _position(dinkes, "Perawat Terampil", "fungsional", p["madya"], "terampil")
    people = {key: make_employee(key.title(), position) for key, position in p.items()}
    db.session.flush()
    return {"positions": p, **people}


def _vacate(city, key):
    city[key].position = None
    db.session.flush()


def _plt(city, position_key, who):
    make_acting(city["positions"][position_key], city[who], date(2026, 1, 1), date(2026, 12, 31))


# (case, arrange, appraisee, pejabat penilai, acting, atasan pejabat penilai)
CASES = [
    ("sekda: the wali kota, who also decides", None, "sekda", "walikota", None, "walikota"),
    ("JPT pratama (kepala OPD): the wali kota", None, "kadis", "walikota", None, "walikota"),
    ("administrator: the kadis; then the wali kota", None, "kabid", "kadis", None, "walikota"),
    ("pengawas: the administrator above", None, "kasi", "kabid", None, "kadis"),
    ("JA (pelaksana): the pengawas above", None, "staf", "kasi", None, "kabid"),
    ("JF ahli muda under an administrator", None, "muda", "kabid", None, "kadis"),
    ("JF ahli madya under a pengawas", None, "madya", "kasi", None, "kabid"),
    ("JF terampil under a JF: passes to the pengawas", None, "terampil", "kasi", None, "kabid"),
    (
        "Plt of the vacant kasi appraises",
        lambda c: (_vacate(c, "kasi"), _plt(c, "kasi", "kabid")),
        "staf",
        "kabid",
        "plt",
        "kadis",
    ),
    ("vacant kasi passes up", lambda c: _vacate(c, "kasi"), "staf", "kabid", None, "kadis"),
    (
        "vacant kadis: the kabid passes up to the sekda",
        lambda c: _vacate(c, "kadis"),
        "kabid",
        "sekda",
        None,
        "walikota",
    ),
    (
        "no wali kota: the JPT have nobody",
        lambda c: _vacate(c, "walikota"),
        "kadis",
        None,
        None,
        None,
    ),
]


def _expect(city, key):
    return city[key].id if key else None


@pytest.mark.parametrize(
    "case, arrange, who, penilai, acting, atasan", CASES, ids=[c[0] for c in CASES]
)
def test_the_default_rule_resolves(city, case, arrange, who, penilai, acting, atasan):
    if arrange:
        arrange(city)
    employee = city[who]
    # One employee at a time.
    holder = atasan_of(employee, ON)
    assert (holder.employee.id if holder else None) == _expect(city, penilai)
    assert (holder.acting if holder else None) == acting
    superior = atasan_penilai_of(employee, holder.employee, holder.acting, ON) if holder else None
    assert (superior.employee.id if superior else None) == _expect(city, atasan)
    # The whole city at once.
    lines = ReportingLines(ON)
    found = lines.atasan(employee.id, employee.position_id)
    assert (found.employee_id if found else None) == _expect(city, penilai)
    assert (found.acting if found else None) == acting
    upper = lines.atasan_penilai(employee.id, found.employee_id) if found else None
    assert (upper.employee_id if upper else None) == _expect(city, atasan)


def test_the_wali_kota_is_nobodys_appraisee(city):
    assert atasan_of(city["walikota"], ON) is None
    assert ReportingLines(ON).is_kepala_daerah(city["walikota"].position_id)


def _set_rule(kind, level, penilai, atasan):
    # The migration seeds the default rows, and other tests' clean-up may have removed
    # them: update the row if it is there, else add it (the result must not depend on
    # which test ran first).
    rule = db.session.scalar(
        sa.select(AppraiserRule).where(
            AppraiserRule.position_kind == kind, AppraiserRule.level == level
        )
    )
    if rule is None:
        rule = AppraiserRule(position_kind=kind, level=level)
        db.session.add(rule)
    rule.penilai, rule.atasan_penilai = penilai, atasan
    db.session.flush()


def test_changing_a_rule_changes_who_appraises(city):
    # BKD decides that a JF ahli madya is appraised by at least an administrator.
    _set_rule("fungsional", "ahli_madya", "min_administrator", "atasan_of_penilai")
    assert atasan_of(city["madya"], ON).employee.id == city["kabid"].id
    assert ReportingLines(ON).atasan(city["madya"].id, city["madya"].position_id).employee_id == (
        city["kabid"].id
    )
    # Other jenjang keep the default.
    assert atasan_of(city["terampil"], ON).employee.id == city["kasi"].id


def test_changing_the_jpt_rule_changes_the_decider(city):
    # The kepala OPD appraised by the wali kota, their keberatan decided by the sekda.
    _set_rule("jpt", "pratama", "kepala_daerah", "sekda")
    kadis = city["kadis"]
    holder = atasan_of(kadis, ON)
    assert holder.employee.id == city["walikota"].id
    assert atasan_penilai_of(kadis, holder.employee, None, ON).employee.id == city["sekda"].id
    lines = ReportingLines(ON)
    assert lines.atasan_penilai(kadis.id, city["walikota"].id).employee_id == city["sekda"].id


def test_a_level_not_recorded_is_read_from_the_position_name(city):
    # Positions from a roster import carry no level: the JF jenjang is in the name, and
    # "Sekretaris Daerah" names the sekda.
    for key in ("madya", "sekda"):
        city["positions"][key].level = None
    db.session.flush()
    _set_rule("fungsional", "ahli_madya", "min_administrator", "atasan_of_penilai")
    _set_rule("administrator", "", "sekda", "kepala_daerah")
    assert atasan_of(city["madya"], ON).employee.id == city["kabid"].id
    lines = ReportingLines(ON)
    assert lines.atasan(city["madya"].id, city["madya"].position_id).employee_id == city["kabid"].id
    assert atasan_of(city["kabid"], ON).employee.id == city["sekda"].id
    assert lines.atasan(city["kabid"].id, city["kabid"].position_id).employee_id == city["sekda"].id


def test_the_cheap_sekda_test_agrees_with_the_level_expression(app):
    """app.org.appraisers.is_sekda reads as level_expression == "sekda", case by case."""
    from app.models import Position
    from app.org.appraisers import SEKDA_LEVEL, is_sekda, level_expression

    opd = make_opd("SETDA", "Sekretariat Daerah", "sekretariat")
    cases = [
        ("Sekretaris Daerah Kota Medan", "jpt", None),  # read from the name
        ("Sekda", "jpt", "sekda"),  # recorded
        ("SEKRETARIS DAERAH", "jpt", "pratama"),  # a recorded level wins over the name
        ("Kepala Dinas", "jpt", None),
        ("Analis Sekretaris Daerah Ahli Muda", "fungsional", None),  # not a JPT
        ("Sekretaris Daerah", "administrator", None),
        ("Staf", "pelaksana", "sekda"),
    ]
    for name, kind, level in cases:
        _position(opd, name, kind, level=level)
    db.session.flush()
    rows = db.session.execute(
        sa.select(
            Position.name, is_sekda(Position), level_expression(Position) == SEKDA_LEVEL
        ).order_by(Position.id)
    ).all()
    assert len(rows) == len(cases)
    assert [name for name, cheap, _ in rows if cheap] == [
        "Sekretaris Daerah Kota Medan",
        "Sekda",
        "Staf",
    ]
    assert all(bool(cheap) == bool(full) for _, cheap, full in rows)
