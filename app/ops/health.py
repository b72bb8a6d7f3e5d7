"""Probes: /healthz (the process and its database answer) and /readyz (fit to take traffic)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app

from app.extensions import db
from app.ops import bp
from app.ops.heartbeat import ALIVE_WITHIN, last_seen


@bp.route("/healthz")
def healthz():
    """Liveness: one SELECT 1 (also the latency floor the benchmark compares pages with)."""
    db.session.execute(sa.text("SELECT 1"))
    # Two round trips, as before app.prepared: SELECT 1 and the end of the transaction
    # (a commit, so the teardown has no transaction left to ask about).
    db.session.commit()
    return {"status": "ok"}


def migrations_at_head() -> tuple[bool, str]:
    """Whether the database is at the newest migration, and which revision it is at."""
    script = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return current in set(script.get_heads()), current or "none"


@bp.route("/readyz")
def readyz():
    """Readiness: database reachable, migrations at head, a background worker seen lately."""
    checks: dict[str, str] = {}
    try:
        db.session.execute(sa.text("SELECT 1"))
        checks["database"] = "ok"
        at_head, revision = migrations_at_head()
        checks["migrations"] = "ok" if at_head else f"behind (at {revision})"
        seen = last_seen()
        fresh = [kind for kind, age in seen.items() if age <= ALIVE_WITHIN.total_seconds()]
        if fresh or not current_app.config["READY_REQUIRES_WORKER"]:
            checks["worker"] = "ok"
        else:
            checks["worker"] = "none seen within a minute"
    except sa.exc.SQLAlchemyError as error:
        db.session.rollback()
        checks["database"] = f"unavailable: {type(error).__name__}"
    ready = all(value == "ok" for value in checks.values()) and len(checks) == 3
    return {"status": "ready" if ready else "not ready", "checks": checks}, (200 if ready else 503)
