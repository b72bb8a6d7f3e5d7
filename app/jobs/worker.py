"""The worker (`flask worker`): runs the queue's jobs for this app's database.

Only the command line imports this module, never the web app. Each job runs in
its own app context, and so with its own database session, like a request.

A worker that dies (SIGKILL, a lost machine) leaves its job marked as running.
Workers write a heartbeat every JOBS_HEARTBEAT_SECONDS; once a worker has been
silent for JOBS_STALLED_AFTER_SECONDS its jobs are put back in the queue, by any
worker at start-up and by the `jobs.retry_stalled` periodic task every minute.
The tasks are written to be run again: the period opener only adds what is
missing, reminders and digests are once a day per notice and person, and mail
delivery claims rows with SKIP LOCKED.

On SQLite (development) procrastinate keeps its jobs in this process's memory:
the worker then runs the periodic tasks (reminders, digests, the outbox sweep);
what a request defers runs in the web process after its commit (app.jobs).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

import procrastinate
import sqlalchemy as sa
from flask import Flask
from procrastinate.testing import InMemoryConnector

from app.extensions import db
from app.jobs import QUEUES, queue

log = logging.getLogger("sikap.jobs")


def connector_for(app: Flask) -> procrastinate.BaseConnector:
    """procrastinate's connector to the app's database (in memory for SQLite)."""
    url = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "postgresql":
        return InMemoryConnector()
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    return procrastinate.PsycopgConnector(conninfo=conninfo, min_size=1, max_size=4)


def in_app_context(call_next, context: procrastinate.JobContext, worker) -> Any:
    """Task middleware: run a (sync) task inside the Flask app's context, with a fresh session."""
    app: Flask = context.additional_context["flask_app"]
    with app.app_context():
        try:
            return call_next()
        finally:
            db.session.remove()


async def retry_stalled_jobs(app: procrastinate.App, seconds: float) -> int:
    """Put back in the queue the jobs of workers silent for `seconds`; how many."""
    stalled = list(await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=seconds))
    for job in stalled:
        log.warning("job %s (%s) of a silent worker is retried", job.id, job.task_name)
        await app.job_manager.retry_job(job)
    return len(stalled)


@queue.periodic(cron="* * * * *", periodic_id="stalled")
@queue.task(name="jobs.retry_stalled", queue="periodic", pass_context=True)
async def retry_stalled(context: procrastinate.JobContext, timestamp: int) -> int:
    """Every minute: the jobs of dead workers go back to the queue."""
    seconds = context.additional_context["stalled_after_seconds"]
    return await retry_stalled_jobs(context.app, seconds)


@queue.periodic(cron="30 23 * * *", periodic_id="cleanup")
@queue.task(name="jobs.remove_old", queue="periodic", pass_context=True)
async def remove_old_jobs(context: procrastinate.JobContext, timestamp: int) -> None:
    """Daily: succeeded jobs are kept a week (what ran, when, how often), then deleted."""
    await context.app.job_manager.delete_old_jobs(nb_hours=7 * 24)


def worker_options(app: Flask, **options: Any) -> dict[str, Any]:
    """The worker's settings from the app's configuration, `options` on top."""
    config = app.config
    return {
        "queues": QUEUES,
        "additional_context": {
            "flask_app": app,
            "stalled_after_seconds": config["JOBS_STALLED_AFTER_SECONDS"],
        },
        "task_middleware": [in_app_context],
        "update_heartbeat_interval": config["JOBS_HEARTBEAT_SECONDS"],
        "stalled_worker_timeout": config["JOBS_STALLED_AFTER_SECONDS"],
        # A worker that is stopped (SIGTERM, Ctrl-C) finishes its job first.
        "shutdown_graceful_timeout": None,
        **options,
    }


def run(
    app: Flask,
    *,
    queues: Iterable[str] = QUEUES,
    concurrency: int = 1,
    wait: bool = True,
    **options: Any,
) -> None:
    """Run a worker on `queues` until stopped (or, without `wait`, until they are empty)."""
    options = worker_options(
        app, queues=list(queues), concurrency=concurrency, wait=wait, **options
    )

    async def main() -> None:
        async with queue.open_async():
            await retry_stalled_jobs(queue, app.config["JOBS_STALLED_AFTER_SECONDS"])
            await queue.run_worker_async(**options)

    with queue.replace_connector(connector_for(app)):
        asyncio.run(main())
