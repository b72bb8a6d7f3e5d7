"""Two people acting at once: exactly one wins, the others are told; nothing is applied twice."""

import threading

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Account, Appraisal, AuditEvent, OutboxMessage, Task
from app.workflow.engine import fire
from app.workflow.errors import StaleState
from tests.factories import make_period, make_team
from tests.workflow_helpers import appraisal_in_state

THREADS = 8


@pytest.mark.postgres_only
def test_eight_threads_fire_the_same_transition_once(app):
    team = make_team()
    appraisal = appraisal_in_state(team, make_period(), "plan_review")
    appraisal_id, kasi_id = appraisal.id, team["kasi"].id
    db.session.commit()

    barrier = threading.Barrier(THREADS)
    results: list[str] = []
    lock = threading.Lock()

    def act():
        # Each thread has its own app context, so its own session and connection.
        with app.app_context():
            mine = db.session.get(Appraisal, appraisal_id)
            actor = db.session.get(Account, kasi_id)
            barrier.wait(timeout=30)  # everyone has read version 1 before anyone writes
            try:
                fire(mine, "approve_plan", actor, {}, seen_version=1)
                db.session.commit()
                outcome = "won"
            except StaleState as error:
                db.session.rollback()
                outcome = f"stale:{error.event.trigger}"
            finally:
                db.session.remove()
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=act) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(results) == ["stale:approve_plan"] * (THREADS - 1) + ["won"]
    db.session.expire_all()
    assert db.session.get(Appraisal, appraisal_id).version == 2
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.appraisal_id == appraisal_id)
    ).all()
    assert len(events) == 1
    mails = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.audit_event_id == events[0].id)
    ).all()
    assert [m.recipient for m in mails] == [team["staf"].employee.email]
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 1
    open_tasks = db.session.scalar(
        sa.select(sa.func.count()).where(
            Task.appraisal_id == appraisal_id, Task.closed_at.is_(None)
        )
    )
    assert open_tasks == 1
