"""Step deadlines: the appraisee's entries lock after them unless admin BKD extends them."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import DeadlineExtension
from app.periods.deadlines import ExtensionRefused, grant_extension
from app.workflow.deadlines import appraisee_edit_locked, lock_message
from tests.factories import make_period, make_team
from tests.workflow_helpers import appraisal_in_state

PLAN_DEADLINE = date(2026, 1, 31)
ASSESSMENT_DEADLINE = date(2027, 1, 15)
DEADLINES = {"plan_deadline": PLAN_DEADLINE, "assessment_deadline": ASSESSMENT_DEADLINE}


@pytest.mark.parametrize(
    ("state", "today", "locked"),
    [
        ("draft", PLAN_DEADLINE, False),
        ("draft", PLAN_DEADLINE + timedelta(days=1), True),
        ("self_assessment", PLAN_DEADLINE + timedelta(days=1), False),
        ("self_assessment", ASSESSMENT_DEADLINE, False),
        ("self_assessment", ASSESSMENT_DEADLINE + timedelta(days=1), True),
        # Steps without a deadline of the period are never locked by one.
        ("plan_review", ASSESSMENT_DEADLINE + timedelta(days=100), False),
        ("supervisor_review", ASSESSMENT_DEADLINE + timedelta(days=100), False),
    ],
)
def test_edits_lock_after_the_deadline_of_the_step(app, state, today, locked):
    team = make_team()
    appraisal = appraisal_in_state(team, make_period(**DEADLINES), state)
    assert appraisee_edit_locked(appraisal, today) is locked
    assert (lock_message(appraisal, today) is not None) is locked


def test_an_extension_unlocks_the_step_until_its_new_date(app):
    team = make_team()
    appraisal = appraisal_in_state(team, make_period(**DEADLINES), "draft")
    late = PLAN_DEADLINE + timedelta(days=5)
    assert appraisee_edit_locked(appraisal, late)
    grant_extension(
        appraisal, "draft", PLAN_DEADLINE + timedelta(days=10), "Sakit", team["admin"], today=late
    )
    assert not appraisee_edit_locked(appraisal, late)
    assert not appraisee_edit_locked(appraisal, PLAN_DEADLINE + timedelta(days=10))
    assert appraisee_edit_locked(appraisal, PLAN_DEADLINE + timedelta(days=11))
    # An extension of another step changes nothing here.
    other = appraisal_in_state(
        team, make_period(2027, **DEADLINES), "self_assessment", employee_key="staf2"
    )
    grant_extension(other, "draft", date(2027, 3, 1), "Cuti", team["admin"], today=date(2027, 2, 1))
    assert appraisee_edit_locked(other, date(2028, 1, 16))


def test_the_lock_message_names_the_deadline(app):
    team = make_team()
    team["staf"].locale = "en"
    appraisal = appraisal_in_state(team, make_period(**DEADLINES), "draft")
    from flask_babel import force_locale

    with force_locale("en"):
        message = lock_message(appraisal, PLAN_DEADLINE + timedelta(days=1))
    assert "January 31, 2026" in message and "extension" in message


@pytest.mark.parametrize(
    ("step", "new", "reason", "field"),
    [
        ("draft", PLAN_DEADLINE, "Sakit", "new_deadline"),  # not after the deadline
        ("draft", PLAN_DEADLINE + timedelta(days=3), "   ", "reason"),
        ("draft", PLAN_DEADLINE + timedelta(days=1), "Sakit", "new_deadline"),  # in the past
        ("plan_review", PLAN_DEADLINE + timedelta(days=9), "Sakit", "step"),
    ],
)
def test_a_bad_extension_is_refused(app, step, new, reason, field):
    team = make_team()
    appraisal = appraisal_in_state(team, make_period(**DEADLINES), "draft")
    with pytest.raises(ExtensionRefused) as refused:
        grant_extension(
            appraisal, step, new, reason, team["admin"], today=PLAN_DEADLINE + timedelta(days=2)
        )
    assert refused.value.field == field
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DeadlineExtension)) == 0


def _extension_data(nip: str, changes: dict | None = None) -> dict:
    return {
        "nip": nip,
        "step": "draft",
        "new_deadline": (date.today() + timedelta(days=7)).isoformat(),
        "reason": "Dinas luar kota selama penyusunan SKP",
    } | (changes or {})


def test_admin_grants_an_extension_and_sees_it_in_the_log(app, browser):
    team = make_team()
    period = make_period(**DEADLINES)
    appraisal = appraisal_in_state(team, period, "draft")
    browser.login(team["admin"].employee.nip)
    url = f"/admin/periods/{period.id}/extensions"
    response = browser.post(url, _extension_data(team["staf"].employee.nip))
    assert response.status_code == 302
    extension = db.session.scalars(sa.select(DeadlineExtension)).one()
    assert (extension.appraisal_id, extension.step, extension.granted_by_id) == (
        appraisal.id,
        "draft",
        team["admin"].id,
    )
    assert not appraisee_edit_locked(appraisal, date.today())
    page = browser.get(url).get_data(as_text=True)
    assert team["staf"].employee.nip in page
    assert "Dinas luar kota selama penyusunan SKP" in page and team["admin"].employee.name in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"nip": "199001012015011999"}, "No appraisal in this period for this NIP."),
        ({"reason": ""}, "Give the reason for the extension."),
        ({"new_deadline": "2026-01-15"}, "must be after the current one"),
        ({"new_deadline": "kemarin"}, "Not a valid date"),
        ({"step": "final"}, "Not a valid choice"),
    ],
)
def test_a_bad_extension_form_shows_a_message_and_writes_nothing(app, browser, changes, message):
    team = make_team()
    team["admin"].locale = "en"
    period = make_period(**DEADLINES)
    appraisal_in_state(team, period, "draft")
    browser.login(team["admin"].employee.nip)
    response = browser.post(
        f"/admin/periods/{period.id}/extensions",
        _extension_data(team["staf"].employee.nip, changes),
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DeadlineExtension)) == 0


def test_only_admin_bkd_grants_extensions(app, browser):
    team = make_team()
    period = make_period(**DEADLINES)
    appraisal_in_state(team, period, "draft")
    browser.login(team["kasi"].employee.nip)
    url = f"/admin/periods/{period.id}/extensions"
    assert browser.post(url, _extension_data(team["staf"].employee.nip)).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DeadlineExtension)) == 0
