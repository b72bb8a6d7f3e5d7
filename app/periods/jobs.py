"""Jobs: opening a period outside the web request, with progress the admin page can poll.

`start_open_job` records the job and defers the `periods.open` task with it (it
flushes, like every service): the view's commit writes both, and a worker picks
the task up (app.jobs). `run_job` is the one driver of the opener, used by that
task and by `flask periods open` alike: it commits after every chunk, so the page
sees the progress, and a run cut off half-way (a worker killed, its job retried
by another) is completed by the next one without doing anything twice.
"""

from __future__ import annotations

import json
import logging

import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from app.jobs import defer_on_commit, queue
from app.models import Account, Job, Period
from app.models.types import utcnow
from app.periods.opening import PeriodOpener

log = logging.getLogger("sikap.periods")


class JobRefused(ValueError):
    """The job may not start; the code names why ("closed", "running")."""


def running_job(period: Period) -> Job | None:
    """The period's job that is queued or running and still alive, if any."""
    jobs = db.session.scalars(
        sa.select(Job).where(Job.period_id == period.id, Job.status.in_(("queued", "running")))
    )
    return next((job for job in jobs if not job.is_stale()), None)


def start_open_job(
    period: Period, opd_ids: list[int] | None, actor: Account | None, *, queued: bool = True
) -> Job:
    """Record a job opening `period` for `opd_ids` (None: every OPD); refuse a second one.

    `queued`: a worker runs it once the caller commits; otherwise the caller runs
    it itself with `run_job` (the command line, the benchmark).
    """
    if period.status == "closed":
        raise JobRefused("closed")
    if running_job(period) is not None:
        raise JobRefused("running")
    job = Job(
        kind="open_period",
        period_id=period.id,
        params=json.dumps({"opd_ids": sorted(opd_ids) if opd_ids else []}),
        status="queued",
        created_by_id=actor.id if actor else None,
    )
    db.session.add(job)
    db.session.flush()
    if queued:
        # One opening of a period at a time, whichever worker runs it.
        defer_on_commit(open_period_task, lock=f"period-{period.id}", job_id=job.id)
    return job


@queue.task(name="periods.open", queue="default")
def open_period_task(job_id: int) -> None:
    """The queued job: run the opening job `job_id` to its end."""
    run_job(job_id)


def run_job(job_id: int) -> Job:
    """Run the job to its end, committing after each chunk; a failure is recorded on the job."""
    job = db.session.get(Job, job_id)
    if job is None or job.finished:
        # Run once already (a retried task whose worker died after the job's end).
        return job
    started = utcnow()
    try:
        opener = PeriodOpener(
            job.period,
            job.params_dict.get("opd_ids") or None,
            now=started,
            chunk_size=current_app.config["PERIOD_OPEN_CHUNK_SIZE"],
        )
        job.status, job.heartbeat_at = "running", started
        job.started_at = job.started_at or started
        # A run after a cut-off one goes over every employee again, adding what is missing.
        job.done = 0
        job.total = opener.prepare()
        db.session.commit()
        for chunk in opener.chunks():
            opener.open_chunk(chunk)
            _report(job, done=job.done + len(chunk), counts=opener.counts.as_dict())
        opener.finish()
        job.status = "done"
        job.finished_at = utcnow()
        _report(job, done=job.total, counts=opener.counts.as_dict())
    except Exception as error:
        log.exception("job %s failed", job_id)
        db.session.rollback()
        job = db.session.get(Job, job_id)
        job.status, job.error, job.finished_at = "failed", str(error)[:2000], utcnow()
        db.session.commit()
    return job


def _report(job: Job, *, done: int, counts: dict) -> None:
    job.done = done
    job.counts = json.dumps(counts)
    job.heartbeat_at = utcnow()
    db.session.commit()
