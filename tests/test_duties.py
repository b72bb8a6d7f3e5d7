"""Who may act on a verification: a claim is exclusive, and whoever rated an SKP never verifies it.

Go-live findings 9 and 10: a verifier's claim on a group task did not stop a
second verifier from finalising it, and a verifier who was also the appraiser
could rate an SKP and then verify and finalise it.
"""

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.inbox import services as inbox
from app.models import Appraisal, RoleGrant
from app.skp.review.services import ReviewInput, save_review
from app.workflow.engine import available, fire
from app.workflow.errors import HeldByOther, NotAllowed
from app.workflow.roles import appraisal_roles
from app.workflow.tasks import open_task_of
from tests.factories import make_period
from tests.workflow_helpers import appraisal_in_state, snapshot


@pytest.fixture
def waiting(team):
    """The staff's SKP waiting for BKD verification."""
    appraisal = appraisal_in_state(team, make_period(2026), "verification")
    db.session.commit()
    return appraisal


def test_a_claimed_task_refuses_another_verifier_naming_the_holder(team, waiting):
    inbox.claim(open_task_of(waiting), team["verifikator"])
    db.session.commit()
    before = snapshot(waiting.id)
    with pytest.raises(HeldByOther) as refused:
        fire(waiting, "finalise", team["verifikator2"], {})
    db.session.rollback()
    assert "Verifikator Harahap" in refused.value.message
    assert snapshot(waiting.id) == before
    assert available(waiting, team["verifikator2"]) == []
    # The holder acts as before.
    fire(waiting, "finalise", team["verifikator"], {})
    assert waiting.state == "final"


def test_a_claimed_task_refuses_another_verifier_over_http(team, waiting, browser):
    inbox.claim(open_task_of(waiting), team["verifikator"])
    db.session.commit()
    browser.login(team["verifikator2"].employee.nip)
    response = browser.post(f"/appraisals/{waiting.id}/act/finalise", {"version": waiting.version})
    assert response.status_code == 302
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Verifikator Harahap" in page
    assert db.session.scalar(sa.select(Appraisal.state).where(Appraisal.id == waiting.id)) == (
        "verification"
    )


def test_an_unclaimed_task_is_open_to_every_verifier(team, waiting):
    fire(waiting, "finalise", team["verifikator2"], {})
    assert waiting.state == "final"


def test_the_appraiser_who_is_a_verifier_cannot_verify_what_they_rated(team, waiting):
    # The kasi (the appraiser) is also a BKD verifier.
    db.session.add(RoleGrant(account_id=team["kasi"].id, role="verifikator_bkd"))
    db.session.commit()
    db.session.refresh(team["kasi"])
    assert "verifikator_bkd" in team["kasi"].granted_roles
    assert appraisal_roles(team["kasi"], waiting) == {"appraiser"}
    before = snapshot(waiting.id)
    with pytest.raises(NotAllowed):
        fire(waiting, "finalise", team["kasi"], {})
    db.session.rollback()
    assert snapshot(waiting.id) == before


def test_a_verifier_who_rated_before_a_reassignment_cannot_verify(team):
    appraisal = appraisal_in_state(team, make_period(2026), "supervisor_review")
    db.session.add(RoleGrant(account_id=team["kasi"].id, role="verifikator_bkd"))
    db.session.flush()
    db.session.refresh(team["kasi"])
    save_review(
        appraisal,
        team["kasi"],
        ReviewInput("sesuai", "sesuai", None, {}, {}),
        seen_version=appraisal.version,
    )
    fire(appraisal, "approve_review", team["kasi"], {})
    # The SKP moves to another appraiser (a mutasi); the kasi rated it all the same.
    appraisal.appraiser_id = team["kabid"].employee_id
    db.session.flush()
    assert "verifikator_bkd" not in appraisal_roles(team["kasi"], appraisal)
    assert "verifikator_bkd" in appraisal_roles(team["verifikator"], appraisal)
