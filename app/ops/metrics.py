"""Prometheus metrics at /metrics, for the addresses in METRICS_ALLOWED_IPS only.

Request latency is a histogram per endpoint, observed by the request hook
(app/ops/requests.py). The figures of the system itself are read from the
database when Prometheus scrapes, a handful of aggregate queries: SKPs per
state, overdue open tasks, the outbox backlog and its dead letters, queued and
running jobs, and how long since each kind of worker was seen. Under gunicorn
with several workers set PROMETHEUS_MULTIPROC_DIR, and the histograms of every
process are merged.
"""

from __future__ import annotations

import ipaddress
import os
from datetime import date

import sqlalchemy as sa
from flask import Response, abort, current_app, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

from app.extensions import db
from app.models import Appraisal, Job, OutboxMessage, Task
from app.ops import bp
from app.ops.heartbeat import last_seen

REQUEST_LATENCY = Histogram(
    "sikap_request_duration_seconds",
    "Time to answer a request, by endpoint, method and status class.",
    ["endpoint", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


class SystemCollector:
    """The system's own figures, read from the database at scrape time."""

    def collect(self):
        states = GaugeMetricFamily(
            "sikap_appraisals",
            "SKP appraisals per workflow and state.",
            labels=["workflow", "state"],
        )
        for workflow, state, count in db.session.execute(
            sa.select(Appraisal.workflow, Appraisal.state, sa.func.count()).group_by(
                Appraisal.workflow, Appraisal.state
            )
        ):
            states.add_metric([workflow, state], count)
        yield states

        open_tasks, overdue = db.session.execute(
            sa.select(
                sa.func.count(),
                sa.func.count().filter(Task.due_date < date.today()),
            ).where(Task.closed_at.is_(None))
        ).one()
        yield GaugeMetricFamily("sikap_tasks_open", "Open tasks.", value=open_tasks)
        yield GaugeMetricFamily(
            "sikap_tasks_overdue", "Open tasks past their due date.", value=overdue
        )

        outbox = GaugeMetricFamily(
            "sikap_outbox_messages", "Outbox messages by status.", labels=["status"]
        )
        for status, count in db.session.execute(
            sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)
        ):
            outbox.add_metric([status], count)
        yield outbox

        jobs = GaugeMetricFamily(
            "sikap_jobs", "Background jobs queued or running.", labels=["status"]
        )
        for status, count in db.session.execute(
            sa.select(Job.status, sa.func.count())
            .where(Job.status.in_(("queued", "running")))
            .group_by(Job.status)
        ):
            jobs.add_metric([status], count)
        yield jobs

        seen = GaugeMetricFamily(
            "sikap_worker_last_seen_seconds",
            "Seconds since a worker of each kind last sent its heartbeat.",
            labels=["kind"],
        )
        for kind, age in last_seen().items():
            seen.add_metric([kind], age)
        yield seen


def _allowed(address: str | None) -> bool:
    try:
        client = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(client in network for network in current_app.config["METRICS_ALLOWED_NETWORKS"])


@bp.route("/metrics")
def metrics():
    """The metrics in Prometheus' text format; 404 for addresses not allowed to scrape."""
    if not _allowed(request.remote_addr):
        abort(404)
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ProcessHistograms())
    registry.register(SystemCollector())
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)


class _ProcessHistograms:
    """This process's request histograms (without multiprocess mode)."""

    def collect(self):
        yield from REQUEST_LATENCY.collect()
