"""Daily digests: the mail mode each user chooses, and new BKD verification work in one mail."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import Account, Digest, Notice, OutboxMessage, Task
from app.notifications.digest import send_digests
from app.notifications.reminders import send_reminders
from app.outbox.worker import send_batch
from app.workflow.engine import fire
from tests.factories import make_account, make_employee, make_period, make_team
from tests.test_mail_delivery import links_in, smtp_fixture  # noqa: F401 (fixture `smtp`)
from tests.workflow_helpers import appraisal_in_state

TODAY = date(2026, 3, 10)


def _digest_run(day: date) -> int:
    """Run the digest for `day` and deliver; how many digests it wrote."""
    result = send_digests(day)
    db.session.commit()
    send_batch()
    return result.digests


def test_a_digest_reader_gets_one_mail_a_day_listing_steps_and_reminders(app, smtp, browser):
    team = make_team()
    team["kasi"].mail_mode = "digest"
    period = make_period()
    first = appraisal_in_state(team, period, "draft")
    fire(first, "submit_plan", team["staf"], {"comment": "Mohon diperiksa"})
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0  # not mailed now
    task = db.session.scalars(
        sa.select(Task).where(Task.appraisal_id == first.id, Task.closed_at.is_(None))
    ).one()
    task.due_date = TODAY + timedelta(days=1)
    send_reminders(TODAY)  # due soon: also for the digest

    assert _digest_run(TODAY) == 1
    (digest,) = smtp.messages
    assert digest["To"] == team["kasi"].employee.email
    body = digest.get_body(("plain",)).get_content()
    assert body.count(team["staf"].employee.nip) == 2  # the step and the reminder
    assert "Mohon diperiksa" in body
    assert len(links_in(digest)) == 2

    # Later the same day: more work, but no second digest until tomorrow.
    second = appraisal_in_state(team, period, "draft", "staf2")
    fire(second, "submit_plan", team["staf2"], {})
    db.session.commit()
    assert _digest_run(TODAY) == 0
    assert len(smtp.messages) == 1
    assert _digest_run(TODAY + timedelta(days=1)) == 1
    tomorrow = smtp.messages[1].get_body(("plain",)).get_content()
    assert team["staf2"].employee.nip in tomorrow and team["staf"].employee.nip not in tomorrow
    assert _digest_run(TODAY + timedelta(days=2)) == 0

    # Its links are bound to the reader and open the task like any other.
    browser.login(team["kasi"].employee.nip)
    landed = browser.get(links_in(smtp.messages[1])[0])
    assert landed.headers["Location"].endswith(f"/appraisals/{second.id}")


def _staff(team, n: int) -> list[str]:
    """n more employees in the staff position (appraised by the kasi), with accounts."""
    position = team["staf"].employee.position
    for i in range(n):
        team[f"pegawai{i}"] = make_account(make_employee(f"Pegawai {i}", position))
    return [f"pegawai{i}" for i in range(n)]


def test_verifiers_learn_of_new_verification_work_in_one_digest_not_one_mail_each(app, smtp):
    team = make_team()
    period = make_period()
    people = _staff(team, 7)
    verifier_emails = {team[k].employee.email for k in ("verifikator", "verifikator2")}
    reviews = [_in_review(team, period, key) for key in people[:5]]
    for appraisal in reviews:
        fire(appraisal, "approve_review", team["kasi"], {})
    db.session.commit()
    send_batch()
    assert not [m for m in smtp.messages if m["To"] in verifier_emails]

    assert _digest_run(TODAY) == 2
    digests = [m for m in smtp.messages if m["To"] in verifier_emails]
    assert len(digests) == 2
    for digest in digests:
        body = digest.get_body(("plain",)).get_content()
        assert all(team[key].employee.nip in body for key in people[:5])
        assert len(links_in(digest)) == 5
    assert _digest_run(TODAY) == 0

    # Tomorrow only what is new since; one claimed meanwhile is not new work.
    sixth, seventh = (_in_review(team, period, key) for key in people[5:])
    fire(sixth, "approve_review", team["kasi"], {})
    fire(seventh, "approve_review", team["kasi"], {})
    claimed = db.session.scalars(
        sa.select(Task).where(Task.appraisal_id == seventh.id, Task.closed_at.is_(None))
    ).one()
    claimed.claimed_by_id = team["verifikator"].employee_id
    db.session.commit()
    assert _digest_run(TODAY + timedelta(days=1)) == 2
    latest = [m for m in smtp.messages if m["To"] in verifier_emails][-2:]
    for digest in latest:
        assert len(links_in(digest)) == 1
        assert team[people[5]].employee.nip in digest.get_body(("plain",)).get_content()
    assert db.session.scalar(sa.select(sa.func.count()).where(Notice.kind == "new_work")) == 12


def _in_review(team, period, key: str):
    return appraisal_in_state(team, period, "supervisor_review", employee_key=key)


def test_tasks_digest_command_sends_at_most_one_digest_per_person_and_day(app):
    team = make_team()
    team["kasi"].mail_mode = "digest"
    appraisal = appraisal_in_state(team, make_period(), "draft")
    fire(appraisal, "submit_plan", team["staf"], {})
    db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["tasks", "digest", "--today", "2026-03-10"])
    second = runner.invoke(args=["tasks", "digest", "--today", "2026-03-10"])
    assert "digests 1, items 1" in first.output, first.output
    assert "digests 0, items 0" in second.output, second.output
    assert db.session.scalar(sa.select(sa.func.count(Digest.id))) == 1
    message = db.session.scalars(sa.select(OutboxMessage)).one()
    assert message.template == "digest" and message.recipient == team["kasi"].employee.email


def test_each_user_chooses_immediate_mail_or_a_daily_digest(app, browser):
    team = make_team()
    browser.login(team["staf"].employee.nip)
    assert browser.get("/account/mail").status_code == 200
    response = browser.post("/account/mail", {"mail_mode": "digest"}, token_from="/account/mail")
    assert response.status_code == 302
    account = db.session.get(Account, team["staf"].id)
    db.session.refresh(account)
    assert account.mail_mode == "digest"

    bad = browser.post("/account/mail", {"mail_mode": "weekly"}, token_from="/account/mail")
    assert bad.status_code == 200 and "invalid-feedback" in bad.get_data(as_text=True)
    db.session.refresh(account)
    assert account.mail_mode == "digest"
    assert "/account/mail" in browser.get("/account").get_data(as_text=True)
