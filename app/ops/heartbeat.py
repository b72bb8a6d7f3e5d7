"""Worker heartbeats: a background worker says it is alive; readiness asks who was seen."""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import WorkerHeartbeat
from app.models.types import utcnow

# /readyz wants a worker seen this recently.
ALIVE_WITHIN = timedelta(minutes=1)


def worker_name(kind: str) -> str:
    return f"{kind}@{socket.gethostname()}:{os.getpid()}"[:120]


def beat(kind: str, now: datetime | None = None) -> None:
    """Record that this worker process is alive (flushes; the worker commits)."""
    now = now or utcnow()
    name = worker_name(kind)
    updated = db.session.execute(
        sa.update(WorkerHeartbeat)
        .where(WorkerHeartbeat.name == name)
        .values(seen_at=now)
        .execution_options(synchronize_session=False)
    )
    if updated.rowcount == 0:
        db.session.add(WorkerHeartbeat(name=name, kind=kind, started_at=now, seen_at=now))
    db.session.flush()


def last_seen(now: datetime | None = None) -> dict[str, float]:
    """Seconds since each worker kind was last seen.

    The queue's workers (`flask worker`, PostgreSQL) keep their own heartbeat in
    the queue's table; they appear as kind "queue".
    """
    now = now or utcnow()
    rows = list(
        db.session.execute(
            sa.select(WorkerHeartbeat.kind, sa.func.max(WorkerHeartbeat.seen_at)).group_by(
                WorkerHeartbeat.kind
            )
        )
    )
    if db.engine.dialect.name == "postgresql":
        queue = db.session.scalar(
            sa.text(
                "SELECT max(last_heartbeat) FROM procrastinate_workers "
                "WHERE to_regclass('procrastinate_workers') IS NOT NULL"
            )
        )
        if queue is not None:
            rows.append(("queue", queue))
    return {kind: (now - _aware(seen)).total_seconds() for kind, seen in rows}


def _aware(value: datetime) -> datetime:
    # max() over the column comes back without the column type on SQLite.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=utcnow().tzinfo)
