"""Summary rows for the progress dashboard and the monitor: counts as insert-only deltas.

Each row adds `delta` (+n or -n) to the count of its group. Database triggers
on appraisal, planning_exclusion, period, position and task write them in the
same transaction as the change (migrations 7c3f9a1d2e84 and 9d4a6e2c7b15), so
every writer is covered: the engine, period opening, segments, seeds, a manual
UPDATE. The design and its maintenance live in app/dashboard/summary.py
(appraisal_count) and app/dashboard/progress_counts.py (the monitor's three).
"""

from __future__ import annotations

from datetime import date

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


class ProgressCount(db.Model):
    """A change to how many employees' counted SKP stand in a state, per unit and appraiser."""

    __tablename__ = "progress_count"
    __table_args__ = (
        sa.Index("ix_progress_count_period_opd", "period_id", "opd_id"),
        sa.Index("ix_progress_count_period_appraiser", "period_id", "appraiser_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("period.id", ondelete="CASCADE"))
    opd_id: Mapped[int | None] = mapped_column(sa.ForeignKey("opd.id", ondelete="CASCADE"))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"))
    appraiser_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("employee.id", ondelete="CASCADE")
    )
    state: Mapped[str] = mapped_column(sa.String(40))
    delta: Mapped[int]


class OpenTaskCount(db.Model):
    """A change to how many open appraisal tasks one holder (or group role) has, by day."""

    __tablename__ = "open_task_count"
    __table_args__ = (
        sa.Index("ix_open_task_count_period_opd", "period_id", "opd_id"),
        sa.Index("ix_open_task_count_period_appraiser", "period_id", "appraiser_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("period.id", ondelete="CASCADE"))
    opd_id: Mapped[int | None] = mapped_column(sa.ForeignKey("opd.id", ondelete="CASCADE"))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"))
    appraiser_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("employee.id", ondelete="CASCADE")
    )
    # coalesce(claimed_by, assignee): None for a group task nobody has claimed.
    holder_id: Mapped[int | None] = mapped_column(sa.ForeignKey("employee.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(sa.String(20))
    opened_on: Mapped[date]  # the UTC day of task.opened_at
    due_on: Mapped[date]
    delta: Mapped[int]


class TaskDayCount(db.Model):
    """open_task_count without the holder: what the per-OPD, unit and appraiser rows read.

    One holder per appraisee makes open_task_count about one row per open task at a
    period's opening; summed over holders, it is about one row per appraiser and day.
    """

    __tablename__ = "task_day_count"
    __table_args__ = (
        sa.Index("ix_task_day_count_period_opd", "period_id", "opd_id"),
        sa.Index("ix_task_day_count_period_appraiser", "period_id", "appraiser_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("period.id", ondelete="CASCADE"))
    opd_id: Mapped[int | None] = mapped_column(sa.ForeignKey("opd.id", ondelete="CASCADE"))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"))
    appraiser_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("employee.id", ondelete="CASCADE")
    )
    opened_on: Mapped[date]
    due_on: Mapped[date]
    delta: Mapped[int]
