"""Starting SKP segments from the admin's employee page and the roster import; exclusions."""

import re
from datetime import date

import pytest
import sqlalchemy as sa

from app.dashboard.services import opd_progress
from app.extensions import db
from app.models import Appraisal, AuditEvent, Employee, PlanningExclusion, Task
from app.periods.opening import PeriodOpener
from app.periods.segments import start_segment
from tests.factories import make_period, make_position
from tests.test_query_budget import BUDGET, _statements
from tests.test_roster import apply, as_csv, dinkes_rows, upload

JULY_1 = date(2026, 7, 1)


def _segments(employee_id: int) -> list[Appraisal]:
    return list(
        db.session.scalars(
            sa.select(Appraisal)
            .where(Appraisal.employee_id == employee_id)
            .order_by(Appraisal.segment)
        )
    )


@pytest.fixture
def opened(team):
    period = make_period(2026)
    PeriodOpener(period).run()
    db.session.commit()
    return period


@pytest.fixture
def roster_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "ROSTER_UPLOAD_DIR", tmp_path / "roster")


def _form(page: str) -> dict:
    """The mutasi form's token and its (only) period choice, as the page offers them."""
    form = page.split("data-segment-form")[1]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    period = re.search(r'<option[^>]*value="(\d+-\d+)"', form.split('name="period"')[1])
    return {"csrf_token": token.group(1), "period": period.group(1)}


def test_the_admin_moves_an_employee_and_starts_a_segment(team, opened, browser):
    staf = team["staf"].employee
    target = make_position(
        team["opd"], "Analis Kebijakan", "fungsional", team["kabid"].employee.position
    )
    db.session.commit()
    browser.login(team["admin"].employee.nip)
    page = browser.get(f"/admin/employees/{staf.id}").get_data(as_text=True)
    assert "data-segment-form" in page
    data = _form(page) | {
        "position_id": target.id,
        "move_date": "2026-07-01",
    }
    response = browser.client.post(f"/admin/employees/{staf.id}/segment", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    first, second = _segments(staf.id)
    assert db.session.get(Employee, staf.id).position_id == target.id
    assert (first.end_date, first.appraiser_id) == (date(2026, 6, 30), team["kasi"].employee_id)
    assert (second.start_date, second.appraiser_id) == (JULY_1, team["kabid"].employee_id)

    # The same (now stale) form again: refused, told, nothing written.
    response = browser.client.post(
        f"/admin/employees/{staf.id}/segment", data=data | {"move_date": "2026-08-01"}
    )
    assert response.status_code == 302
    page = browser.get(f"/admin/employees/{staf.id}").get_data(as_text=True)
    assert "Orang lain baru saja memulai segmen SKP" in page or "Someone else" in page
    db.session.expire_all()
    assert len(_segments(staf.id)) == 2


def test_a_bad_move_date_from_the_form_changes_nothing(team, opened, browser):
    staf = team["staf"].employee
    before = staf.position_id
    target = make_position(
        team["opd"], "Analis Kebijakan", "fungsional", team["kabid"].employee.position
    )
    db.session.commit()
    browser.login(team["admin"].employee.nip)
    page = browser.get(f"/admin/employees/{staf.id}").get_data(as_text=True)
    data = _form(page) | {
        "position_id": target.id,
        "move_date": "2027-02-01",
    }
    response = browser.client.post(f"/admin/employees/{staf.id}/segment", data=data)
    assert response.status_code == 302
    page = browser.get(f"/admin/employees/{staf.id}").get_data(as_text=True)
    assert "harus berada dalam periode" in page or "must fall within the period" in page
    db.session.expire_all()
    assert db.session.get(Employee, staf.id).position_id == before  # the move was rolled back
    assert len(_segments(staf.id)) == 1


def test_the_roster_mutasi_offers_and_starts_a_segment(team, opened, browser, roster_dir):
    rows = dinkes_rows(team)
    rows[3] |= {
        "position": "Analis Kebijakan",
        "parent_position": "Kepala Bidang Pelayanan Kesehatan",
    }
    browser.login(team["admin"].employee.nip)
    report = upload(browser, as_csv(rows)).get_data(as_text=True)
    assert "data-segment-offer" in report
    token = re.search(r'name="token"[^>]*value="([^"]+)"', report).group(1)
    response = browser.post(
        "/admin/roster/apply", {"token": token, "complete_opds": [], "segment_from": "2026-07-01"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    staf = team["staf"].employee
    first, second = _segments(staf.id)
    # The old segment keeps the kasi (not reassigned); the new one has the kabid.
    assert (first.end_date, first.appraiser_id) == (date(2026, 6, 30), team["kasi"].employee_id)
    assert (second.start_date, second.appraiser_id) == (JULY_1, team["kabid"].employee_id)
    assert second.position_name == "Analis Kebijakan"
    assert not db.session.scalars(
        sa.select(AuditEvent).where(
            AuditEvent.appraisal_id == first.id, AuditEvent.trigger == "reassign"
        )
    ).all()


def test_a_roster_mutasi_without_a_date_reassigns_as_before(team, opened, browser, roster_dir):
    rows = dinkes_rows(team)
    rows[3] |= {
        "position": "Analis Kebijakan",
        "parent_position": "Kepala Bidang Pelayanan Kesehatan",
    }
    browser.login(team["admin"].employee.nip)
    report = upload(browser, as_csv(rows)).get_data(as_text=True)
    assert apply(browser, report, complete_opds=[]).status_code == 302
    db.session.expire_all()
    (only,) = _segments(team["staf"].employee_id)
    assert only.appraiser_id == team["kabid"].employee_id


def test_a_refused_roster_segment_writes_nothing(team, opened, browser, roster_dir):
    rows = dinkes_rows(team)
    rows[3] |= {
        "position": "Analis Kebijakan",
        "parent_position": "Kepala Bidang Pelayanan Kesehatan",
    }
    browser.login(team["admin"].employee.nip)
    report = upload(browser, as_csv(rows)).get_data(as_text=True)
    token = re.search(r'name="token"[^>]*value="([^"]+)"', report).group(1)
    before = db.session.get(Employee, team["staf"].employee_id).position_id
    # The running segment's own first day: no segment can start then; the whole import stops.
    response = browser.post(
        "/admin/roster/apply", {"token": token, "complete_opds": [], "segment_from": "2026-01-01"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Employee, team["staf"].employee_id).position_id == before
    assert len(_segments(team["staf"].employee_id)) == 1


def test_excluded_employees_are_skipped_by_opening_and_not_counted(team, browser):
    period = make_period(2026, status="draft")
    browser.login(team["admin"].employee.nip)
    page = browser.get("/admin/exclusions").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = browser.client.post(
        "/admin/exclusions",
        data={
            "csrf_token": token,
            "nip": team["staf2"].employee.nip,
            "period_id": period.id,
            "reason": "tugas_belajar",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "note": "SK 800/123",
        },
    )
    assert response.status_code == 302
    exclusion = db.session.scalars(sa.select(PlanningExclusion)).one()
    assert (exclusion.employee_id, exclusion.reason) == (team["staf2"].employee_id, "tugas_belajar")

    counts = PeriodOpener(period).run()
    assert counts.excluded == 1
    assert _segments(team["staf2"].employee_id) == []
    assert len(_segments(team["staf"].employee_id)) == 1
    progress = opd_progress(period, team["opd"].id)
    # kabid, kasi, staf: the excluded staf2 is neither opened nor counted.
    assert progress.total == 3


def test_an_exclusion_made_after_opening_leaves_the_completion_figures(team):
    period = make_period(2026)
    PeriodOpener(period).run()
    before = opd_progress(period, team["opd"].id).total
    db.session.add(
        PlanningExclusion(
            employee_id=team["staf2"].employee_id,
            period_id=period.id,
            reason="cltn",
            start_date=date(2026, 3, 1),
            end_date=date(2026, 12, 31),
            created_by_id=team["admin"].id,
        )
    )
    db.session.flush()
    assert opd_progress(period, team["opd"].id).total == before - 1


def test_an_employee_with_two_segments_counts_once(team):
    period = make_period(2026)
    PeriodOpener(period).run()
    before = opd_progress(period, team["opd"].id)
    staf = team["staf"].employee
    staf.position = make_position(
        team["opd"], "Analis", "fungsional", team["kabid"].employee.position
    )
    db.session.flush()
    start_segment(staf, period, JULY_1, team["admin"])
    after = opd_progress(period, team["opd"].id)
    assert after.total == before.total
    # The old segment's task is still open: tasks (real work) are all counted.
    open_tasks = db.session.scalar(
        sa.select(sa.func.count()).select_from(Task).where(Task.closed_at.is_(None))
    )
    assert open_tasks == before.total + 1


def test_exclusion_dates_outside_the_period_are_refused(team, browser):
    period = make_period(2026)
    db.session.commit()
    browser.login(team["admin"].employee.nip)
    page = browser.get("/admin/exclusions").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = browser.client.post(
        "/admin/exclusions",
        data={
            "csrf_token": token,
            "nip": team["staf2"].employee.nip,
            "period_id": period.id,
            "reason": "cltn",
            "start_date": "2025-12-01",
            "end_date": "2026-12-31",
        },
    )
    assert response.status_code == 200
    assert "dalam periode" in response.get_data(as_text=True)
    assert db.session.scalars(sa.select(PlanningExclusion)).all() == []


def test_pages_with_segments_stay_within_the_query_budget(app, team, opened):
    staf = team["staf"].employee
    staf.position = make_position(
        team["opd"], "Analis", "fungsional", team["kabid"].employee.position
    )
    db.session.flush()
    result = start_segment(staf, opened, JULY_1, team["admin"])
    db.session.commit()
    admin = team["admin"].employee.nip
    status, count = _statements(app, admin, f"/admin/employees/{staf.id}")
    assert status == 200 and count <= BUDGET
    for appraisal in (result.previous, result.segment):
        status, count = _statements(app, admin, f"/appraisals/{appraisal.id}")
        assert status == 200 and count <= BUDGET
