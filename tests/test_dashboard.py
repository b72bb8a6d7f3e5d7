"""The progress dashboard: the kepala OPD sees their OPD, BKD every OPD, others nothing."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Task
from tests.factories import make_account, make_employee, make_opd, make_period, make_position
from tests.test_query_budget import BUDGET, _statements
from tests.workflow_helpers import appraisal_in_state


@pytest.fixture
def city(team):
    """In the team's OPD: one draft (overdue), one final rated Baik; another OPD with a head."""
    period = make_period()
    appraisal_in_state(team, period, "draft")
    final = appraisal_in_state(team, period, "final", employee_key="staf2")
    final.predikat = "baik"
    db.session.execute(
        sa.update(Task)
        .where(Task.closed_at.is_(None))
        .values(due_date=date.today() - timedelta(days=2))
    )
    other = make_opd("DISDIK", "Dinas Pendidikan", "dinas")
    team["other_head"] = make_account(
        make_employee("Kadis Pendidikan", make_position(other, "Kepala Dinas Pendidikan", "jpt"))
    )
    db.session.commit()
    return team, other


def _rows(page: str, attribute: str) -> dict[str, int]:
    import re

    return {
        key: int(count)
        for key, count in re.findall(rf'data-{attribute}="(\w+)"[^>]*data-count="(\d+)"', page)
    }


def test_kepala_opd_sees_their_opds_progress(city, browser):
    team, _ = city
    browser.login(team["kadis"].employee.nip)
    page = browser.get("/dashboard").get_data(as_text=True)
    states = _rows(page, "state")
    assert states["draft"] == 1 and states["final"] == 1 and states["plan_review"] == 0
    assert 'data-overdue="1"' in page
    assert '<tr data-predikat="baik"><td>Baik</td><td class="text-end">1</td>' in page


def test_kepala_opd_cannot_see_another_opd(city, browser):
    team, other = city
    browser.login(team["kadis"].employee.nip)
    assert browser.get(f"/dashboard?opd={other.id}").status_code == 404
    browser.logout()
    browser.login(team["other_head"].employee.nip)
    page = browser.get("/dashboard").get_data(as_text=True)
    assert all(count == 0 for count in _rows(page, "state").values())


@pytest.mark.parametrize(("who", "status"), [("staf", 403), ("kasi", 403), ("verifikator", 200)])
def test_who_may_watch_progress(city, browser, who, status):
    team, _ = city
    browser.login(team[who].employee.nip)
    assert browser.get("/dashboard").status_code == status


def test_bkd_may_pick_any_opd(city, browser):
    team, other = city
    browser.login(team["admin"].employee.nip)
    assert browser.get(f"/dashboard?opd={other.id}").status_code == 200
    assert browser.get(f"/dashboard?opd={team['opd'].id}").status_code == 200


def test_dashboard_is_within_the_query_budget(app, city):
    team, _ = city
    status, count = _statements(app, team["kadis"].employee.nip, "/dashboard")
    assert status == 200
    assert count <= BUDGET
