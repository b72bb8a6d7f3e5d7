"""Read-side helpers for the appraisal page: load, authorise, history."""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Appraisal, AuditEvent, Employee, Position
from app.policy import can_view_appraisal


@cache
def _appraisal_query() -> sa.Select:
    """Appraisal :id with what its pages show of it; built once (statements cost to build)."""
    return (
        sa.select(Appraisal)
        .where(Appraisal.id == sa.bindparam("id"))
        .options(
            joinedload(Appraisal.employee).joinedload(Employee.position).joinedload(Position.opd),
            joinedload(Appraisal.appraiser),
            joinedload(Appraisal.period),
            joinedload(Appraisal.opd),
        )
    )


def get_appraisal(appraisal_id: int) -> Appraisal:
    """The appraisal if the current user may see it; 404 otherwise (existence is not revealed)."""
    appraisal = db.session.scalars(_appraisal_query(), {"id": appraisal_id}).first()
    if appraisal is None or not can_view_appraisal(current_user, appraisal):
        abort(404)
    return appraisal


def history(appraisal: Appraisal) -> list[AuditEvent]:
    """The appraisal's audit events, oldest first, with their actors."""
    return list(db.session.scalars(_history_query(), {"id": appraisal.id}))


@cache
def _history_query() -> sa.Select:
    return (
        sa.select(AuditEvent)
        .where(AuditEvent.appraisal_id == sa.bindparam("id"))
        .options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.seq)
    )
