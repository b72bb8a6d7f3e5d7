"""Never a task with no holder (go-live finding 5).

The kepala OPD's keberatan went to the Sekda's atasan, whom SIKAP does not
know: the deciding task went to nobody and the SKP stayed in `objection` for
ever. A step whose next task nobody can hold is now refused, saying so, and
BKD sees beforehand which appraisals it concerns.
"""

import pytest

from app.extensions import db
from app.periods.holders import appraisals_without_decider
from app.workflow.engine import fire
from app.workflow.errors import NoHolder
from tests.factories import make_period
from tests.test_periods import _run
from tests.workflow_helpers import appraisal_in_state, snapshot


@pytest.fixture
def heads_final(team):
    """The kabid's SKP, final: the appraiser is the kadis, who heads the tree in SIKAP."""
    appraisal = appraisal_in_state(team, make_period(2026), "final", employee_key="kabid")
    db.session.commit()
    return appraisal


def test_an_objection_nobody_could_decide_is_refused_with_nothing_written(team, heads_final):
    before = snapshot(heads_final.id)
    with pytest.raises(NoHolder) as refused:
        fire(heads_final, "file_objection", team["kabid"], {"comment": "Saya keberatan " * 3})
    db.session.rollback()
    assert refused.value.role == "appraiser_superior"
    assert snapshot(heads_final.id) == before


def test_the_appraisee_is_told_why_over_http(team, heads_final, browser):
    browser.login(team["kabid"].employee.nip)
    response = browser.post(
        f"/appraisals/{heads_final.id}/act/file_objection",
        {"version": heads_final.version, "comment": "Saya keberatan atas penilaian ini."},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "tidak ada yang memegang peran itu" in page
    assert snapshot(heads_final.id)["state"] == "final"


def test_an_objection_with_a_decider_still_goes_through(team):
    appraisal = appraisal_in_state(team, make_period(2026), "final")
    fire(appraisal, "file_objection", team["staf"], {"comment": "Saya keberatan " * 3})
    assert appraisal.state == "objection"


def test_bkd_sees_the_appraisals_without_a_decider_after_opening(app, team, browser):
    period = make_period(status="draft")
    browser.login(team["admin"].employee.nip)
    response = browser.post(f"/admin/periods/{period.id}/open", {}, token_from="/reset")
    job = _run(app, int(response.headers["Location"].rstrip("/").split("/")[-1]))
    assert job.status == "done", job.error
    assert [row.name for row in appraisals_without_decider(period)] == [team["kabid"].employee.name]
    page = browser.get(f"/admin/periods/jobs/{job.id}").get_data(as_text=True)
    assert 'id="without-decider"' in page
    assert team["kabid"].employee.name in page and team["kasi"].employee.name not in page
    result = app.test_cli_runner().invoke(args=["periods", "holders", "--period", period.id])
    assert team["kabid"].employee.nip in result.output
    assert "1 appraisal(s) without a keberatan decider" in result.output
