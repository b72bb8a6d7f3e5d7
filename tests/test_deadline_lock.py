"""A step's deadline locks the appraisee's plan and realisasi edits, unless extended."""

from datetime import date, timedelta

import pytest

from app.extensions import db
from app.models import DeadlineExtension
from tests.factories import make_period
from tests.workflow_helpers import appraisal_in_state


@pytest.mark.parametrize(
    ("state", "deadline", "page", "field"),
    [
        ("draft", "plan_deadline", "plan", "approach"),
        ("self_assessment", "assessment_deadline", "realisasi", "iki_"),
    ],
)
def test_deadline_locks_the_appraisees_edits_until_extended(
    team, browser, state, deadline, page, field
):
    period = make_period()
    appraisal = appraisal_in_state(team, period, state)
    setattr(period, deadline, date.today() - timedelta(days=1))
    team["staf"].locale = "en"
    db.session.commit()
    browser.login(team["staf"].employee.nip)
    locked = browser.get(f"/appraisals/{appraisal.id}/{page}").get_data(as_text=True)
    assert "so your entries are locked" in locked
    assert f'name="{field}' not in locked  # read-only: no form fields
    db.session.add(
        DeadlineExtension(
            appraisal_id=appraisal.id,
            step=state,
            new_deadline=date.today() + timedelta(days=7),
            reason="Sakit, surat dokter terlampir",
            granted_by_id=team["admin"].id,
        )
    )
    db.session.commit()
    extended = browser.get(f"/appraisals/{appraisal.id}/{page}").get_data(as_text=True)
    assert "so your entries are locked" not in extended
    assert f'name="{field}' in extended
