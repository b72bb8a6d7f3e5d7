"""The audit trail: append-only on PostgreSQL, and `flask audit verify` finds an edit."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent
from app.workflow.engine import fire
from tests.factories import make_period, make_team
from tests.workflow_helpers import appraisal_in_state


@pytest.fixture
def trail(app):
    """An appraisal with three audit events, committed."""
    team = make_team()
    appraisal = appraisal_in_state(team, make_period(), "draft")
    fire(appraisal, "submit_plan", team["staf"], {})
    fire(appraisal, "return_plan", team["kasi"], {"comment": "IKI belum terukur."})
    fire(appraisal, "submit_plan", team["staf"], {"comment": "Sudah diperbaiki."})
    db.session.commit()
    return db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.appraisal_id == appraisal.id)
        .order_by(AuditEvent.seq)
    ).all()


@pytest.mark.postgres_only
@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_event SET comment = 'diubah'", "DELETE FROM audit_event"],
    ids=["update", "delete"],
)
def test_postgres_refuses_to_change_audit_events(trail, statement):
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        db.session.execute(sa.text(statement))
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == 3


def test_audit_verify_passes_an_intact_trail(app, trail):
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0
    assert "ok: 3 events verified" in result.output


def _tamper(sql: str, **params) -> None:
    """Edit the trail behind the app's back (on PostgreSQL with the trigger switched off)."""
    postgres = db.engine.dialect.name == "postgresql"
    with db.engine.begin() as conn:
        if postgres:
            conn.execute(sa.text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_immutable"))
        for statement in sql.split(";"):
            conn.execute(sa.text(statement), params)
        if postgres:
            conn.execute(sa.text("ALTER TABLE audit_event ENABLE TRIGGER audit_event_immutable"))


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("UPDATE audit_event SET comment = 'Disetujui.' WHERE id = :id", "content was altered"),
        ("UPDATE audit_event SET actor_id = NULL WHERE id = :id", "content was altered"),
        (
            "UPDATE outbox_message SET audit_event_id = NULL WHERE audit_event_id = :id;"
            "DELETE FROM audit_event WHERE id = :id",
            "missing event before",
        ),
    ],
    ids=["comment", "actor", "deleted"],
)
def test_audit_verify_names_the_first_broken_event(app, trail, sql, reason):
    target = trail[1]
    _tamper(sql, id=target.id)
    db.session.expire_all()
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    broken = trail[2] if reason == "missing event before" else target
    assert (
        f"BROKEN: event {broken.id} (appraisal {broken.appraisal_id}, #{broken.seq}): {reason}"
        in (result.output)
    )


def test_recomputing_the_hash_does_not_hide_an_edit(app, trail):
    # An editor who also fixes the edited event's own hash breaks the next link.
    target = trail[0]
    target_row = db.session.get(AuditEvent, target.id)
    db.session.expunge(target_row)
    target_row.comment = "Diubah diam-diam"
    _tamper(
        "UPDATE audit_event SET comment = :c, hash = :h WHERE id = :id",
        c=target_row.comment,
        h=target_row.compute_hash(),
        id=target.id,
    )
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"BROKEN: event {trail[1].id}" in result.output
    assert "previous hash differs" in result.output
