"""The next step, decided once: the stage box's table, completeness guards, overviews, budgets."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from app.extensions import db
from app.models import Appraisal, Behaviour, Iki, Rhk
from app.seed import content
from app.skp.next_action import Facts, decision_url, next_action
from app.workflow.engine import available, fire
from app.workflow.errors import GuardFailed
from tests.factories import make_account, make_employee, make_period, make_position
from tests.test_query_budget import BUDGET, _statements
from tests.workflow_helpers import appraisal_in_state

EMPTY = Facts(plan_ready=False, ikis=5, with_realisasi=0, expectations=0, ratings_given=False)
DONE = Facts(plan_ready=True, ikis=5, with_realisasi=5, expectations=7, ratings_given=True)
MY = {"appraisee"}
BOSS = {"appraiser"}


@pytest.mark.parametrize(
    ("state", "turn", "roles", "facts", "expected"),
    [
        ("draft", "appraisee", MY, EMPTY, ("Draft the SKP plan", "skp.plan", None)),
        ("draft", "appraisee", MY, DONE, ("Submit the SKP plan", "appraisals.act", "submit_plan")),
        ("draft", "appraisee", BOSS, EMPTY, None),  # not the atasan's turn
        ("plan_review", "appraiser", BOSS, EMPTY, ("Set the ekspektasi", "skp.expectations", None)),
        (
            "plan_review",
            "appraiser",
            BOSS,
            DONE,
            ("Check and approve the SKP plan", "skp.plan", None),
        ),
        ("plan_review", "appraiser", MY, EMPTY, None),
        (
            "self_assessment",
            "appraisee",
            MY,
            EMPTY,
            ("Record the realisasi of 5 IKI", "skp.realisasi", None),
        ),
        (
            "self_assessment",
            "appraisee",
            MY,
            Facts(ikis=5, with_realisasi=3),
            ("Record the realisasi of 2 IKI", "skp.realisasi", None),
        ),
        (
            "self_assessment",
            "appraisee",
            MY,
            DONE,
            ("Submit the self-assessment", "appraisals.act", "submit_assessment"),
        ),
        ("self_assessment", "appraisee", MY, Facts(ikis=5, locked=True), None),  # deadline passed
        (
            "supervisor_review",
            "appraiser",
            BOSS,
            Facts(ikis=12, ikis_without_feedback=10, ratings_given=False),
            ("Complete the umpan balik of 10 IKI", "skp.review", None),
        ),
        (
            "supervisor_review",
            "appraiser",
            BOSS,
            Facts(ikis=5, behaviours_without_feedback=7),
            ("Complete the umpan balik of 7 perilaku kerja values", "skp.review", None),
        ),
        (
            "supervisor_review",
            "appraiser",
            BOSS,
            Facts(ikis=5, ratings_given=False),
            ("Give the ratings", "skp.review", None),
        ),
        (
            "supervisor_review",
            "appraiser",
            BOSS,
            DONE,
            ("Approve the review", "appraisals.act", "approve_review"),
        ),
        ("supervisor_review", "appraiser", MY, DONE, None),
        (
            "verification",
            "verifikator_bkd",
            {"verifikator_bkd"},
            DONE,
            ("Verify this SKP", "skp.verification", None),
        ),
        (
            "objection",
            "appraiser_superior",
            {"appraiser_superior"},
            DONE,
            ("Decide the objection", "skp.objection", None),
        ),
        ("final", None, MY, DONE, None),
    ],
)
def test_the_next_action_for_each_step_and_viewer(app, state, turn, roles, facts, expected):
    with app.test_request_context(), force_locale("en"):  # the msgids themselves
        found = next_action(state, turn, roles, facts)
        assert (found and (found.label, found.endpoint, found.trigger)) == expected


@pytest.mark.parametrize(
    ("trigger", "path"),
    [
        ("approve_review", "/appraisals/7/review"),
        ("approve_plan", "/appraisals/7/plan"),
        ("decide_objection", "/appraisals/7/objection"),
        ("file_objection", "/appraisals/7/act/file_objection"),
    ],
)
def test_an_emailed_step_lands_where_it_is_decided(app, trigger, path):
    with app.test_request_context():
        assert decision_url(7, trigger) == path


def _without_feedback(appraisal: Appraisal, keep: int = 0) -> None:
    """No umpan balik, except on the first `keep` BerAKHLAK values."""
    ikis = db.session.scalars(sa.select(Iki).join(Rhk).where(Rhk.appraisal_id == appraisal.id))
    for iki in ikis:
        iki.feedback = None
    rows = db.session.scalars(
        sa.select(Behaviour).where(Behaviour.appraisal_id == appraisal.id).order_by(Behaviour.id)
    )
    for index, row in enumerate(rows):
        row.feedback = "Baik." if index < keep else None
    db.session.commit()


def test_the_review_cannot_be_approved_with_umpan_balik_missing_and_says_what(team, browser):
    appraisal = appraisal_in_state(team, make_period(), "supervisor_review")
    _without_feedback(appraisal, keep=2)
    kasi = team["kasi"]
    assert "approve_review" not in [t.trigger for t in available(appraisal, kasi)]
    with pytest.raises(GuardFailed) as refused:
        fire(appraisal, "approve_review", kasi, {})
    db.session.rollback()
    assert "1 dari 1 IKI" in refused.value.message
    assert "5 dari 7 nilai perilaku kerja" in refused.value.message

    browser.login(kasi.employee.nip)
    url = f"/appraisals/{appraisal.id}/act/approve_review"
    answer = browser.post(url, {"version": appraisal.version}, follow_redirects=True)
    page = answer.get_data(as_text=True)
    assert "Umpan balik belum diisi untuk 1 dari 1 IKI." in page
    assert db.session.get(Appraisal, appraisal.id).state == "supervisor_review"

    content.rate(appraisal, "sesuai", "sesuai")
    db.session.commit()
    fire(appraisal, "approve_review", kasi, {})
    assert appraisal.state == "verification"


def test_bkd_cannot_finalise_what_its_checklist_marks_incomplete(team):
    appraisal = appraisal_in_state(team, make_period(), "verification")
    _without_feedback(appraisal, keep=7)
    verifier = team["verifikator"]
    with pytest.raises(GuardFailed) as refused:
        fire(appraisal, "finalise", verifier, {})
    db.session.rollback()
    assert "belum dapat ditetapkan final: umpan balik belum diisi" in refused.value.message
    content.rate(appraisal, "sesuai", "sesuai")
    db.session.commit()
    fire(appraisal, "finalise", verifier, {})
    assert appraisal.state == "final"


def test_after_final_the_atasan_reads_the_review_but_cannot_change_it(team, browser):
    appraisal = appraisal_in_state(team, make_period(), "final")
    db.session.commit()
    url = f"/appraisals/{appraisal.id}/review"
    browser.login(team["kasi"].employee.nip)
    page = browser.get(url)
    assert page.status_code == 200
    assert "data-review-readonly" in page.get_data(as_text=True)
    posted = browser.post(
        url, {"version": appraisal.version, "rating_hk": "di_atas", "rating_pk": "di_atas"}
    )
    assert posted.status_code == 403
    db.session.expire_all()
    assert db.session.get(Appraisal, appraisal.id).rating_hk == "sesuai"
    browser.logout()
    browser.login(team["staf"].employee.nip)  # the appraisee has no review page
    assert browser.get(url).status_code == 403


def _team_of(team, size: int, period) -> None:
    """`size` subordinates of the kasi, each with an SKP in the period at some step."""
    position = make_position(
        team["opd"], "Pengelola Layanan", "pelaksana", team["kasi"].employee.position
    )
    states = ("draft", "self_assessment", "supervisor_review", "verification", "final")
    for n in range(size):
        employee = make_employee(f"Pegawai {n:02d}", position)
        team[f"member{n}"] = make_account(employee)
        appraisal_in_state(team, period, states[n % len(states)], f"member{n}")
    db.session.commit()


def test_team_skp_runs_the_same_statements_for_3_and_30_subordinates(app, team):
    small, large = make_period(2026), make_period(2027)
    _team_of(team, 3, small)
    nip = team["kasi"].employee.nip
    status_small, few = _statements(app, nip, f"/team-skp?period={small.id}")
    _team_of({**team}, 30, large)
    status_large, many = _statements(app, nip, f"/team-skp?period={large.id}")
    assert (status_small, status_large) == (200, 200)
    assert few == many <= BUDGET


def test_my_skp_runs_the_same_statements_for_1_and_5_periods(app, team):
    appraisal_in_state(team, make_period(2020), "final")
    nip = team["staf"].employee.nip
    status_one, one = _statements(app, nip, "/my-skp")
    for year in (2021, 2022, 2023, 2024):
        appraisal_in_state(team, make_period(year), "final" if year % 2 else "self_assessment")
    status_five, five = _statements(app, nip, "/my-skp")
    assert (status_one, status_five) == (200, 200)
    assert one == five <= BUDGET


@pytest.mark.parametrize(
    ("start", "trigger", "who", "reader", "page"),
    [
        ("plan_review", "return_plan", "kasi", "staf", "plan"),
        ("supervisor_review", "return_review", "kasi", "staf", "realisasi"),
        ("verification", "return_verification", "verifikator", "kasi", "review"),
        ("verification", "return_verification", "verifikator", "kasi", ""),
    ],
)
def test_pages_with_the_return_reason_stay_within_budget(
    app, team, start, trigger, who, reader, page
):
    appraisal = appraisal_in_state(team, make_period(), start)
    fire(appraisal, trigger, team[who], {"comment": "Perbaiki bagian ini."})
    db.session.commit()
    path = f"/appraisals/{appraisal.id}" + (f"/{page}" if page else "")
    status, count = _statements(app, team[reader].employee.nip, path)
    assert status == 200
    assert count <= BUDGET
