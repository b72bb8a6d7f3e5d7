"""A worker killed mid-job (SIGKILL): another worker finishes the job, and nothing is done twice.

Real worker processes (`flask worker`) on the test's PostgreSQL database. To kill
the first one at a known point, and not by luck of timing, the test holds an
uncommitted appraisal for one employee two thirds down the list: the worker's
insert of that employee's chunk waits on it, after earlier chunks were committed
(the job shows progress) and with the current chunk's rows written but not
committed. Then it is killed with SIGKILL, the hold is released, and a second
worker is started.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Appraisal, Employee, Job, OutboxMessage, Task
from app.periods import jobs
from app.periods.mail import TEMPLATE
from tests.factories import make_employee, make_period, make_team

ROOT = Path(__file__).resolve().parent.parent
STAFF = 300
pytestmark = [pytest.mark.postgres_only, pytest.mark.slow]


def _worker(database_url: str, log) -> subprocess.Popen:
    env = {
        **os.environ,
        "SIKAP_ENV": "development",
        "DATABASE_URL": database_url,
        "PERIOD_OPEN_CHUNK_SIZE": "25",
        "JOBS_HEARTBEAT_SECONDS": "1",
        "JOBS_STALLED_AFTER_SECONDS": "3",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "worker"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _job(job_id: int) -> Job:
    """The job as it is now in the database, not as the session remembers it."""
    db.session.expire_all()
    return db.session.get(Job, job_id)


def _until(check, what: str, seconds: float = 120):
    deadline = time.monotonic() + seconds
    while True:
        db.session.rollback()  # a fresh snapshot each time
        if result := check():
            return result
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _scalar(query):
    return db.session.scalar(query)


def _count(model, *where) -> int:
    return _scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_a_killed_worker_leaves_its_job_to_another_which_finishes_it_once(app, tmp_path):
    team = make_team()
    staff = [make_employee(f"Pegawai {n}", team["staf"].employee.position) for n in range(STAFF)]
    period = make_period(status="draft")
    job = jobs.start_open_job(period, None, team["admin"])
    db.session.commit()
    job_id, period_id = job.id, period.id
    held = staff[2 * STAFF // 3].id
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    log_path = tmp_path / "workers.log"
    log = log_path.open("ab")

    hold = db.engine.connect()
    hold.execute(
        sa.insert(Appraisal).values(
            employee_id=held, period_id=period_id, workflow="skp_annual", state="draft",
            version=1, approach="kuantitatif",
        )
    )  # fmt: skip
    first = _worker(url, log)
    second = None
    try:
        _until(lambda: _job(job_id).done > 0, "the first worker's progress")
        waiting = (
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'"
        )
        _until(lambda: _scalar(sa.text(waiting)), "the first worker to reach the held employee")
        job = _job(job_id)
        assert job.status == "running" and 0 < job.done < job.total
        before = _count(Appraisal)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        hold.rollback()
        # What the killed worker had written in its last chunk died with it.
        assert _count(Appraisal) == before
        assert _job(job_id).status == "running"

        second = _worker(url, log)
        job = _until(lambda: (j := _job(job_id)).finished and j, "the second worker", 180)
        assert job.status == "done", job.error
        mails = OutboxMessage.template == TEMPLATE
        _until(
            lambda: (
                _count(OutboxMessage, mails, OutboxMessage.status == "sent")
                == _count(OutboxMessage, mails)
            ),
            "the period's mails to be delivered",
        )
    finally:
        hold.close()
        log.close()
        for process in (first, second):
            if process and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=60)

    # Every employee with an atasan has one appraisal, one task and one mail; nothing twice.
    appraisals = _count(Appraisal, Appraisal.period_id == period_id)
    assert appraisals == STAFF + 4  # the staff, and kabid, kasi and the two staf of the team
    assert _scalar(sa.select(sa.func.count(sa.distinct(Appraisal.employee_id)))) == appraisals
    assert _count(Task) == appraisals
    assert _scalar(sa.select(sa.func.count(sa.distinct(Task.appraisal_id)))) == appraisals
    assert _count(OutboxMessage, mails) == appraisals
    recipients = sa.select(sa.func.count(sa.distinct(OutboxMessage.recipient))).where(mails)
    assert _scalar(recipients) == appraisals
    # Each mail was sent once.
    assert _count(OutboxMessage, mails, OutboxMessage.attempts != 1) == 0
    held_one = _count(Appraisal, Appraisal.employee_id == held)
    assert held_one == 1 and _count(Employee) == STAFF + 8
    # The queue's record: one job, run twice (started by each worker), succeeded once.
    queued = db.session.execute(
        sa.text(
            "SELECT j.status, "
            "(SELECT count(*) FROM procrastinate_events e "
            " WHERE e.job_id = j.id AND e.type = 'started') "
            "FROM procrastinate_jobs j WHERE j.task_name = 'periods.open'"
        )
    ).all()
    assert [tuple(row) for row in queued] == [("succeeded", 2)]
    job = _job(job_id)
    assert job.done == job.total
