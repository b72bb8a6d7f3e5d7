"""The audit trail: append events to a subject's hash chain, and verify the chains.

A subject is an appraisal, a complaint or a pembinaan case (app.workflow.subjects):
each has its own chain, its events naming it by the kind's column.

Every audit write goes through `record_event`, called only inside the workflow
package (fire(), and the services of the steps that record what they changed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

import sqlalchemy as sa
from flask import g, has_request_context
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Account, Appraisal, AuditEvent
from app.models.audit import GENESIS_HASH
from app.workflow.names import RETURN_TRIGGERS
from app.workflow.subjects import Subject, column_of


def latest_event(appraisal_id: int) -> AuditEvent | None:
    """The appraisal's newest audit event: who last moved it, to which step, when."""
    return db.session.scalars(_latest_event_query("appraisal_id"), {"of": appraisal_id}).first()


def latest_event_of(subject: Subject) -> AuditEvent | None:
    """The subject's (an appraisal's or a complaint's) newest audit event."""
    column = column_of(subject)
    return db.session.scalars(_latest_event_query(column), {"of": subject.id}).first()


@cache
def _latest_event_query(column: str) -> sa.Select:
    """The newest event of :of by `column`; built once (every step reads it for the chain)."""
    return (
        sa.select(AuditEvent)
        .where(getattr(AuditEvent, column) == sa.bindparam("of"))
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    )


def pending_return(appraisal: Appraisal, events: list[AuditEvent]) -> AuditEvent | None:
    """The return that sent the SKP to where it stands, if it has not moved on since.

    `events` are the appraisal's events, oldest first (or only its latest move).
    Events that do not move the SKP (a reassignment, changed ratings) are skipped.
    """
    moves = [e for e in events if e.from_state != e.to_state]
    last = moves[-1] if moves else None
    if last is None or last.trigger not in RETURN_TRIGGERS or last.to_state != appraisal.state:
        return None
    return last


def latest_return(appraisal: Appraisal) -> AuditEvent | None:
    """`pending_return` read from the database in one query (its actor loaded)."""
    last = db.session.scalars(
        sa.select(AuditEvent)
        .where(
            AuditEvent.appraisal_id == appraisal.id,
            AuditEvent.from_state != AuditEvent.to_state,
        )
        .options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    ).first()
    return pending_return(appraisal, [last] if last else [])


def record_event(
    subject: Subject,
    *,
    actor: Account | None,
    role: str,
    trigger: str,
    from_state: str,
    to_state: str,
    comment: str | None,
    acting_as: str | None,
    now: datetime,
    on_behalf_of: int | None = None,
) -> AuditEvent:
    """Append an audit event to the subject's (appraisal's or complaint's) hash chain.

    Call only after the compare-and-set on the subject: that row lock is what
    keeps two writers from extending the chain from the same event.
    """
    previous = latest_event_of(subject)
    event = AuditEvent(
        **{column_of(subject): subject.id},
        seq=(previous.seq + 1) if previous else 1,
        actor_id=actor.employee_id if actor else None,
        acting_as=acting_as,
        on_behalf_of_id=on_behalf_of,
        role=role,
        trigger=trigger,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        created_at=now,
        request_id=g.get("request_id") if has_request_context() else None,
        prev_hash=previous.hash if previous else GENESIS_HASH,
    )
    event.hash = event.compute_hash()
    db.session.add(event)
    db.session.flush()
    return event


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    appraisal_id: int | None
    seq: int
    reason: str
    complaint_id: int | None = None
    pembinaan_id: int | None = None


def verify_chains(batch_size: int = 5000) -> tuple[int, ChainBreak | None]:
    """Walk every subject's chain in order; return (events checked, first break or None).

    Streams the events in (appraisal, complaint, pembinaan case, seq) order, so memory stays flat
    however long the trail grows; each subject's events come together whichever
    end the database sorts NULL to.
    """
    checked = 0
    current, expected_prev, expected_seq = None, GENESIS_HASH, 1
    query = sa.select(AuditEvent).order_by(
        AuditEvent.appraisal_id, AuditEvent.complaint_id, AuditEvent.pembinaan_id, AuditEvent.seq
    )
    # A server-side cursor on PostgreSQL; closed explicitly, also when we stop early.
    with db.session.scalars(query.execution_options(yield_per=batch_size)) as events:
        for event in events:
            subject = (event.appraisal_id, event.complaint_id, event.pembinaan_id)
            if subject != current:
                current, expected_prev, expected_seq = subject, GENESIS_HASH, 1
            reason = None
            if event.seq != expected_seq:
                reason = "missing event before"
            elif event.prev_hash != expected_prev:
                reason = "previous hash differs"
            elif event.compute_hash() != event.hash:
                reason = "content was altered"
            if reason:
                return checked, ChainBreak(
                    event.id,
                    event.appraisal_id,
                    event.seq,
                    reason,
                    event.complaint_id,
                    event.pembinaan_id,
                )
            checked += 1
            expected_prev, expected_seq = event.hash, expected_seq + 1
    return checked, None
