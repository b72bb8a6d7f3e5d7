"""City-wide work: background jobs, deadline extensions, roster imports."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.appraisal import PERIOD_STATUSES, Appraisal, Period
from app.models.types import UTCDateTime, check_in, utcnow

JOB_KINDS = ("open_period",)
JOB_STATUSES = ("queued", "running", "done", "failed")
# The steps whose deadline the period sets: the plan and the self-assessment.
DEADLINE_STEPS = ("draft", "self_assessment")
# A running job that has not reported for this long was cut off and not taken up again
# (its worker died and no other worker is running); a queued job waits for a worker.
JOB_STALE_AFTER = timedelta(minutes=5)


class Job(db.Model):
    """Work done outside the web request (opening a period), with its progress and outcome."""

    __tablename__ = "job"
    __table_args__ = (
        check_in("kind", JOB_KINDS, "kind"),
        check_in("status", JOB_STATUSES, "status"),
        sa.CheckConstraint("done >= 0 AND total >= 0", name="progress"),
        sa.Index("ix_job_period_status", "period_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    period_id: Mapped[int | None] = mapped_column(sa.ForeignKey("period.id"))
    # Which OPDs, as a JSON list of ids; empty means every OPD.
    params: Mapped[str] = mapped_column(sa.Text, default="{}")
    status: Mapped[str] = mapped_column(sa.String(10), default="queued")
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    # The outcome counts, as JSON (created appraisals, tasks, mails, skipped, ...).
    counts: Mapped[str] = mapped_column(sa.Text, default="{}")
    error: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Touched at every step, so that a job cut off by a restart can be told apart.
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    period: Mapped[Period | None] = relationship()

    @property
    def params_dict(self) -> dict:
        return json.loads(self.params or "{}")

    @property
    def counts_dict(self) -> dict:
        return json.loads(self.counts or "{}")

    @property
    def percent(self) -> int:
        if self.status == "done":
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")

    def is_stale(self, now: datetime | None = None) -> bool:
        """Still marked as running, but silent for too long: the process running it is gone."""
        now = now or utcnow()
        return self.status == "running" and now - self.heartbeat_at > JOB_STALE_AFTER


class DeadlineExtension(db.Model):
    """Admin BKD lets one appraisal's step run past the period's deadline; the log of grants."""

    __tablename__ = "deadline_extension"
    __table_args__ = (
        check_in("step", DEADLINE_STEPS, "step"),
        sa.Index("ix_deadline_extension_lookup", "appraisal_id", "step"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    appraisal_id: Mapped[int] = mapped_column(sa.ForeignKey("appraisal.id", ondelete="CASCADE"))
    step: Mapped[str] = mapped_column(sa.String(20))
    new_deadline: Mapped[date]
    reason: Mapped[str] = mapped_column(sa.Text)
    granted_by_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    appraisal: Mapped[Appraisal] = relationship()


class PeriodStatusChange(db.Model):
    """A period closed or reopened by admin BKD: who, when and why (shown on the period page)."""

    __tablename__ = "period_status_change"
    __table_args__ = (
        check_in("from_status", PERIOD_STATUSES, "from_status"),
        check_in("to_status", PERIOD_STATUSES, "to_status"),
        sa.Index("ix_period_status_change_period", "period_id", "changed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("period.id", ondelete="CASCADE"))
    from_status: Mapped[str] = mapped_column(sa.String(6))
    to_status: Mapped[str] = mapped_column(sa.String(6))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    changed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PeriodCalendarChange(db.Model):
    """A period date set away from the statutory proposal by admin BKD: which, why, who, when."""

    __tablename__ = "period_calendar_change"
    __table_args__ = (sa.Index("ix_period_calendar_change_period", "period_id", "changed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("period.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(sa.String(30))
    proposed: Mapped[date]
    old_value: Mapped[date | None]
    new_value: Mapped[date]
    reason: Mapped[str] = mapped_column(sa.Text)
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RosterImport(db.Model):
    """An applied roster import: who sent which file, and what it changed."""

    __tablename__ = "roster_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(sa.String(255))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    rows: Mapped[int] = mapped_column(default=0)
    # new / changed / deactivated / reassigned counts, as JSON.
    counts: Mapped[str] = mapped_column(sa.Text, default="{}")
    applied_by_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id"))
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def counts_dict(self) -> dict:
        return json.loads(self.counts or "{}")


# Why an employee makes no SKP plan for a period. The sources searched (PermenPANRB
# 6/2022, BKN e-Kinerja guidance) name tugas belajar and cuti di luar tanggungan negara;
# the others are the usual cases in which a PNS holds no jabatan of the instansi for a
# while (PP 11/2017 as amended by PP 17/2020: pemberhentian sementara; diperbantukan or
# dipekerjakan elsewhere, appraised by the host instansi). "lainnya" takes a note.
EXCLUSION_REASONS = (
    "tugas_belajar",
    "cltn",
    "diberhentikan_sementara",
    "diperbantukan",
    "lainnya",
)
EXCLUSION_REASON_LABELS = {
    "tugas_belajar": _l("Tugas belajar"),
    "cltn": _l("Cuti di luar tanggungan negara (CLTN)"),
    "diberhentikan_sementara": _l("Diberhentikan sementara"),
    "diperbantukan": _l("Diperbantukan/dipekerjakan di luar instansi"),
    "lainnya": _l("Other reason"),
}


class PlanningExclusion(db.Model):
    """An employee excluded from SKP planning in a period (tugas belajar, CLTN, ...), by BKD.

    Period opening skips them, and completion figures leave them out.
    """

    __tablename__ = "planning_exclusion"
    __table_args__ = (
        check_in("reason", EXCLUSION_REASONS, "reason"),
        sa.CheckConstraint("end_date >= start_date", name="dates"),
        sa.UniqueConstraint("employee_id", "period_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"), index=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("period.id"), index=True)
    reason: Mapped[str] = mapped_column(sa.String(30))
    note: Mapped[str | None] = mapped_column(sa.Text)
    start_date: Mapped[date]
    end_date: Mapped[date]
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    period: Mapped[Period] = relationship()

    @property
    def reason_label(self) -> str:
        return str(EXCLUSION_REASON_LABELS[self.reason])
