"""Tim kerja (issue 14): a team across units whose shared result appears in members' plans.

The test team (kadis > kabid > kasi > staf, staf2) gets a second seksi under the
kabid: kasi2 appraises staf3. The team "Tim Imunisasi Kejar" has staf (lead) and
staf3, so it crosses the two seksi; kasi gives one of their RHK to it.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.appraisals.services import open_appraisal
from app.cascade.services import matrix, opd_coverage
from app.extensions import db
from app.models import Rhk, TeamAssignment, TimKerja, TimKerjaMember, Unit
from app.skp.document.services import render_html
from app.skp.plan.services import atasan_rhk_options, plan_problems
from tests.factories import make_account, make_employee, make_opd, make_period, make_position

TEAM_NAME = "Tim Imunisasi Kejar"
RESULT = "Cakupan imunisasi kejar di wilayah kerja tercatat lengkap"


@pytest.fixture
def org(team):
    opd = team["opd"]
    seksi1 = Unit(opd_id=opd.id, name="Seksi Pelayanan Primer")
    seksi2 = Unit(opd_id=opd.id, name="Seksi Surveilans dan Imunisasi")
    db.session.add_all([seksi1, seksi2])
    db.session.flush()
    for key in ("kasi", "staf"):
        team[key].employee.position.unit_id = seksi1.id
    kabid_position = team["kabid"].employee.position
    kasi2 = make_position(opd, "Kepala Seksi Surveilans", "pengawas", kabid_position)
    kasi2.unit_id = seksi2.id
    surveilans = make_position(opd, "Pengelola Data Surveilans", "pelaksana", kasi2)
    surveilans.unit_id = seksi2.id
    people = {
        "kasi2": make_account(make_employee("Kasi Ginting", kasi2)),
        "staf3": make_account(make_employee("Rina Simanjuntak", surveilans)),
    }
    disdik = make_opd("DISDIK", "Dinas Pendidikan")
    people["kadis_b"] = make_account(
        make_employee("Kadis Pendidikan", make_position(disdik, "Kepala Dinas", "jpt"))
    )
    people["guru"] = make_account(
        make_employee("Guru Lain", make_position(disdik, "Guru", "fungsional"))
    )
    period = make_period()
    every = {**team, **people}
    skp = {
        key: open_appraisal(every[key].employee, period)
        for key in ("kabid", "kasi", "kasi2", "staf", "staf2", "staf3")
    }
    k1 = Rhk(appraisal_id=skp["kasi"].id, group_="utama", text="K1 Layanan primer sesuai standar")
    k2 = Rhk(appraisal_id=skp["kasi"].id, group_="utama", text="K2 Imunisasi kejar terlaksana")
    db.session.add_all([k1, k2])
    db.session.flush()
    tim = TimKerja(
        opd_id=opd.id,
        period_id=period.id,
        name=TEAM_NAME,
        purpose="Mengejar imunisasi dasar yang tertinggal.",
        lead_id=team["staf"].employee_id,
        created_by_id=team["kadis"].id,
    )
    tim.members = [
        TimKerjaMember(employee_id=team["staf"].employee_id),
        TimKerjaMember(employee_id=people["staf3"].employee_id),
    ]
    db.session.add(tim)
    db.session.commit()
    return {**every, "period": period, "skp": skp, "k1": k1, "k2": k2, "tim": tim}


def give_to_team(browser, org, result: str = RESULT):
    browser.login(org["kasi"].employee.nip)
    url = f"/appraisals/{org['skp']['kasi'].id}/matriks"
    return browser.post(
        f"{url}/tim",
        {
            "team-atasan_rhk_id": org["k2"].id,
            "team-tim_kerja_id": org["tim"].id,
            "team-role": "Menyisir sasaran imunisasi per kelurahan",
            "team-result": result,
        },
        token_from=url,
    )


def team_rhks(appraisal_id: int) -> list[Rhk]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(Rhk).where(Rhk.appraisal_id == appraisal_id, Rhk.tim_kerja_id.is_not(None))
        )
    )


def test_a_team_assignment_prefills_each_members_draft_plan_marked_as_the_teams(org, browser, app):
    response = give_to_team(browser, org)
    assert response.status_code == 302
    for key in ("staf", "staf3"):  # staf3 is in another seksi, appraised by kasi2
        (rhk,) = team_rhks(org["skp"][key].id)
        assert (rhk.text, rhk.group_, rhk.atasan_rhk_id, rhk.tim_kerja_id) == (
            RESULT,
            "utama",
            org["k2"].id,
            org["tim"].id,
        )
    assert team_rhks(org["skp"]["staf2"].id) == []  # not a member
    # The atasan's matrix shows the team's cell and, in staf's column, the team's RHK.
    matrix_page = browser.get(f"/appraisals/{org['skp']['kasi'].id}/matriks")
    assert matrix_page.status_code == 200
    shown = matrix_page.get_data(as_text=True)
    assert f'data-team-cell="{org["k2"].id}-{org["tim"].id}"' in shown
    assert f'data-team-result="{org["tim"].id}"' in shown
    # The cross-unit member's link is a valid one: offered in their plan and not "unlinked".
    staf3_skp = db.session.get(type(org["skp"]["staf3"]), org["skp"]["staf3"].id)
    assert org["k2"].id in {r.id for r in atasan_rhk_options(staf3_skp)}
    assert not [p for p in plan_problems(staf3_skp) if "not linked" in p]
    # Shown on the member's plan page and in the printed document.
    browser.logout()
    browser.login(org["staf3"].employee.nip)
    page = browser.get(f"/appraisals/{staf3_skp.id}/plan").get_data(as_text=True)
    assert f"Hasil kerja bersama tim {TEAM_NAME}" in page
    with app.test_request_context():
        assert f"Hasil kerja bersama tim {TEAM_NAME}" in render_html(staf3_skp, for_screen=True)
    # Giving it again changes the matrix only: no second RHK.
    browser.logout()
    assert give_to_team(browser, org, "Cakupan tercatat").status_code == 302
    assert len(team_rhks(org["skp"]["staf"].id)) == 1


def test_a_member_added_later_gets_the_teams_results(org, browser):
    give_to_team(browser, org)
    browser.logout()
    browser.login(org["kadis"].employee.nip)
    url = f"/tim-kerja/{org['tim'].id}"
    members = [org["staf"].employee_id, org["staf3"].employee_id, org["staf2"].employee_id]
    response = browser.post(
        url,
        {
            "name": TEAM_NAME,
            "purpose": "Mengejar imunisasi dasar yang tertinggal.",
            "lead_id": org["staf"].employee_id,
            "member_ids": members,
            "version": 1,
        },
        token_from=url,
    )
    assert response.status_code == 302
    (rhk,) = team_rhks(org["skp"]["staf2"].id)
    assert (rhk.text, rhk.atasan_rhk_id, rhk.tim_kerja_id) == (RESULT, org["k2"].id, org["tim"].id)
    assert len(team_rhks(org["skp"]["staf"].id)) == 1  # those already in: nothing twice


def test_coverage_counts_a_team_assignment(org, browser):
    """Nobody's plan is a draft, so no RHK links to K2: only the team assignment covers it."""
    for key in ("staf", "staf3"):
        org["skp"][key].state = "plan_review"
    db.session.commit()
    kasi = org["skp"]["kasi"]
    assert matrix(kasi).covered == set()
    assert give_to_team(browser, org).status_code == 302
    assert team_rhks(org["skp"]["staf"].id) == []  # nothing pre-filled
    after = matrix(kasi)
    assert after.covered == {org["k2"].id}
    assert [r.id for r in after.uncovered] == [org["k1"].id]
    rows = {r.name: r for r in opd_coverage(org["period"].id, org["opd"].id)}
    assert (rows["Kasi Nasution, S.Kep."].rhks, rows["Kasi Nasution, S.Kep."].covered) == (2, 1)


def test_a_members_team_rhk_is_no_orphan_for_their_own_atasan(org, browser):
    give_to_team(browser, org)
    # staf3's team RHK links to kasi's RHK, not to one of their own atasan (kasi2).
    (rhk,) = team_rhks(org["skp"]["staf3"].id)
    assert matrix(org["skp"]["kasi2"]).orphans == []
    rows = {r.name: r for r in opd_coverage(org["period"].id, org["opd"].id)}
    assert rows["Kasi Ginting"].orphans == 0
    # The same RHK without the team's mark would be one.
    rhk.tim_kerja_id = None
    db.session.commit()
    assert [r.id for _, r in matrix(org["skp"]["kasi2"]).orphans] == [rhk.id]


def test_clearing_a_team_assignment_keeps_the_members_rhk(org, browser):
    give_to_team(browser, org)
    given = db.session.scalars(sa.select(TeamAssignment)).one()
    url = f"/appraisals/{org['skp']['kasi'].id}/matriks"
    response = browser.post(f"{url}/tim/{given.id}/hapus", token_from=url)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TeamAssignment)) == 0
    assert len(team_rhks(org["skp"]["staf"].id)) == 1
    # As after clearing a cell: staf's RHK still links to K2, so K2 stays supported by staf.
    kasi = matrix(org["skp"]["kasi"])
    assert kasi.teams == {} and kasi.covered == {org["k2"].id}
    assert kasi.cell(org["k2"].id, org["skp"]["staf"].id).linked


def team_form(org, **changes) -> dict:
    data = {
        "name": TEAM_NAME,
        "purpose": "Mengejar imunisasi dasar yang tertinggal.",
        "lead_id": org["staf"].employee_id,
        "member_ids": [org["staf"].employee_id, org["staf3"].employee_id],
        "version": 1,
    }
    return data | changes


@pytest.mark.parametrize("who", ["kadis_b", "staf", "kasi"])
def test_only_the_kepala_opd_or_admin_edits_the_team(org, browser, who):
    url = f"/tim-kerja/{org['tim'].id}"
    browser.login(org[who].employee.nip)
    # The lead (staf) reads it; the kepala of another OPD and a non-member do not.
    assert browser.get(url).status_code == (200 if who == "staf" else 403)
    response = browser.post(url, team_form(org, name="Tim Diambil Alih"), token_from="/reset")
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(TimKerja, org["tim"].id).name == TEAM_NAME


def test_two_edits_of_a_team_at_once_one_wins_the_other_is_told(org, browser, new_browser):
    url = f"/tim-kerja/{org['tim'].id}"
    browser.login(org["kadis"].employee.nip)
    other = new_browser()
    other.login(org["admin"].employee.nip)
    first = browser.post(url, team_form(org, name="Tim Imunisasi Kejar 2026"), token_from=url)
    assert first.status_code == 302
    late = other.post(url, team_form(org, name="Tim Kejar Lama"), token_from=url)
    assert late.status_code == 302 and late.headers["Location"].endswith(url)
    told = other.get(url).get_data(as_text=True)
    assert "diubah orang lain" in told or "changed by someone else" in told
    db.session.expire_all()
    found = db.session.get(TimKerja, org["tim"].id)
    assert (found.name, found.version) == ("Tim Imunisasi Kejar 2026", 2)


def test_a_member_from_another_opd_is_refused_and_nothing_is_written(org, browser):
    url = f"/tim-kerja/{org['tim'].id}"
    browser.login(org["kadis"].employee.nip)
    outsider = [org["staf"].employee_id, org["guru"].employee_id]
    response = browser.post(url, team_form(org, member_ids=outsider), token_from=url)
    assert response.status_code == 422
    db.session.expire_all()
    members = db.session.scalars(
        sa.select(TimKerjaMember.employee_id).where(TimKerjaMember.tim_kerja_id == org["tim"].id)
    ).all()
    assert sorted(members) == sorted([org["staf"].employee_id, org["staf3"].employee_id])


def test_the_kepala_opd_forms_a_team(org, browser):
    browser.login(org["kadis"].employee.nip)
    url = f"/tim-kerja/baru?opd={org['opd'].id}&period={org['period'].id}"
    assert browser.get(url).status_code == 200
    data = team_form(org, name="Tim Data Kunjungan", lead_id=org["staf3"].employee_id)
    response = browser.post(url, data | {"version": 0}, token_from=url)
    assert response.status_code == 302
    formed = db.session.scalars(sa.select(TimKerja).where(TimKerja.name == "Tim Data Kunjungan"))
    assert formed.one().lead_id == org["staf3"].employee_id
