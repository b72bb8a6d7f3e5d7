"""Notification bookkeeping: what each person was told, and the daily digests.

A Notice records one thing a person is told about an appraisal or a task. Mailed
at once, it points at its outbox row; for people who chose a daily digest it
waits (no outbox row, no digest) until `flask tasks digest` lists it. Reminders,
escalations and new group work are unique per (task, kind, recipient), so that
a command run twice never tells anyone the same thing twice.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.appraisal import Appraisal
from app.models.audit import AuditEvent
from app.models.org import Employee
from app.models.skp import IkiFeedback
from app.models.task import Task
from app.models.types import UTCDateTime, check_in, utcnow

# transition: a workflow step (digest-mode recipients only; immediate ones get the mail);
# due_soon / overdue: reminders to whoever holds the task; escalation: the copy to
# their atasan; new_work: a group task listed in a BKD verifier's digest; feedback: a post
# of umpan balik berkelanjutan on an IKI, told to the other side of the thread; distribution:
# a keberatan decision left the OPD's predikat outside its pola distribusi (to BKD).
NOTICE_KINDS = (
    "transition", "due_soon", "overdue", "escalation", "new_work", "feedback", "distribution",
)  # fmt: skip


class Digest(db.Model):
    """The one digest mail a person gets on a day; the unique key keeps it to one."""

    __tablename__ = "digest"
    __table_args__ = (sa.UniqueConstraint("recipient_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"))
    day: Mapped[date]
    items: Mapped[int] = mapped_column(default=0)
    outbox_message_id: Mapped[int | None] = mapped_column(sa.ForeignKey("outbox_message.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Notice(db.Model):
    """One thing one person is told: mailed now (outbox row) or listed in a digest."""

    __tablename__ = "notice"
    __table_args__ = (
        check_in("kind", NOTICE_KINDS, "kind"),
        # Every kind but a transition is said once per task and recipient.
        sa.Index(
            "uq_notice_once_per_task",
            "task_id",
            "kind",
            "recipient_id",
            unique=True,
            postgresql_where=sa.text("kind <> 'transition'"),
            sqlite_where=sa.text("kind <> 'transition'"),
        ),
        # What the next digest run picks up, without scanning every notice ever written.
        sa.Index(
            "ix_notice_waiting",
            "recipient_id",
            postgresql_where=sa.text("digest_id IS NULL AND outbox_message_id IS NULL"),
            sqlite_where=sa.text("digest_id IS NULL AND outbox_message_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(12))
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"))
    # None for a complaint's reminder (its task says which complaint).
    appraisal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("appraisal.id"), index=True)
    task_id: Mapped[int | None] = mapped_column(sa.ForeignKey("task.id"))
    audit_event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("audit_event.id"))
    outbox_message_id: Mapped[int | None] = mapped_column(sa.ForeignKey("outbox_message.id"))
    digest_id: Mapped[int | None] = mapped_column(sa.ForeignKey("digest.id"), index=True)
    # The post a "feedback" notice tells of.
    iki_feedback_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("iki_feedback.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    appraisal: Mapped[Appraisal] = relationship()
    task: Mapped[Task | None] = relationship()
    event: Mapped[AuditEvent | None] = relationship()
    recipient: Mapped[Employee] = relationship()
    feedback: Mapped[IkiFeedback | None] = relationship()
