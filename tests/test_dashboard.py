"""The old progress dashboard's URL: it leads to the monitor, which shows what it showed.

The kepala OPD sees their OPD, BKD every OPD, an atasan their team, others nothing.
The monitor's own figures are tested in tests/test_monitor_pages.py.
"""

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
    """The counts of the monitor table's total row, per step."""
    import re

    total = re.search(r'<tr data-row="total".*?</tr>', page, re.S).group(0)
    return {
        key: int(count)
        for key, count in re.findall(rf'data-{attribute}="(\w+)"[^>]*data-count="(\d+)"', total)
    }


def _follow(browser, path: str):
    response = browser.get(path)
    assert response.status_code == 302
    return browser.get(response.headers["Location"])


def test_kepala_opd_sees_their_opds_progress(city, browser):
    team, _ = city
    browser.login(team["kadis"].employee.nip)
    page = _follow(browser, "/dashboard").get_data(as_text=True)
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
    page = _follow(browser, "/dashboard").get_data(as_text=True)
    assert "data-row=" not in page  # no SKP in the other OPD yet


@pytest.mark.parametrize(("who", "status"), [("staf", 403), ("kasi", 200), ("verifikator", 200)])
def test_who_may_watch_progress(city, browser, who, status):
    team, _ = city
    browser.login(team[who].employee.nip)
    response = browser.get("/dashboard")
    if response.status_code == 302:
        response = browser.get(response.headers["Location"])
    assert response.status_code == status


def test_bkd_may_pick_any_opd(city, browser):
    team, other = city
    browser.login(team["admin"].employee.nip)
    assert _follow(browser, f"/dashboard?opd={other.id}").status_code == 200
    assert _follow(browser, f"/dashboard?opd={team['opd'].id}").status_code == 200


def test_dashboard_is_within_the_query_budget(app, city):
    team, _ = city
    path = f"/monitor/opd/{team['opd'].id}"
    status, count = _statements(app, team["kadis"].employee.nip, path)
    assert status == 200
    assert count <= BUDGET
