"""Run the task queue from a test: what the test's commits deferred, or a periodic tick.

On PostgreSQL a real procrastinate worker runs in this process (its jobs in
threads, each with its own app context and session) until the queues are empty;
on SQLite without JOBS_INLINE the tasks the commits kept run in order.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from contextlib import contextmanager
from unittest import mock

from procrastinate.periodic import PeriodicDeferrer, PeriodicRegistry

from app.extensions import db
from app.jobs import QUEUES, queue, run_deferred
from app.jobs import worker as queue_worker


@contextmanager
def no_schedule():
    """The worker defers no periodic task by itself (the wall clock stays out of tests)."""
    with mock.patch.object(queue, "periodic_registry", PeriodicRegistry()):
        yield


def _options(app, queues: Iterable[str]) -> dict:
    return queue_worker.worker_options(
        app, queues=list(queues), wait=False, install_signal_handlers=False, listen_notify=False
    )


def run_queue(app, queues: Iterable[str] = QUEUES) -> None:
    """Run every job queued so far, as a worker would, then read fresh data."""
    db.session.commit()
    if db.engine.dialect.name != "postgresql":
        run_deferred()
    else:
        with no_schedule(), queue.replace_connector(queue_worker.connector_for(app)):
            queue.run_worker(**_options(app, queues))
    db.session.expire_all()


def run_schedule_at(app, timestamp: float, queues: Iterable[str] = ("periodic",)) -> list[str]:
    """Defer the periodic tasks due at `timestamp` (a frozen clock), run them; their names."""
    db.session.commit()
    deferrer = PeriodicDeferrer(registry=queue.periodic_registry, **queue.periodic_defaults)
    due = list(deferrer.get_previous_tasks(at=timestamp))

    async def main() -> None:
        async with queue.open_async():
            await deferrer.defer_jobs(due)
            with no_schedule():
                await queue.run_worker_async(**_options(app, queues))

    with queue.replace_connector(queue_worker.connector_for(app)):
        asyncio.run(main())
    db.session.expire_all()
    return sorted(periodic.task.name for periodic, _at in due)


def render_outbox() -> None:
    """Render the rows the worker renders at send time, as it would (each in its language)."""
    import sqlalchemy as sa

    from app.models import OutboxMessage
    from app.outbox.render import ensure_rendered

    for row in db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.body_text.is_(None))
    ):
        ensure_rendered(row)
    db.session.flush()
