"""The appraisal page and its action forms over HTTP, with CSRF on."""

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Appraisal, AuditEvent, Employee, Task
from tests.factories import (
    make_account,
    make_employee,
    make_opd,
    make_period,
    make_position,
)
from tests.workflow_helpers import appraisal_in_state

VERSION = re.compile(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"')


@pytest.fixture
def skp(team):
    appraisal = appraisal_in_state(team, make_period(), "plan_review")
    db.session.commit()
    return appraisal


def _events(appraisal_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(AuditEvent.appraisal_id == appraisal_id)
    )


def _form_version(page: str) -> str:
    match = VERSION.search(page)
    return match.group(1) or match.group(2)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("staf", 200),  # the appraisee
        ("kasi", 200),  # the appraiser
        ("kabid", 200),  # the appraiser's superior
        ("verifikator", 200),
        ("admin", 200),
        ("kadis", 200),  # head of the OPD
        ("staf2", 404),  # another pegawai of the same unit
        ("other_atasan", 404),  # an atasan in another OPD
    ],
)
def test_who_may_see_an_appraisal(team, skp, browser, who, status):
    if who == "other_atasan":
        opd = make_opd("DISDIK", "Dinas Pendidikan", "dinas")
        team[who] = make_account(make_employee("Kasi Lain", make_position(opd, "Kasi", "pengawas")))
    browser.login(team[who].employee.nip)
    assert browser.get(f"/appraisals/{skp.id}").status_code == status


def test_anonymous_is_sent_to_sign_in(skp, client):
    response = client.get(f"/appraisals/{skp.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_page_shows_step_actions_history_and_diagram(team, skp, browser):
    team["kasi"].locale = "en"
    browser.login(team["kasi"].employee.nip)
    page = browser.get(f"/appraisals/{skp.id}").get_data(as_text=True)
    assert "Current step: Plan approval" in page
    assert f"/appraisals/{skp.id}/act/approve_plan" in page
    assert f"/appraisals/{skp.id}/act/return_plan" in page
    assert "<svg" in page and 'data-state="plan_review"' in page
    assert re.search(r'data-state="plan_review"[^>]*aria-current="step"', page) or re.search(
        r'aria-current="step"[^>]*data-state="plan_review"', page
    )


def test_appraisee_sees_no_actions_of_the_appraiser(team, skp, browser):
    browser.login(team["staf"].employee.nip)
    page = browser.get(f"/appraisals/{skp.id}").get_data(as_text=True)
    assert "/act/approve_plan" not in page
    assert browser.get(f"/appraisals/{skp.id}/act/approve_plan").status_code == 302


def test_get_on_an_action_link_changes_nothing(team, skp, browser):
    browser.login(team["kasi"].employee.nip)
    page = browser.get(f"/appraisals/{skp.id}/act/approve_plan")
    assert page.status_code == 200
    assert _events(skp.id) == 0
    assert db.session.get(Appraisal, skp.id).state == "plan_review"


def test_approve_over_http_then_history_shows_it(team, skp, browser):
    browser.login(team["kasi"].employee.nip)
    form = browser.get(f"/appraisals/{skp.id}/act/approve_plan").get_data(as_text=True)
    response = browser.post(
        f"/appraisals/{skp.id}/act/approve_plan",
        {"version": _form_version(form), "comment": "Rencana sudah baik."},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Appraisal, skp.id).state == "self_assessment"
    page = browser.get(f"/appraisals/{skp.id}").get_data(as_text=True)
    assert "Rencana sudah baik." in page


def test_required_comment_missing_is_refused_on_the_field(team, skp, browser):
    browser.login(team["kasi"].employee.nip)
    response = browser.post(
        f"/appraisals/{skp.id}/act/return_plan", {"version": skp.version, "comment": "  "}
    )
    assert response.status_code == 422
    assert "invalid-feedback" in response.get_data(as_text=True)
    assert _events(skp.id) == 0


def test_second_tab_is_told_who_moved_it_and_changes_nothing(team, skp, browser, new_browser):
    first, second = browser, new_browser()
    for tab in (first, second):
        tab.login(team["kasi"].employee.nip)
    version = skp.version
    first.post(f"/appraisals/{skp.id}/act/approve_plan", {"version": version})
    stale = second.post(
        f"/appraisals/{skp.id}/act/return_plan",
        {"version": version, "comment": "Kembalikan"},
        follow_redirects=True,
    )
    page = stale.get_data(as_text=True)
    assert team["kasi"].employee.name in page
    assert "Penilaian mandiri" in page  # the step it was moved to
    assert _events(skp.id) == 1
    db.session.expire_all()
    assert db.session.get(Appraisal, skp.id).state == "self_assessment"


def test_replayed_form_changes_nothing(team, skp, browser):
    browser.login(team["kasi"].employee.nip)
    data = {"version": skp.version}
    browser.post(f"/appraisals/{skp.id}/act/approve_plan", data)
    replay = browser.post(f"/appraisals/{skp.id}/act/approve_plan", data)
    assert replay.status_code == 303
    assert _events(skp.id) == 1


def test_non_browser_client_gets_409(team, skp, browser):
    browser.login(team["kasi"].employee.nip)
    data = {"version": skp.version}
    browser.post(f"/appraisals/{skp.id}/act/approve_plan", data)
    replay = browser.post(
        f"/appraisals/{skp.id}/act/approve_plan", data, headers={"Accept": "application/json"}
    )
    assert replay.status_code == 409
    body = replay.get_json()
    assert body["error"] == "conflict" and body["state"] == "self_assessment"
    assert team["kasi"].employee.name in body["message"]


def test_action_without_csrf_is_rejected(team, skp, browser):
    browser.login(team["kasi"].employee.nip)
    response = browser.client.post(
        f"/appraisals/{skp.id}/act/approve_plan", data={"version": skp.version}
    )
    assert response.status_code == 400
    assert _events(skp.id) == 0


def test_someone_without_the_role_gets_403_and_nothing_changes(team, skp, browser):
    browser.login(team["verifikator"].employee.nip)  # may see it, may not approve the plan
    response = browser.post(f"/appraisals/{skp.id}/act/approve_plan", {"version": skp.version})
    assert response.status_code == 403
    assert _events(skp.id) == 0


def test_admin_reassigns_after_a_mutasi_and_open_tasks_move(team, skp, browser):
    # The kasi moves to another post; the kabid's new kasi takes over the team.
    old_kasi = db.session.get(Employee, team["kasi"].employee_id)
    kasi_position = old_kasi.position
    old_kasi.position = None
    new_kasi = make_account(make_employee("Kasi Baru Simanjuntak", kasi_position))
    db.session.commit()
    browser.login(team["admin"].employee.nip)
    response = browser.post(f"/appraisals/{skp.id}/reassign", {"version": skp.version})
    assert response.status_code == 302
    db.session.expire_all()
    appraisal = db.session.get(Appraisal, skp.id)
    assert appraisal.appraiser_id == new_kasi.employee_id
    task = db.session.scalars(
        sa.select(Task).where(Task.appraisal_id == skp.id, Task.closed_at.is_(None))
    ).one()
    assert task.assignee_id == new_kasi.employee_id
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.appraisal_id == skp.id)).one()
    assert event.trigger == "reassign" and event.actor_id == team["admin"].employee_id
    assert "Kasi Baru Simanjuntak" in event.comment


def test_reassign_is_for_admin_only(team, skp, browser):
    browser.login(team["kasi"].employee.nip)
    assert (
        browser.post(f"/appraisals/{skp.id}/reassign", {"version": skp.version}).status_code == 403
    )


def test_generic_action_form_shows_the_steps_own_fields(team, browser):
    """The objection decision's form carries ratings; the confirmation page shows them."""
    appraisal = appraisal_in_state(team, make_period(), "objection")
    db.session.commit()
    team["kabid"].locale = "en"
    browser.login(team["kabid"].employee.nip)
    page = browser.get(f"/appraisals/{appraisal.id}/act/decide_objection").get_data(as_text=True)
    assert 'name="rating_hk"' in page and 'name="rating_pk"' in page
    assert 'name="comment"' in page
