"""Operations: liveness and readiness probes, Prometheus metrics, one JSON log line per request."""

import json
import logging
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Appraisal, OutboxMessage, Task
from app.models.types import utcnow
from app.ops.heartbeat import beat
from tests.factories import make_period
from tests.workflow_helpers import appraisal_in_state


def test_healthz_answers(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_readyz_is_ready_at_head(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["checks"] == {"database": "ok", "migrations": "ok", "worker": "ok"}


def test_readyz_fails_while_migrations_are_behind(app, client):
    with db.engine.begin() as conn:
        head = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
        conn.execute(sa.text("UPDATE alembic_version SET version_num = 'a47a0762f9fb'"))
    try:
        response = client.get("/readyz")
    finally:
        with db.engine.begin() as conn:
            conn.execute(sa.text("UPDATE alembic_version SET version_num = :v"), {"v": head})
    assert response.status_code == 503
    assert response.get_json()["checks"]["migrations"] == "behind (at a47a0762f9fb)"


def test_readyz_waits_for_a_worker_heartbeat(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "READY_REQUIRES_WORKER", True)
    beat("outbox", now=utcnow() - timedelta(minutes=5))
    db.session.commit()
    stale = client.get("/readyz")
    assert stale.status_code == 503
    assert stale.get_json()["checks"]["worker"] == "none seen within a minute"
    beat("outbox")
    db.session.commit()
    assert client.get("/readyz").status_code == 200


def _series(text: str) -> dict[str, float]:
    found = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            found[name] = float(value)
    return found


def test_metrics_expose_the_named_series(app, team, client):
    period = make_period(2026)
    appraisal_in_state(team, period, "self_assessment")
    appraisal_in_state(team, period, "self_assessment", "staf2")
    late = appraisal_in_state(team, make_period(2027), "supervisor_review")
    db.session.execute(
        sa.update(Task)
        .where(Task.appraisal_id == late.id, Task.closed_at.is_(None))
        .values(due_date=utcnow().date() - timedelta(days=3))
    )
    db.session.add(
        OutboxMessage(
            recipient="a@example.go.id",
            subject="s",
            body_text="t",
            body_html="h",
            template="t",
            locale="id",
            status="dead",
        )
    )
    beat("outbox")
    db.session.commit()
    client.get("/healthz")  # a request for the latency histogram
    response = client.get("/metrics")
    assert response.status_code == 200
    series = _series(response.get_data(as_text=True))
    # Every (workflow, state) with its count, as the database holds them.
    held = db.session.execute(
        sa.select(Appraisal.workflow, Appraisal.state, sa.func.count()).group_by(
            Appraisal.workflow, Appraisal.state
        )
    ).all()
    assert {w for w, _s, _c in held} == {"skp_annual"} and len(held) >= 2
    for workflow, state, count in held:
        assert series[f'sikap_appraisals{{state="{state}",workflow="{workflow}"}}'] == count
    open_tasks = db.session.scalar(
        sa.select(sa.func.count()).select_from(Task).where(Task.closed_at.is_(None))
    )
    assert series["sikap_tasks_open"] == open_tasks and series["sikap_tasks_overdue"] == 1
    assert series['sikap_outbox_messages{status="dead"}'] == 1
    assert series['sikap_worker_last_seen_seconds{kind="outbox"}'] < 60
    assert any(
        name.startswith("sikap_request_duration_seconds_count") and 'endpoint="ops.healthz"' in name
        for name in series
    )


@pytest.mark.parametrize("address", ["10.20.30.40", "203.0.113.9"])
def test_metrics_are_refused_to_other_addresses(client, address):
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": address}).status_code == 404


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def test_each_request_is_one_json_log_line(team, browser):
    browser.login(team["staf"].employee.nip)
    # On the logger itself: an app built elsewhere in this process may have stopped it
    # propagating to the root (where caplog listens), as production does.
    logger, collect = logging.getLogger("sikap.request"), _Collect()
    level = logger.level
    logger.addHandler(collect)
    logger.setLevel(logging.INFO)
    try:
        response = browser.get("/inbox")
    finally:
        logger.removeHandler(collect)
        logger.setLevel(level)
    lines = [json.loads(r.getMessage()) for r in collect.records]
    assert len(lines) == 1
    line = lines[0]
    assert line["endpoint"] == "inbox.index" and line["status"] == 200
    assert line["user_id"] == team["staf"].id
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert 0 < line["queries"] <= 10 and line["duration_ms"] > 0


@pytest.mark.postgres_only
def test_readyz_sees_the_queue_workers_own_heartbeat(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "READY_REQUIRES_WORKER", True)
    assert client.get("/readyz").status_code == 503
    db.session.execute(sa.text("INSERT INTO procrastinate_workers DEFAULT VALUES"))
    db.session.commit()
    assert client.get("/readyz").status_code == 200
    assert 'sikap_worker_last_seen_seconds{kind="queue"}' in client.get("/metrics").get_data(
        as_text=True
    )
