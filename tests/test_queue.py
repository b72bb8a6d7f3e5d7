"""The task queue: jobs go out with their commit, workers run them, the schedule replaces cron."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app.extensions import db
from app.jobs import queue
from app.models import Appraisal, Digest, Job, Notice, OutboxMessage, Task
from app.outbox.queue import enqueue_mail
from app.periods import jobs
from tests.factories import make_period, make_team
from tests.queue_helpers import run_queue, run_schedule_at
from tests.workflow_helpers import appraisal_in_state

APP = Path(__file__).resolve().parent.parent / "app"
JAKARTA = ZoneInfo("Asia/Jakarta")


def _count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _queued(app) -> list[tuple[str, dict, str | None]]:
    """(task, args, lock) of every job deferred so far, oldest first."""
    if db.engine.dialect.name == "postgresql":
        rows = db.session.execute(
            sa.text("SELECT task_name, args, lock FROM procrastinate_jobs ORDER BY id")
        )
        return [(name, args, lock) for name, args, lock in rows]
    kept = app.extensions["sikap_jobs"].kept
    return [(d.task.name, d.kwargs, d.lock or d.task.lock) for d in kept]


def _catch_all(app, monkeypatch) -> None:
    """Deliver to the development mailbox (mail is marked sent without an SMTP server)."""
    monkeypatch.setitem(app.config, "DEV_MAILBOX", True)
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)


def test_a_job_is_queued_by_the_commit_that_records_it_and_not_by_a_rollback(app):
    team = make_team()
    period = make_period(status="draft")
    db.session.commit()
    jobs.start_open_job(period, None, team["admin"])
    db.session.rollback()
    assert _queued(app) == []

    job = jobs.start_open_job(period, None, team["admin"])
    assert _queued(app) == []  # nothing before the commit
    db.session.commit()
    assert _queued(app) == [("periods.open", {"job_id": job.id}, f"period-{period.id}")]


def test_a_queued_opening_is_run_by_the_worker_once(app):
    team = make_team()
    period = make_period(status="draft")
    job = jobs.start_open_job(period, None, team["admin"])
    db.session.commit()
    assert db.session.get(Job, job.id).status == "queued"

    run_queue(app, ["default"])
    job = db.session.get(Job, job.id)
    assert (job.status, job.done, job.total) == ("done", 8, 8)
    assert _count(Appraisal) == 4 and _count(Task) == 4 and _count(OutboxMessage) == 4
    # The same task run again (a retry after its worker died at the very end) does nothing.
    finished_at = job.finished_at
    jobs.open_period_task(job.id)
    db.session.expire_all()
    assert db.session.get(Job, job.id).finished_at == finished_at
    assert _count(Appraisal) == 4 and _count(OutboxMessage) == 4


def test_mail_is_delivered_by_the_queue_after_the_commit_that_wrote_it(app, monkeypatch):
    _catch_all(app, monkeypatch)
    team = make_team()
    for n in range(3):
        enqueue_mail(
            team["staf"].employee.email,
            f"Tes {n}",
            "account_created",
            account=team["staf"],
            url="https://sikap.test/reset",
            hours=1,
        )
    db.session.commit()
    # One delivery for the transaction, however many mails it queued.
    assert [name for name, _args, _lock in _queued(app)] == ["outbox.deliver"]
    run_queue(app, ["mail"])
    assert _count(OutboxMessage, OutboxMessage.status == "sent") == 3


@pytest.mark.sqlite_only
def test_on_sqlite_the_admin_page_opens_a_period_in_process_and_finishes(app, browser, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_INLINE", True)
    _catch_all(app, monkeypatch)
    team = make_team()
    period = make_period(status="draft")
    browser.login(team["admin"].employee.nip)
    response = browser.post(f"/admin/periods/{period.id}/open", {}, token_from="/reset")
    assert response.status_code == 302
    job_id = int(response.headers["Location"].rsplit("/", 1)[-1])
    # Finished by the time the page answers: no worker, no thread.
    status = browser.get(f"/admin/periods/jobs/{job_id}.json").get_json()
    assert status["finished"] and status["percent"] == 100 and status["counts"]["created"] == 4
    page = browser.get(f"/admin/periods/jobs/{job_id}").get_data(as_text=True)
    assert 'data-count="created">4<' in page and "http-equiv" not in page
    db.session.expire_all()
    assert _count(Appraisal) == 4
    # The period's mails went out the same way, after the opener's commit.
    assert _count(OutboxMessage, OutboxMessage.status == "sent") == 4
    assert app.extensions["sikap_jobs"].kept == []


def _six_in_the_morning(day: date) -> float:
    """The moment the daily schedule fires for `day`, and 30 s of the worker's latency."""
    return datetime.combine(day, time(6, 0, 30), JAKARTA).timestamp()


def test_reminders_and_digests_run_from_the_schedule_without_cron(app, monkeypatch):
    _catch_all(app, monkeypatch)
    team = make_team()
    team["kasi"].mail_mode = "digest"
    period = make_period()
    drafting = appraisal_in_state(team, period, "draft")  # the staf's task, mailed at once
    reviewing = appraisal_in_state(team, period, "plan_review", "staf2")  # the kasi's: digest
    day = date(2026, 3, 9)
    for appraisal in (drafting, reviewing):
        task = db.session.scalars(
            sa.select(Task).where(Task.appraisal_id == appraisal.id, Task.closed_at.is_(None))
        ).one()
        task.due_date = day + timedelta(days=1)
    db.session.commit()

    # The evening before (UTC) is the morning in Medan: the day acted for is the local one.
    ran = run_schedule_at(app, _six_in_the_morning(day))
    assert {"notifications.remind", "notifications.digest"} <= set(ran)
    notices = db.session.execute(sa.select(Notice.kind, Notice.recipient_id)).all()
    assert sorted(notices) == sorted(
        [("due_soon", team["staf"].employee_id), ("due_soon", team["kasi"].employee_id)]
    )
    (digest,) = db.session.scalars(sa.select(Digest)).all()
    assert (digest.recipient_id, digest.day) == (team["kasi"].employee_id, day)

    # Later the same morning, and the worker started again: nothing twice.
    run_schedule_at(app, _six_in_the_morning(day) + 3600)
    assert _count(Notice) == 2 and _count(Digest) == 1
    mails = _count(OutboxMessage)

    # The due day: nothing new, so no digest either. The day after: overdue, and a digest.
    run_schedule_at(app, _six_in_the_morning(day + timedelta(days=1)) + 60)
    assert _count(Notice) == 2 and _count(Digest) == 1
    run_schedule_at(app, _six_in_the_morning(day + timedelta(days=2)))
    assert _count(Notice, Notice.kind == "overdue") == 2
    assert _count(Digest) == 2 and _count(OutboxMessage) > mails


def test_the_schedule_does_nothing_before_its_hour(app):
    team = make_team()
    appraisal = appraisal_in_state(team, make_period(), "draft")
    db.session.execute(
        sa.update(Task).where(Task.appraisal_id == appraisal.id).values(due_date=date(2026, 3, 10))
    )
    db.session.commit()
    # Before six: the last tick (yesterday's) is too old to be caught up.
    dawn = datetime(2026, 3, 9, 5, 0, tzinfo=JAKARTA).timestamp()
    ran = run_schedule_at(app, dawn)
    assert "notifications.remind" not in ran
    assert _count(Notice) == 0


def test_the_daily_schedule_is_six_in_the_morning_in_medan():
    from procrastinate.periodic import PeriodicDeferrer

    deferrer = PeriodicDeferrer(registry=queue.periodic_registry, **queue.periodic_defaults)
    moment = datetime(2026, 3, 9, 5, 0, tzinfo=JAKARTA).timestamp()
    (remind,) = [p for p in queue.periodic_registry.periodic_tasks.values() if p.task.name
                 == "notifications.remind"]  # fmt: skip
    following = remind.croniter.get_next(ret_type=float, start_time=moment)
    assert datetime.fromtimestamp(following, UTC).astimezone(JAKARTA) == datetime(
        2026, 3, 9, 6, 0, tzinfo=JAKARTA
    )
    assert deferrer.max_delay >= 3600


@pytest.mark.postgres_only
def test_the_queue_schema_comes_and_goes_with_its_migration(app):
    def tables() -> set[str]:
        return {t for t in sa.inspect(db.engine).get_table_names() if t.startswith("procra")}

    assert "procrastinate_jobs" in tables()
    db.session.remove()
    downgrade(revision="7d2f4c8e1a90")
    try:
        assert tables() == set()
    finally:
        upgrade()
    assert "procrastinate_jobs" in tables()


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_the_web_app_runs_no_thread_and_never_imports_the_worker():
    importers = {
        str(path.relative_to(APP.parent))
        for path in APP.rglob("*.py")
        if "app.jobs.worker" in _imports(path)
    }
    assert importers == {"app/cli.py"}
    threaded = [
        str(path.relative_to(APP.parent))
        for path in APP.rglob("*.py")
        if {"threading", "concurrent.futures"} & _imports(path)
    ]
    assert threaded == []
