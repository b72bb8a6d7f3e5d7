"""Verify the audit trail's hash chains."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent
from app.models.audit import GENESIS_HASH


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    appraisal_id: int
    seq: int
    reason: str


def verify_chains(batch_size: int = 5000) -> tuple[int, ChainBreak | None]:
    """Walk every appraisal's chain in order; return (events checked, first break or None).

    Streams the events in (appraisal, seq) order, so memory stays flat however
    long the trail grows.
    """
    checked = 0
    current_appraisal, expected_prev, expected_seq = None, GENESIS_HASH, 1
    query = sa.select(AuditEvent).order_by(AuditEvent.appraisal_id, AuditEvent.seq)
    # A server-side cursor on PostgreSQL; closed explicitly, also when we stop early.
    with db.session.scalars(query.execution_options(yield_per=batch_size)) as events:
        for event in events:
            if event.appraisal_id != current_appraisal:
                current_appraisal, expected_prev, expected_seq = event.appraisal_id, GENESIS_HASH, 1
            reason = None
            if event.seq != expected_seq:
                reason = "missing event before"
            elif event.prev_hash != expected_prev:
                reason = "previous hash differs"
            elif event.compute_hash() != event.hash:
                reason = "content was altered"
            if reason:
                return checked, ChainBreak(event.id, event.appraisal_id, event.seq, reason)
            checked += 1
            expected_prev, expected_seq = event.hash, expected_seq + 1
    return checked, None
