"""Bottleneck reminders from the monitor: who was reminded of their waiting SKP, by whom.

A MonitorReminder is the log: one row per reminder mailed. MonitorReminderLatest
holds one row per holder (the last reminder they got); the reminder's writer
claims it with one atomic upsert that succeeds only when the last one is older
than the limit, so two clicks at once cannot both send (app.monitoring.reminding).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.org import Employee
from app.models.types import UTCDateTime, utcnow


class MonitorReminder(db.Model):
    """One reminder mailed to a holder of waiting SKP: the figures it named, who sent it."""

    __tablename__ = "monitor_reminder"
    __table_args__ = (
        sa.CheckConstraint("waiting > 0 AND overdue >= 0 AND overdue <= waiting", name="counts"),
        sa.Index("ix_monitor_reminder_holder_sent", "holder_id", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("period.id", ondelete="CASCADE"))
    # The OPD the sender watched (None: the whole city): the SKP the mail counted.
    opd_id: Mapped[int | None] = mapped_column(sa.ForeignKey("opd.id"))
    holder_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"))
    sent_by_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"))
    waiting: Mapped[int]
    overdue: Mapped[int]
    outbox_message_id: Mapped[int | None] = mapped_column(sa.ForeignKey("outbox_message.id"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    holder: Mapped[Employee] = relationship(foreign_keys=[holder_id])
    sent_by: Mapped[Employee] = relationship(foreign_keys=[sent_by_id])


class MonitorReminderLatest(db.Model):
    """The last reminder each holder got: one row per holder (the 24-hour limit's lock)."""

    __tablename__ = "monitor_reminder_latest"

    holder_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"), primary_key=True)
    sent_by_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())
