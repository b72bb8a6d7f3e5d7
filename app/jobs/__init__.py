"""The task queue: procrastinate on PostgreSQL, one queue for all work done outside a request.

Features register their tasks on `queue` (`@queue.task(...)`, `@queue.periodic(...)`)
and ask for them with `defer_on_commit(task, **kwargs)` inside a service: the
job is written by the same transaction as the rows it is about, just before it
commits. On PostgreSQL the job row goes into procrastinate's table through the
session's own connection, so a rolled-back request leaves no job behind and a
committed one never lacks its job. A worker (`flask worker`, app.jobs.worker,
which the web app never imports) runs the jobs.

SQLite (development) has no procrastinate schema. There, with JOBS_INLINE
(development), the deferred tasks run in this process right after the commit,
one after the other, each in its own app context and so its own session. In the
tests (JOBS_INLINE off) they are kept and run when a test calls `run_deferred()`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import procrastinate
import sqlalchemy as sa
from flask import Flask, current_app
from procrastinate.manager import JobManager
from procrastinate.tasks import Task, configure_task

from app.extensions import db

log = logging.getLogger("sikap.jobs")

QUEUES = ("default", "mail", "periodic")
EXTENSION_KEY = "sikap_jobs"
_PENDING = "sikap_jobs_pending"


def _placeholder_connector() -> procrastinate.PsycopgConnector:
    # Never opened: deferring from a request uses the session's connection, and
    # the worker swaps in a connector to its own database (app.jobs.worker).
    return procrastinate.PsycopgConnector()


# The one procrastinate app, unbound like the extensions; tasks register on it at import.
queue = procrastinate.App(
    connector=_placeholder_connector(),
    # A worker that starts late still sends the day's reminders and digests (both are
    # idempotent within the day); a tick missed by longer than this is skipped.
    periodic_defaults={"max_delay": 6 * 3600},
)


# Used only with the session's connection (never opened): plain sync calls, no pool, no thread.
_SESSION_CONNECTOR = procrastinate.SyncPsycopgConnector()


@dataclass
class Deferred:
    """A task to start once the transaction that asked for it has committed."""

    task: Task
    kwargs: dict[str, Any]
    lock: str | None = None


@dataclass
class JobsState:
    """Per Flask app: the tasks SQLite keeps for the tests (without JOBS_INLINE)."""

    kept: list[Deferred] = field(default_factory=list)


def init_app(app: Flask) -> None:
    """Hook the session's commit so that deferred tasks go out with it."""
    app.extensions[EXTENSION_KEY] = JobsState()
    for name, listener in (
        ("before_commit", _before_commit),
        ("after_commit", _after_commit),
        ("after_rollback", _after_rollback),
    ):
        if not sa.event.contains(db.session, name, listener):
            sa.event.listen(db.session, name, listener)


def defer_on_commit(task: Task, *, lock: str | None = None, **kwargs: Any) -> None:
    """Start `task(**kwargs)` once the current transaction commits; asked twice, once."""
    pending: list[Deferred] = db.session.info.setdefault(_PENDING, [])
    deferred = Deferred(task, kwargs, lock)
    if deferred not in pending:
        pending.append(deferred)


def _is_postgresql(session: sa.orm.Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _before_commit(session: sa.orm.Session) -> None:
    if not session.info.get(_PENDING) or not _is_postgresql(session):
        return
    pending = session.info.pop(_PENDING)
    # The DBAPI connection of this very transaction: the jobs commit with it, or not at all.
    connection = session.connection().connection.driver_connection
    manager = JobManager(_SESSION_CONNECTOR)
    for deferred in pending:
        task = deferred.task
        configure_task(
            name=task.name,
            job_manager=manager,
            queue=task.queue,
            priority=task.priority,
            lock=deferred.lock or task.lock,
            connection=connection,
        ).defer(**deferred.kwargs)


def _after_commit(session: sa.orm.Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    if not current_app.config["JOBS_INLINE"]:
        current_app.extensions[EXTENSION_KEY].kept.extend(pending)
        return
    # The session that committed may not run SQL any more; each task gets its own.
    app = current_app._get_current_object()
    for deferred in pending:
        _run(app, deferred)


def _after_rollback(session: sa.orm.Session) -> None:
    session.info.pop(_PENDING, None)


def _run(app: Flask, deferred: Deferred) -> None:
    with app.app_context():
        try:
            deferred.task(**deferred.kwargs)
        except Exception:
            log.exception("task %s failed", deferred.task.name)
        finally:
            db.session.remove()


def run_deferred() -> int:
    """Run the tasks kept by SQLite without JOBS_INLINE (tests), in order; how many ran."""
    app = current_app._get_current_object()
    state: JobsState = app.extensions[EXTENSION_KEY]
    ran = 0
    while state.kept:
        _run(app, state.kept.pop(0))
        ran += 1
    return ran


def is_queue_table(name: str) -> bool:
    """procrastinate's own tables: created by its schema, not by the models."""
    return name.startswith("procrastinate_")
