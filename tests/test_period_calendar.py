"""The statutory calendar: a new period proposes it, departures need a reason and are recorded,
and the appraiser's steps are due on it (PermenPANRB 8/2021 Lampiran E, PermenPANRB 6/2022)."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import OutboxMessage, Period, PeriodCalendarChange, Task
from app.notifications.reminders import send_reminders
from app.periods.calendar import proposed_calendar
from app.workflow.engine import fire
from tests.factories import make_period
from tests.workflow_helpers import appraisal_in_state

REASON = "Agenda daerah: penetapan SKP bersamaan dengan rapat kerja Februari."


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (
            "annual",
            {
                "start_date": date(2027, 1, 1),
                "end_date": date(2027, 12, 31),
                "plan_deadline": date(2027, 1, 14),
                "plan_approval_deadline": date(2027, 1, 31),
                "assessment_deadline": date(2028, 1, 15),
                "review_deadline": date(2028, 1, 31),
            },
        ),
        (
            "tw1",
            {
                "start_date": date(2027, 1, 1),
                "end_date": date(2027, 3, 31),
                "plan_deadline": date(2027, 1, 14),
                "plan_approval_deadline": date(2027, 1, 31),
                "assessment_deadline": date(2027, 4, 15),
                "review_deadline": date(2027, 4, 30),
            },
        ),
        (
            "tw2",
            {
                "start_date": date(2027, 4, 1),
                "end_date": date(2027, 6, 30),
                "plan_deadline": date(2027, 4, 1),
                "plan_approval_deadline": date(2027, 4, 1),
                "assessment_deadline": date(2027, 7, 15),
                "review_deadline": date(2027, 7, 31),
            },
        ),
        (
            "tw4",
            {
                "start_date": date(2027, 10, 1),
                "end_date": date(2027, 12, 31),
                "plan_deadline": date(2027, 10, 1),
                "plan_approval_deadline": date(2027, 10, 1),
                "assessment_deadline": date(2028, 1, 15),
                "review_deadline": date(2028, 1, 31),
            },
        ),
    ],
)
def test_the_statutory_calendar(kind, expected):
    assert proposed_calendar(2027, kind) == expected


def form_data(year: int, kind: str) -> dict:
    """The period's fields other than its dates."""
    workflow = "skp_annual" if kind == "annual" else "skp_periodic"
    return {"name": f"SKP {kind} {year}", "year": str(year), "kind": kind, "workflow": workflow}


def post_data(year: int, kind: str, **changes) -> dict:
    """A whole period form with the statutory dates, except `changes`."""
    data = form_data(year, kind)
    data |= {name: value.isoformat() for name, value in proposed_calendar(year, kind).items()}
    return data | changes


@pytest.fixture
def admin(team, browser):
    team["admin"].locale = "en"
    db.session.commit()
    browser.login(team["admin"].employee.nip)
    return team["admin"]


def test_a_new_period_proposes_the_statutory_dates(admin, browser):
    page = browser.get("/admin/periods/new").get_data(as_text=True)
    for value in proposed_calendar(date.today().year, "annual").values():
        assert f'value="{value.isoformat()}"' in page
    # Another year and kind: the proposal follows them, nothing is saved.
    response = browser.post(
        "/admin/periods/new", form_data(2029, "tw3") | {"propose": "Propose the statutory dates"}
    )
    page = response.get_data(as_text=True)
    assert 'value="2029-10-15"' in page and 'value="2029-10-31"' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Period)) == 0


def test_the_statutory_dates_need_no_reason(admin, browser):
    assert browser.post("/admin/periods/new", post_data(2027, "annual")).status_code == 302
    period = db.session.scalars(sa.select(Period)).one()
    assert period.plan_approval_deadline == date(2027, 1, 31)
    assert period.review_deadline == date(2028, 1, 31)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PeriodCalendarChange)) == 0


def test_a_date_changed_without_a_reason_is_refused_with_a_clear_message(admin, browser):
    data = post_data(2027, "annual", plan_approval_deadline="2027-02-28")
    response = browser.post("/admin/periods/new", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "differ from the statutory calendar" in page
    assert "Deadline of the plan approval (appraiser)" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Period)) == 0

    assert browser.post("/admin/periods/new", data | {"calendar_reason": REASON}).status_code == 302
    period = db.session.scalars(sa.select(Period)).one()
    change = db.session.scalars(sa.select(PeriodCalendarChange)).one()
    assert (change.period_id, change.field, change.reason) == (
        period.id,
        "plan_approval_deadline",
        REASON,
    )
    assert (change.proposed, change.old_value, change.new_value) == (
        date(2027, 1, 31),
        None,
        date(2027, 2, 28),
    )
    assert change.changed_by_id == admin.id
    # The edit page shows the record.
    page = browser.get(f"/admin/periods/{period.id}/edit").get_data(as_text=True)
    assert "data-calendar-changes" in page and REASON in page


def test_an_edit_away_from_the_calendar_needs_a_reason_too(admin, browser):
    browser.post("/admin/periods/new", post_data(2027, "tw1"))
    period = db.session.scalars(sa.select(Period)).one()
    data = post_data(2027, "tw1", review_deadline="2027-05-15")
    refused = browser.post(f"/admin/periods/{period.id}/edit", data)
    assert "differ from the statutory calendar" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Period, period.id).review_deadline == date(2027, 4, 30)
    saved = browser.post(f"/admin/periods/{period.id}/edit", data | {"calendar_reason": REASON})
    assert saved.status_code == 302
    change = db.session.scalars(sa.select(PeriodCalendarChange)).one()
    assert (change.field, change.old_value, change.new_value) == (
        "review_deadline",
        date(2027, 4, 30),
        date(2027, 5, 15),
    )


def test_the_appraisers_steps_are_due_on_the_calendar_and_escalate_after_it(team):
    period = make_period()
    period.plan_approval_deadline = date.today() + timedelta(days=9)
    period.review_deadline = date.today() + timedelta(days=40)
    appraisal = appraisal_in_state(team, period, "draft")
    fire(appraisal, "submit_plan", team["staf"], {})

    def open_task() -> Task:
        return db.session.scalars(
            sa.select(Task).where(Task.appraisal_id == appraisal.id, Task.closed_at.is_(None))
        ).one()

    task = open_task()
    assert (task.state, task.due_date) == ("plan_review", period.plan_approval_deadline)
    # plan_review escalates 5 days after its due date, to the appraiser's atasan.
    send_reminders(period.plan_approval_deadline + timedelta(days=5))
    escalated = db.session.scalars(
        sa.select(OutboxMessage.recipient).where(
            OutboxMessage.recipient == team["kabid"].employee.email
        )
    ).all()
    assert escalated
    fire(appraisal, "approve_plan", team["kasi"], {})
    fire(appraisal, "submit_assessment", team["staf"], {})
    task = open_task()
    assert (task.state, task.due_date) == ("supervisor_review", period.review_deadline)
