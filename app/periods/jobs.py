"""Jobs: opening a period outside the web request, with progress the admin page can poll.

`start_open_job` only records the job (it flushes, like every service); the view
commits and then hands it to `run_in_background`, a thread with its own app
context. `run_job` is the one driver of the opener, used by that thread and by
`flask periods open` alike: it commits after every chunk, so the page sees the
progress and a run cut off half-way is completed by the next one.
"""

from __future__ import annotations

import json
import logging
import threading

import sqlalchemy as sa
from flask import Flask

from app.extensions import db
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


def start_open_job(period: Period, opd_ids: list[int] | None, actor: Account | None) -> Job:
    """Record a job opening `period` for `opd_ids` (None: every OPD); refuse a second one."""
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
    return job


def run_job(job_id: int) -> Job:
    """Run the job to its end, committing after each chunk; a failure is recorded on the job."""
    job = db.session.get(Job, job_id)
    started = utcnow()
    try:
        opener = PeriodOpener(job.period, job.params_dict.get("opd_ids") or None, now=started)
        job.status, job.started_at, job.heartbeat_at = "running", started, started
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


def run_in_background(app: Flask, job_id: int) -> threading.Thread:
    """Run the job in a thread with its own app context (and so its own database session)."""

    def target() -> None:
        with app.app_context():
            try:
                run_job(job_id)
            finally:
                db.session.remove()

    thread = threading.Thread(target=target, name=f"sikap-job-{job_id}", daemon=True)
    thread.start()
    return thread
