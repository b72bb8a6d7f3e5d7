"""Helpers for workflow tests: put an appraisal in any state, snapshot what fire() writes."""

from datetime import timedelta

import sqlalchemy as sa

from app.appraisals.services import open_appraisal
from app.extensions import db
from app.models import Appraisal, AuditEvent, OutboxMessage, Task
from app.models.types import utcnow
from app.workflow.engine import engine
from app.workflow.tasks import close_open_task, open_task
from tests.skp_helpers import fill_complete_skp

# who fires as which role, in the team from tests.factories.make_team
ACTORS = {
    "appraisee": "staf",
    "appraiser": "kasi",
    "appraiser_superior": "kabid",
    "verifikator_bkd": "verifikator",
    "outsider": "staf2",  # another pegawai of the same unit
    "admin_bkd": "admin",  # an admin is no workflow role
    "kepala_opd": "kadis",  # heads the OPD: asks for calibration
}


def appraisal_in_state(team: dict, period, state: str, employee_key: str = "staf") -> Appraisal:
    """An appraisal forced into `state` with the task that state opens (test set-up only)."""
    appraisal = open_appraisal(team[employee_key].employee, period)
    # Complete content, so that the content guards of every step pass.
    fill_complete_skp(appraisal)
    spec = engine().spec(appraisal.workflow)
    now = utcnow()
    appraisal.state = state
    # Finalised recently, so that the objection window is open.
    appraisal.finalised_at = now - timedelta(days=1) if state in ("final", "objection") else None
    # ... and received by the appraisee then (the 14 days run from receipt).
    appraisal.result_received_at = appraisal.finalised_at
    db.session.flush()
    close_open_task(appraisal, None, now)
    open_task(appraisal, spec.states[state], now)
    db.session.flush()
    return appraisal


def snapshot(appraisal_id: int) -> dict:
    """What fire() may write, read fresh from the database."""
    row = db.session.execute(
        sa.select(Appraisal.state, Appraisal.version).where(Appraisal.id == appraisal_id)
    ).one()
    count = lambda model, *where: db.session.scalar(  # noqa: E731
        sa.select(sa.func.count()).select_from(model).where(*where)
    )
    return {
        "state": row.state,
        "version": row.version,
        "events": count(AuditEvent, AuditEvent.appraisal_id == appraisal_id),
        "open_tasks": count(Task, Task.appraisal_id == appraisal_id, Task.closed_at.is_(None)),
        "tasks": count(Task, Task.appraisal_id == appraisal_id),
        "outbox": count(OutboxMessage),
    }
