"""Pengelola kinerja (PermenPANRB 8/2021, Bab II A.4): drafts the plan of an employee who has
none by the second week of January; marked and audited as theirs, within their OPD only."""

from datetime import date

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Appraisal, AuditEvent, PengelolaKinerja
from app.workflow.engine import fire
from app.workflow.errors import NotAllowed
from app.workflow.roles import PENGELOLA_KINERJA, appraisal_roles
from tests.factories import make_account, make_employee, make_opd, make_period, make_position
from tests.workflow_helpers import appraisal_in_state


def _appoint(team, key):
    db.session.add(PengelolaKinerja(opd_id=team["opd"].id, account_id=team[key].id))
    db.session.flush()


@pytest.fixture
def draft(team):
    """The staf's annual plan, complete but never submitted; staf2 is the OPD's operator."""
    appraisal = appraisal_in_state(team, make_period(2026), "draft")
    _appoint(team, "staf2")
    db.session.commit()
    return appraisal


def test_the_kepala_opd_appoints_an_operator_of_their_opd_only(team, browser):
    other = make_opd("DISDIK", "Dinas Pendidikan")
    outsider = make_account(make_employee("Guru Lain", make_position(other, "Guru")))
    db.session.commit()
    browser.login(team["kadis"].employee.nip)
    response = browser.post(
        f"/admin/pengelola-kinerja?opd={team['opd'].id}", {"nip": outsider.employee.nip}
    )
    assert response.status_code == 422
    assert "Hanya akun aktif dari OPD ini" in response.get_data(as_text=True)
    response = browser.post(
        f"/admin/pengelola-kinerja?opd={team['opd'].id}", {"nip": team["staf2"].employee.nip}
    )
    assert response.status_code == 303
    row = db.session.scalar(sa.select(PengelolaKinerja))
    assert (row.opd_id, row.account_id, row.appointed_by_id) == (
        team["opd"].id,
        team["staf2"].id,
        team["kadis"].id,
    )
    # Not over another OPD.
    assert browser.get(f"/admin/pengelola-kinerja?opd={other.id}").status_code == 403


def test_an_operators_submission_is_marked_and_audited_as_theirs(team, draft, browser):
    operator = team["staf2"]
    browser.login(operator.employee.nip)
    # The operator has the plan editor (the appraisee's own page would be the same).
    page = browser.get(f"/appraisals/{draft.id}/plan").get_data(as_text=True)
    assert 'value="submit"' in page or "Ajukan" in page
    response = browser.post(
        f"/appraisals/{draft.id}/act/submit_plan", {"version": draft.version, "comment": ""}
    )
    assert response.status_code in (302, 303)
    db.session.expire_all()
    appraisal = db.session.get(Appraisal, draft.id)
    assert appraisal.state == "plan_review"
    assert appraisal.plan_drafted_by_id == operator.employee_id
    event = db.session.scalar(
        sa.select(AuditEvent)
        .where(AuditEvent.appraisal_id == draft.id)
        .order_by(AuditEvent.seq.desc())
    )
    assert (event.trigger, event.actor_id, event.role, event.on_behalf_of_id) == (
        "submit_plan",
        operator.employee_id,
        PENGELOLA_KINERJA,
        team["staf"].employee_id,
    )
    assert event.hash == event.compute_hash()
    # The plan says so, to the appraiser who now reviews it.
    browser.logout()
    browser.login(team["kasi"].employee.nip)
    response = browser.get(f"/appraisals/{draft.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[page.find("<title>") :][:200]
    assert "data-drafted-by" in page, page[page.find("<main") :][:1500]
    assert (
        f"pengelola kinerja {operator.employee.name} atas nama {team['staf'].employee.name}" in page
    )


def test_the_operator_never_approves_the_plan(team, draft):
    fire(draft, "submit_plan", team["staf2"], {})
    assert draft.state == "plan_review"
    with pytest.raises(NotAllowed):
        fire(draft, "approve_plan", team["staf2"], {})
    assert PENGELOLA_KINERJA not in appraisal_roles(team["staf2"], draft)


def test_no_operator_role_for_the_appraiser_nor_outside_the_opd(team, draft):
    # The appraiser appointed as operator stays the appraiser only (separation of duties).
    _appoint(team, "kasi")
    assert appraisal_roles(team["kasi"], draft) == {"appraiser"}
    # An operator of this OPD has no hand in another OPD's plan.
    other = make_opd("DISDIK", "Dinas Pendidikan")
    head = make_position(other, "Kepala Dinas Pendidikan", "jpt")
    kasi = make_position(other, "Kepala Seksi", "pengawas", head)
    make_employee("Kasi Lain", kasi)
    guru = make_account(make_employee("Guru", make_position(other, "Guru", "pelaksana", kasi)))
    foreign = appraisal_in_state({"guru": guru}, draft.period, "draft", employee_key="guru")
    assert PENGELOLA_KINERJA not in appraisal_roles(team["staf2"], foreign)
    with pytest.raises(NotAllowed):
        fire(foreign, "submit_plan", team["staf2"], {})


def test_only_after_the_second_week_of_january(team, draft):
    operator = team["staf2"]
    assert PENGELOLA_KINERJA not in appraisal_roles(operator, draft, date(2026, 1, 14))
    assert PENGELOLA_KINERJA in appraisal_roles(operator, draft, date(2026, 1, 15))


def test_the_operator_finds_the_plans_to_draft_from_home(team, draft, browser):
    browser.login(team["staf2"].employee.nip)
    assert "/admin/pengelola-kinerja/drafts" in browser.get("/").get_data(as_text=True)
    page = browser.get("/admin/pengelola-kinerja/drafts").get_data(as_text=True)
    assert team["staf"].employee.name in page
    assert f"/appraisals/{draft.id}/plan" in page
    browser.logout()
    browser.login(team["staf"].employee.nip)
    assert browser.get("/admin/pengelola-kinerja/drafts").status_code == 403


def test_an_operators_saved_draft_is_marked_but_not_the_appraisees_own(team, draft):
    from app.skp.plan.services import save_plan

    save_plan(draft, team["staf2"], "kuantitatif", [], seen_version=draft.version)
    assert draft.plan_drafted_by_id == team["staf2"].employee_id
    db.session.commit()
    # The appraisee's own save does not mark it.
    other = appraisal_in_state(team, make_period(2027), "draft", employee_key="staf2")
    save_plan(other, team["staf2"], "kuantitatif", [], seen_version=other.version)
    assert other.plan_drafted_by_id is None
