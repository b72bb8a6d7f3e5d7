"""One structured log line and one latency sample per request.

The line is JSON (logger `sikap.request`): request id, user id, endpoint,
method, status, duration in milliseconds and SQL statements issued. Nothing is
written to the database.
"""

from __future__ import annotations

import json
import logging
import time

import sqlalchemy as sa
from flask import Flask, g, request

from app.extensions import db

log = logging.getLogger("sikap.request")


def _count_statement(*_args) -> None:
    if "sql_count" in g:
        g.sql_count += 1


def _user_id() -> int | None:
    # Only a user this request already loaded: static files must not cost a query.
    user = g.get("_login_user")
    return user.id if user is not None and user.is_authenticated else None


def install_request_logging(app: Flask) -> None:
    """Time every request, count its SQL statements, log it as JSON, feed the histogram."""
    from app.ops.metrics import REQUEST_LATENCY

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", _count_statement)
    if app.config["LOG_REQUESTS"] and not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False

    @app.before_request
    def start_clock():
        g.started = time.perf_counter()
        g.sql_count = 0

    @app.after_request
    def log_request(response):
        started = g.pop("started", None)
        if started is None:
            return response
        seconds = time.perf_counter() - started
        endpoint = request.endpoint or "unknown"
        REQUEST_LATENCY.labels(
            endpoint, request.method, f"{response.status_code // 100}xx"
        ).observe(seconds)
        if log.isEnabledFor(logging.INFO):
            log.info(
                json.dumps(
                    {
                        "request_id": g.get("request_id"),
                        "user_id": _user_id(),
                        "endpoint": endpoint,
                        "method": request.method,
                        "status": response.status_code,
                        "duration_ms": round(seconds * 1000, 2),
                        "queries": g.get("sql_count", 0),
                    }
                )
            )
        return response
