"""Read-side helpers for the appraisal page: load, authorise, history."""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from sqlalchemy.orm import contains_eager, joinedload

from app.extensions import db
from app.models import (
    Appraisal,
    AuditEvent,
    DevelopmentAction,
    DevelopmentPlan,
    Employee,
    Position,
)
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


def carried_development(appraisal: Appraisal, limit: int = 10) -> list[DevelopmentAction]:
    """The employee's development actions still planned in the plans of their other SKP.

    The rencana pengembangan agreed at last period's review becomes part of this
    period's SKP page (issue 16): the pegawai and atasan see what is still to do.
    One statement; the nearest target quarter first.
    """
    return list(
        db.session.scalars(
            sa.select(DevelopmentAction)
            .join(DevelopmentPlan, DevelopmentPlan.id == DevelopmentAction.plan_id)
            .where(
                DevelopmentAction.employee_id == appraisal.employee_id,
                DevelopmentAction.status == "planned",
                DevelopmentPlan.appraisal_id != appraisal.id,
            )
            .options(contains_eager(DevelopmentAction.plan))
            .order_by(
                DevelopmentAction.target_year,
                DevelopmentAction.target_quarter,
                DevelopmentAction.id,
            )
            .limit(limit)
        )
    )
