"""Tasks: the open piece of work of a workflow subject (an appraisal, a complaint or a
pembinaan case), for the
role (or roles) its state names."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.appraisal import Appraisal
from app.models.complaint import Complaint
from app.models.org import Employee
from app.models.pembinaan import PembinaanCase
from app.models.types import UTCDateTime, check_in, utcnow

TASK_ROLES = (
    "appraisee",
    "appraiser",
    "appraiser_superior",
    "verifikator_bkd",
    "unit_head",
    "kepala_opd",
    "pegawai",
    "atasan",
)
# Exactly one subject per task (and per audit event): an appraisal, a complaint or a
# pembinaan case.
ONE_SUBJECT = (
    "(CASE WHEN appraisal_id IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN complaint_id IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN pembinaan_id IS NULL THEN 0 ELSE 1 END) = 1"
)


class Task(db.Model):
    """A personal task (assignee set) or a group task (BKD verifiers: claim and release)."""

    __tablename__ = "task"
    __table_args__ = (
        check_in("role", TASK_ROLES, "role"),
        sa.CheckConstraint(ONE_SUBJECT, name="one_subject"),
        # At most one open task per appraisal and role (several roles only at a joint
        # step, app.workflow.spec): the database holds the engine to it.
        sa.Index(
            "uq_task_open_per_appraisal_role",
            "appraisal_id",
            "role",
            unique=True,
            postgresql_where=sa.text("closed_at IS NULL"),
            sqlite_where=sa.text("closed_at IS NULL"),
        ),
        sa.Index(
            "uq_task_open_per_complaint_role",
            "complaint_id",
            "role",
            unique=True,
            postgresql_where=sa.text("closed_at IS NULL"),
            sqlite_where=sa.text("closed_at IS NULL"),
        ),
        sa.Index(
            "uq_task_open_per_pembinaan_role",
            "pembinaan_id",
            "role",
            unique=True,
            postgresql_where=sa.text("closed_at IS NULL"),
            sqlite_where=sa.text("closed_at IS NULL"),
        ),
        sa.Index("ix_task_inbox", "assignee_id", "closed_at", "due_date"),
        sa.Index("ix_task_group", "role", "closed_at", "due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    appraisal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("appraisal.id"))
    complaint_id: Mapped[int | None] = mapped_column(sa.ForeignKey("complaint.id"))
    pembinaan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("pembinaan_case.id"))
    state: Mapped[str] = mapped_column(sa.String(40))
    role: Mapped[str] = mapped_column(sa.String(20))
    assignee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("employee.id"))
    claimed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("employee.id"))
    due_date: Mapped[date]
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("employee.id"))

    appraisal: Mapped[Appraisal | None] = relationship()
    complaint: Mapped[Complaint | None] = relationship()
    pembinaan: Mapped[PembinaanCase | None] = relationship()
    assignee: Mapped[Employee | None] = relationship(foreign_keys=[assignee_id])
    claimed_by: Mapped[Employee | None] = relationship(foreign_keys=[claimed_by_id])

    @property
    def is_group(self) -> bool:
        return self.assignee_id is None
