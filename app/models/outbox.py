"""The outbox: one row per email, written in the same transaction as the change."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime, check_in, utcnow

OUTBOX_STATUSES = ("pending", "sent", "dead")
# What the statuses are called on the admin pages.
OUTBOX_STATUS_LABELS = {"pending": _l("Pending"), "sent": _l("Sent"), "dead": _l("Dead")}


class OutboxMessage(db.Model):
    """An email waiting to be sent, sent, or given up on."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        check_in("status", OUTBOX_STATUSES, "status"),
        sa.Index("ix_outbox_message_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(254))
    # Empty until rendered: a row with a `context` is rendered by the worker at
    # send time (app.outbox.render) and keeps what it rendered, so that a retry
    # sends the same mail.
    subject: Mapped[str | None] = mapped_column(sa.String(300))
    body_text: Mapped[str | None] = mapped_column(sa.Text)
    body_html: Mapped[str | None] = mapped_column(sa.Text)
    template: Mapped[str] = mapped_column(sa.String(80))
    # What to render: the renderer's name ("kind") and the ids and plain values it
    # reads (JSON); None for a mail rendered when it was queued.
    context: Mapped[dict | None] = mapped_column(sa.JSON)
    # The workflow event that caused the mail, if any (for tracing and tests).
    audit_event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("audit_event.id"), index=True)
    # The appraisal whose final result this mail delivers to its appraisee: when it
    # is sent, the result counts as received (app.outbox.receipt).
    receipt_appraisal_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("appraisal.id", ondelete="SET NULL")
    )
    locale: Mapped[str] = mapped_column(sa.String(2), default="id")
    status: Mapped[str] = mapped_column(sa.String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def message_id(self) -> str:
        """A Message-ID fixed by the row, so that a resend is recognisable as the same mail."""
        return f"<outbox-{self.id}@sikap.pemkomedan.go.id>"
