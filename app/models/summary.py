"""Summary rows for the progress dashboard: appraisal counts as insert-only deltas.

Each row adds `delta` (+n or -n) to the count of (period, OPD, state, predikat).
Database triggers on appraisal, planning_exclusion and period write them in the
same transaction as the change (migration 7c3f9a1d2e84), so every writer is
covered: the engine, period opening, segments, seeds, a manual UPDATE. The
design and its maintenance live in app/dashboard/summary.py.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class AppraisalCount(db.Model):
    """A change to how many employees' latest SKP segments stand in a state (and predikat)."""

    __tablename__ = "appraisal_count"
    __table_args__ = (sa.Index("ix_appraisal_count_period_opd", "period_id", "opd_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("period.id", ondelete="CASCADE"))
    opd_id: Mapped[int | None] = mapped_column(sa.ForeignKey("opd.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(sa.String(40))
    predikat: Mapped[str | None] = mapped_column(sa.String(16))
    delta: Mapped[int]
