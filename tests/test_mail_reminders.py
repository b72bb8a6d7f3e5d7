"""Reminders and escalation with a frozen clock: each rule goes out exactly once."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import Notice, Task
from app.notifications.reminders import send_reminders
from app.outbox.worker import send_batch
from tests.factories import make_period, make_team
from tests.test_mail_delivery import links_in, smtp_fixture  # noqa: F401 (fixture `smtp`)
from tests.workflow_helpers import appraisal_in_state

DUE = date(2026, 3, 10)


def _open_task(appraisal_id: int) -> Task:
    return db.session.scalars(
        sa.select(Task).where(Task.appraisal_id == appraisal_id, Task.closed_at.is_(None))
    ).one()


def _team_in_english():
    team = make_team()
    for key in ("staf", "staf2", "kasi", "kabid", "kadis"):
        team[key].locale = "en"
    return team


def _kind(subject: str) -> str:
    # A long subject may be folded right after "Subject:"; unfolded, it starts with a space.
    subject = subject.strip()
    if subject.startswith("[SIKAP] Reminder:"):
        return "due_soon"
    if subject.startswith("[SIKAP] Overdue since"):
        return "overdue"
    assert subject.startswith("[SIKAP] Overdue at"), subject
    return "escalation"


def test_every_reminder_and_escalation_goes_out_once_on_its_day(app, smtp):
    team = _team_in_english()
    period = make_period()
    # draft: remind 3 days before, escalate 7 days after; plan_review: 2 and 5.
    drafting = appraisal_in_state(team, period, "draft")
    reviewing = appraisal_in_state(team, period, "plan_review", "staf2")
    for appraisal in (drafting, reviewing):
        _open_task(appraisal.id).due_date = DUE
    db.session.commit()

    arrived: dict[date, list[tuple[str, str]]] = {}
    day = DUE - timedelta(days=6)
    while day <= DUE + timedelta(days=12):
        for _run in range(2):  # cron may run twice a day: the second run adds nothing
            send_reminders(day)
            db.session.commit()
        before = len(smtp.messages)
        send_batch()
        for message in smtp.messages[before:]:
            arrived.setdefault(day, []).append((message["To"], _kind(message["Subject"])))
        day += timedelta(days=1)

    email = {key: team[key].employee.email for key in ("staf", "kasi", "kabid")}
    expected = {
        DUE - timedelta(days=3): [(email["staf"], "due_soon")],
        DUE - timedelta(days=2): [(email["kasi"], "due_soon")],
        DUE + timedelta(days=1): [(email["staf"], "overdue"), (email["kasi"], "overdue")],
        DUE + timedelta(days=5): [(email["kabid"], "escalation")],  # kasi's atasan
        DUE + timedelta(days=7): [(email["kasi"], "escalation")],  # staf's atasan
    }
    assert {d: sorted(v) for d, v in arrived.items()} == {d: sorted(v) for d, v in expected.items()}
    # The escalation is a copy: the tasks stay with their holders.
    assert _open_task(drafting.id).assignee_id == team["staf"].employee_id
    assert _open_task(reviewing.id).assignee_id == team["kasi"].employee_id


def test_a_reminder_names_the_appraisal_and_deadline_and_links_to_the_task(app, smtp, browser):
    team = _team_in_english()
    appraisal = appraisal_in_state(team, make_period(), "plan_review")
    _open_task(appraisal.id).due_date = DUE
    db.session.commit()
    send_reminders(DUE - timedelta(days=1))
    db.session.commit()
    send_batch()
    (mail,) = smtp.messages
    body = mail.get_body(("plain",)).get_content()
    assert team["staf"].employee.nip in body and team["staf"].employee.name in body
    assert "Plan approval" in body and "Mar 10, 2026" in body
    *actions, open_link = links_in(mail)
    assert len(actions) == 2  # approve and return: each opens a confirmation
    browser.login(team["kasi"].employee.nip)
    assert browser.get(open_link).headers["Location"].endswith(f"/appraisals/{appraisal.id}")


def test_a_late_first_run_sends_the_overdue_notice_and_escalation_but_no_stale_reminder(app):
    team = make_team()
    appraisal = appraisal_in_state(team, make_period(), "draft")
    _open_task(appraisal.id).due_date = DUE
    result = send_reminders(DUE + timedelta(days=30))
    assert (result.due_soon, result.overdue, result.escalation) == (0, 1, 1)
    kinds = db.session.execute(sa.select(Notice.kind, Notice.recipient_id)).all()
    assert sorted(kinds) == [
        ("escalation", team["kasi"].employee_id),
        ("overdue", team["staf"].employee_id),
    ]


def test_claimed_group_tasks_remind_the_claimer_and_unclaimed_ones_nobody(app):
    team = make_team()
    period = make_period()
    claimed = appraisal_in_state(team, period, "verification")
    unclaimed = appraisal_in_state(team, period, "verification", "staf2")
    _open_task(claimed.id).claimed_by_id = team["verifikator"].employee_id
    for appraisal in (claimed, unclaimed):
        _open_task(appraisal.id).due_date = DUE
    result = send_reminders(DUE + timedelta(days=20))
    assert (result.overdue, result.escalation) == (1, 0)
    notice = db.session.scalars(sa.select(Notice)).one()
    assert (notice.task_id, notice.recipient_id) == (
        _open_task(claimed.id).id,
        team["verifikator"].employee_id,
    )


def test_tasks_remind_command_is_idempotent_within_a_day(app):
    team = make_team()
    appraisal = appraisal_in_state(team, make_period(), "draft")
    _open_task(appraisal.id).due_date = DUE
    db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["tasks", "remind", "--today", "2026-03-08"])
    second = runner.invoke(args=["tasks", "remind", "--today", "2026-03-08"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert "due soon 1," in first.output
    assert "due soon 0, overdue 0, escalated 0" in second.output
    assert runner.invoke(args=["tasks", "remind", "--today", "8-3-2026"]).exit_code == 2
    assert db.session.scalar(sa.select(sa.func.count(Notice.id))) == 1
