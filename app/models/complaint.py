"""Pengaduan: a complaint left with an SKM response, handled as a workflow case."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.skm import ServiceUnit, SkmResponse
from app.models.types import UTCDateTime, utcnow


class Complaint(db.Model):
    """One complaint case: its workflow state, due date (the SLA) and the unit's answer.

    Moved only by the workflow engine (app.workflow.engine.fire), like an SKP:
    `version` is compared on every UPDATE so that of two people acting at once
    exactly one wins.
    """

    __tablename__ = "complaint"
    __table_args__ = (sa.Index("ix_complaint_unit_opened", "service_unit_id", "opened_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("skm_response.id"), unique=True)
    service_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("service_unit.id"))
    workflow: Mapped[str] = mapped_column(sa.String(40))
    state: Mapped[str] = mapped_column(sa.String(40))
    version: Mapped[int] = mapped_column(default=1)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The SLA: answered by the end of this (local) day counts as on time.
    due_date: Mapped[date]
    answer: Mapped[str | None] = mapped_column(sa.Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    response: Mapped[SkmResponse] = relationship()
    service_unit: Mapped[ServiceUnit] = relationship()
