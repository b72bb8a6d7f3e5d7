"""The audit trail: append-only events, hash-chained per subject (appraisal, complaint or
pembinaan case)."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.appraisal import Appraisal
from app.models.complaint import Complaint
from app.models.org import Employee
from app.models.pembinaan import PembinaanCase
from app.models.task import ONE_SUBJECT
from app.models.types import UTCDateTime, utcnow

GENESIS_HASH = "0" * 64


class AuditEvent(db.Model):
    """Who did what to an appraisal, when, in which capacity; never updated or deleted.

    Each event carries the hash of the previous event of the same appraisal, so an
    edited or removed event breaks the chain (`flask audit verify`). The chain is
    per appraisal because writes to one appraisal are already serialised by the
    compare-and-set on its version; a global chain would serialise the whole city.
    On PostgreSQL a trigger refuses UPDATE and DELETE (see the migration).
    """

    __tablename__ = "audit_event"
    __table_args__ = (
        sa.UniqueConstraint("appraisal_id", "seq"),
        sa.UniqueConstraint("complaint_id", "seq"),
        sa.UniqueConstraint("pembinaan_id", "seq"),
        sa.CheckConstraint(ONE_SUBJECT, name="one_subject"),
        sa.CheckConstraint("seq >= 1", name="seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    appraisal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("appraisal.id"))
    # A complaint's events chain per complaint, exactly as an appraisal's do.
    complaint_id: Mapped[int | None] = mapped_column(sa.ForeignKey("complaint.id"))
    # And a pembinaan case's per case.
    pembinaan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("pembinaan_case.id"))
    seq: Mapped[int]
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("employee.id"))
    acting_as: Mapped[str | None] = mapped_column(sa.String(3))  # plt / plh
    # A pengelola kinerja's step: the actor is the operator, acting for this employee.
    on_behalf_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("employee.id"))
    role: Mapped[str] = mapped_column(sa.String(20))
    trigger: Mapped[str] = mapped_column(sa.String(40))
    from_state: Mapped[str] = mapped_column(sa.String(40))
    to_state: Mapped[str] = mapped_column(sa.String(40))
    comment: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    request_id: Mapped[str | None] = mapped_column(sa.String(64))
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))

    appraisal: Mapped[Appraisal | None] = relationship()
    complaint: Mapped[Complaint | None] = relationship()
    pembinaan: Mapped[PembinaanCase | None] = relationship()
    actor: Mapped[Employee | None] = relationship(foreign_keys=[actor_id])

    def payload(self) -> dict:
        """The fields the hash covers, in a stable form."""
        return (
            {
                "appraisal_id": self.appraisal_id,
                "seq": self.seq,
                "actor_id": self.actor_id,
                "acting_as": self.acting_as,
                "role": self.role,
                "trigger": self.trigger,
                "from": self.from_state,
                "to": self.to_state,
                "comment": self.comment,
                "at": self.created_at.isoformat(timespec="microseconds"),
                "request_id": self.request_id,
                "prev": self.prev_hash,
            }
            | (
                # Only when set, so that the hashes of earlier events stay what they were.
                {"on_behalf_of": self.on_behalf_of_id} if self.on_behalf_of_id is not None else {}
            )
            | ({"complaint_id": self.complaint_id} if self.complaint_id is not None else {})
            | ({"pembinaan_id": self.pembinaan_id} if self.pembinaan_id is not None else {})
        )

    def compute_hash(self) -> str:
        canonical = json.dumps(self.payload(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()
