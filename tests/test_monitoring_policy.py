"""Who watches which progress (issue 15): the city, an OPD, a team; the pimpinan daerah role."""

from __future__ import annotations

from datetime import date

import pytest

from app import policy
from app.extensions import db
from app.models import Appraisal
from app.monitoring.milestones import current_milestone, milestones
from tests.factories import make_account, make_employee, make_opd, make_period, make_position


@pytest.fixture
def city(team):
    """The team (DINKES, BKPSDM) plus SETDA with the wali kota, the sekda, a wakil wali kota."""
    setda = make_opd("SETDA", "Sekretariat Daerah Kota Medan", "sekretariat")
    walikota = make_position(setda, "Wali Kota Medan", "kepala_daerah")
    sekda = make_position(setda, "Sekretaris Daerah", "jpt")
    staf_setda = make_position(setda, "Analis Kebijakan", "fungsional", sekda)
    other = make_opd("DISDIK", "Dinas Pendidikan")
    people = {
        "walikota": make_account(make_employee("H. Wali Sitompul", walikota)),
        "sekda": make_account(make_employee("Sekda Harahap", sekda)),
        # The wakil wali kota holds no position in the tree: the role is granted.
        "wakil": make_account(
            make_employee("Wakil Wali Kota Lubis", staf_setda), roles=("pimpinan_daerah",)
        ),
        "kadis_b": make_account(
            make_employee("Kadis Pendidikan", make_position(other, "Kepala Dinas", "jpt"))
        ),
    }
    db.session.commit()
    return {**team, **people, "other": other}


@pytest.mark.parametrize(
    ("who", "watches_city"),
    [
        ("admin", True),
        ("verifikator", True),
        ("wakil", True),
        ("walikota", True),
        ("sekda", True),
        ("kadis", False),
        ("kabid", False),
        ("staf", False),
    ],
)
def test_the_city_is_watched_by_bkd_and_the_pimpinan_daerah(city, who, watches_city):
    assert policy.monitors_city(city[who]) is watches_city
    assert (policy.monitoring_opds(city[who]) is None) is watches_city


def test_a_kepala_opd_watches_their_own_opd_only(city):
    kadis = city["kadis"]
    assert policy.monitoring_opds(kadis) == [city["opd"].id]
    assert policy.can_monitor_opd(kadis, city["opd"].id)
    assert not policy.can_monitor_opd(kadis, city["other"].id)
    assert policy.monitoring_opds(city["staf"]) == []
    assert not policy.can_monitor_opd(None, city["opd"].id)


def test_a_team_is_watched_by_its_atasan_their_kepala_opd_and_the_city(city):
    kasi = city["kasi"].employee
    opd = city["opd"].id
    assert policy.can_monitor_team(city["kasi"], kasi.id, opd)
    assert policy.can_monitor_team(city["kadis"], kasi.id, opd)
    assert policy.can_monitor_team(city["walikota"], kasi.id, opd)
    assert not policy.can_monitor_team(city["kadis_b"], kasi.id, opd)
    assert not policy.can_monitor_team(city["staf"], kasi.id, opd)


def test_reminders_are_sent_by_admin_bkd_and_the_kepala_opd_not_by_the_watchers(city):
    opd = city["opd"].id
    assert policy.may_remind(city["admin"], opd)
    assert policy.may_remind(city["kadis"], opd)
    assert not policy.may_remind(city["kadis_b"], opd)
    assert not policy.may_remind(city["wakil"], opd)
    assert not policy.may_remind(city["verifikator"], opd)


def test_the_pimpinan_daerah_reads_any_skp_and_a_stranger_does_not(city):
    period = make_period()
    appraisal = Appraisal(
        employee_id=city["staf"].employee_id,
        period_id=period.id,
        opd_id=city["opd"].id,
        workflow="skp_annual",
        state="draft",
    )
    db.session.add(appraisal)
    db.session.commit()
    assert policy.can_view_appraisal(city["wakil"], appraisal)
    assert not policy.can_view_appraisal(city["kadis_b"], appraisal)


def test_admin_bkd_grants_the_pimpinan_daerah_role(city, browser):
    browser.login(city["admin"].employee.nip)
    target = city["kadis_b"]
    browser.post(f"/admin/accounts/{target.id}/roles", {"role": "pimpinan_daerah"})
    db.session.expire_all()
    assert "pimpinan_daerah" in target.granted_roles
    assert policy.monitors_city(target)


def test_the_milestone_is_the_next_date_of_the_calendar_then_the_last(app):
    period = make_period(plan_deadline=date(2026, 1, 20), assessment_deadline=date(2027, 1, 31))
    period.plan_approval_deadline = date(2026, 1, 31)
    period.review_deadline = date(2027, 2, 28)
    steps = milestones(period)
    assert [s.deadline for s in steps] == [
        date(2026, 1, 20),
        date(2026, 1, 31),
        date(2027, 1, 31),
        date(2027, 2, 28),
    ]
    assert current_milestone(period, date(2026, 1, 25)).name == "plan_approved"
    quarter = make_period(kind="tw1")
    assert [s.name for s in milestones(quarter)] == ["assessed"]
    assert [s.name for s in steps][:2] == ["plan_submitted", "plan_approved"]
    first = steps[0]
    assert current_milestone(period, first.deadline) == first
    assert current_milestone(period, steps[-1].deadline.replace(year=2100)) == steps[-1]
    assert "draft" not in first.reached_states and "plan_review" in first.reached_states
    assert "plan_review" not in steps[1].reached_states


def test_an_atasan_further_up_the_line_reads_the_skp_their_team_view_lists(city):
    """kabid > kasi > koordinator > staf3: kabid is neither appraiser nor their superior."""
    kasi_position = city["kasi"].employee.position
    koordinator = make_position(city["opd"], "Koordinator Pelayanan", "pelaksana", kasi_position)
    staf3 = make_position(city["opd"], "Pengadministrasi Umum", "pelaksana", koordinator)
    lead = make_employee("Koordinator Hutagalung", koordinator)
    worker = make_employee("Staf Simanjuntak", staf3)
    period = make_period()
    appraisal = Appraisal(
        employee_id=worker.id,
        period_id=period.id,
        opd_id=city["opd"].id,
        appraiser_id=lead.id,
        workflow="skp_annual",
        state="draft",
    )
    db.session.add(appraisal)
    db.session.commit()
    assert policy.can_view_appraisal(city["kabid"], appraisal)
    assert not policy.can_view_appraisal(city["staf"], appraisal)
    assert not policy.can_view_appraisal(city["kadis_b"], appraisal)
