"""Pembinaan services: open a case on a final predikat, its monthly notes, the lists and the
history. Flush, never commit: the caller (fire(), a view) commits once.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import (
    Account,
    Appraisal,
    AuditEvent,
    Employee,
    PembinaanCase,
    PembinaanNote,
    Position,
    Task,
)
from app.org.reporting import atasan_of
from app.policy import pembinaan_scope
from app.workflow.deadlines import local_date
from app.workflow.engine import engine
from app.workflow.pembinaan import PEMBINAAN_WORKFLOW, open_case

PAGE_SIZE = 100


def case_of(appraisal_id: int) -> PembinaanCase | None:
    """The pembinaan case an SKP opened, if any."""
    return db.session.scalar(
        sa.select(PembinaanCase).where(PembinaanCase.appraisal_id == appraisal_id)
    )


def _opd_of(appraisal: Appraisal) -> int | None:
    if appraisal.opd_id is not None:
        return appraisal.opd_id
    position_id = appraisal.employee.position_id
    return db.session.scalar(sa.select(Position.opd_id).where(Position.id == position_id))


def open_pembinaan(appraisal: Appraisal, now: datetime) -> PembinaanCase | None:
    """Open the pembinaan case of an SKP final with a predikat of Kurang or Sangat Kurang;
    flushes. An SKP that already has its case gets that one back (a keberatan decided
    later, or a second finalisation, never opens another).

    The atasan is the SKP's pejabat penilai; without one, the employee's atasan today.
    An SKP with no atasan and no OPD at all opens nothing (logged): there is nobody to
    give the task to.
    """
    existing = case_of(appraisal.id)
    if existing is not None:
        return existing
    atasan_id = appraisal.appraiser_id
    if atasan_id is None:
        holder = atasan_of(appraisal.employee)
        atasan_id = holder.employee.id if holder else None
    opd_id = _opd_of(appraisal)
    if atasan_id is None or opd_id is None:
        current_app.logger.warning(
            "pembinaan not opened for appraisal %s: no atasan or OPD", appraisal.id
        )
        return None
    spec = engine().spec(PEMBINAAN_WORKFLOW)
    case = PembinaanCase(
        appraisal_id=appraisal.id,
        employee_id=appraisal.employee_id,
        opd_id=opd_id,
        atasan_id=atasan_id,
        predikat=appraisal.predikat,
        workflow=spec.name,
        state=spec.initial,
        version=1,
        opened_at=now,
        updated_at=now,
    )
    db.session.add(case)
    db.session.flush()
    open_case(case, now)
    return case


def add_note(case: PembinaanCase, actor: Account, text: str, now: datetime) -> bool:
    """Record this month's (in the city) monitoring note; False when it is already there."""
    month = local_date(now).replace(day=1)
    exists = db.session.scalar(
        sa.select(sa.exists().where(PembinaanNote.case_id == case.id, PembinaanNote.month == month))
    )
    if exists:
        return False
    db.session.add(
        PembinaanNote(
            case_id=case.id, month=month, note=text, author_id=actor.employee_id, created_at=now
        )
    )
    db.session.flush()
    return True


def cases_for(account: Account, state: str | None = None) -> list[PembinaanCase]:
    """The cases the account may list, open ones first, newest first; people and OPD loaded."""
    scope = pembinaan_scope(account)
    query = (
        sa.select(PembinaanCase)
        .where(scope)
        .options(
            joinedload(PembinaanCase.employee),
            joinedload(PembinaanCase.atasan),
            joinedload(PembinaanCase.opd),
            joinedload(PembinaanCase.appraisal).joinedload(Appraisal.period),
        )
        .order_by(PembinaanCase.closed_at.is_not(None), PembinaanCase.opened_at.desc())
        .limit(PAGE_SIZE)
    )
    if state:
        query = query.where(PembinaanCase.state == state)
    return list(db.session.scalars(query))


def load_case(case_id: int) -> PembinaanCase | None:
    """One case with what its page shows: the people, the OPD, the SKP's period, the notes."""
    return db.session.scalar(
        sa.select(PembinaanCase)
        .where(PembinaanCase.id == case_id)
        .options(
            joinedload(PembinaanCase.employee).joinedload(Employee.position),
            joinedload(PembinaanCase.atasan),
            joinedload(PembinaanCase.opd),
            joinedload(PembinaanCase.appraisal).joinedload(Appraisal.period),
            selectinload(PembinaanCase.notes).joinedload(PembinaanNote.author),
        )
    )


def history(case: PembinaanCase) -> list[AuditEvent]:
    """The case's audit trail, oldest first, actors loaded."""
    return list(
        db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.pembinaan_id == case.id)
            .options(joinedload(AuditEvent.actor))
            .order_by(AuditEvent.seq)
        )
    )


def waiting_on(case: PembinaanCase) -> list[Task]:
    """The case's open task(s), assignees loaded."""
    return list(
        db.session.scalars(
            sa.select(Task)
            .where(Task.pembinaan_id == case.id, Task.closed_at.is_(None))
            .options(joinedload(Task.assignee))
        )
    )
