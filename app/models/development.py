"""Tindak lanjut (issue 16): development plans, training events and talent assessments.

PermenPANRB 6/2022 ends performance management with tindak lanjut: development,
rewards and sanctions. At review the atasan records the competency gaps seen
(DevelopmentNeed) and proposes development actions from a catalogue with a
target quarter (DevelopmentAction); the pegawai agrees or comments on the plan
(DevelopmentPlan, one per SKP). An action done carries its JP hours and a
certificate. Training events (including sosialisasi on SIKAP itself) record who
attended; each attendance counts in the attendee's yearly JP. Talent assessments
are the potential axis of the 9-box (app.followup.talent), imported per year.
Followup settings hold the tables a city sets (TPP factors, 9-box thresholds, the
yearly JP goal) as JSON by key, versioned.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.appraisal import Appraisal
from app.models.org import Employee, Opd
from app.models.types import UTCDateTime, check_in, utcnow

COMPETENCY_KINDS = ("teknis", "manajerial", "sosial_kultural")
# PermenPANRB 6/2022 and Peraturan LAN on ASN development: classical and non-classical.
CLASSICAL_ACTIONS = ("diklat", "kursus", "seminar", "pelatihan_teknis")
NON_CLASSICAL_ACTIONS = ("coaching", "mentoring", "job_enrichment", "detasering", "e_learning")
ACTION_KINDS = CLASSICAL_ACTIONS + NON_CLASSICAL_ACTIONS
ACTION_STATUSES = ("planned", "done", "cancelled")
TRAINING_KINDS = ("pelatihan", "sosialisasi")


class DevelopmentPlan(db.Model):
    """The rencana pengembangan of one SKP: its needs and actions, and the pegawai's answer."""

    __tablename__ = "development_plan"
    __table_args__ = (sa.CheckConstraint("version >= 1", name="version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    appraisal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("appraisal.id", ondelete="CASCADE"), unique=True
    )
    employee_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"), index=True)
    # The pegawai agrees (agreed_at) or answers with a comment; either ends their turn.
    agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    employee_comment: Mapped[str | None] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    appraisal: Mapped[Appraisal] = relationship()
    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    needs: Mapped[list[DevelopmentNeed]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="DevelopmentNeed.id"
    )
    actions: Mapped[list[DevelopmentAction]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="DevelopmentAction.id"
    )


class DevelopmentNeed(db.Model):
    """A competency gap the atasan saw, tied to a BerAKHLAK value or an IKI where it shows."""

    __tablename__ = "development_need"
    __table_args__ = (check_in("competency", COMPETENCY_KINDS, "competency"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("development_plan.id", ondelete="CASCADE"), index=True
    )
    competency: Mapped[str] = mapped_column(sa.String(20))
    description: Mapped[str] = mapped_column(sa.Text)
    # The BerAKHLAK core value (Behaviour.value) or the IKI the gap shows in.
    behaviour: Mapped[str | None] = mapped_column(sa.String(30))
    iki_id: Mapped[int | None] = mapped_column(sa.ForeignKey("iki.id", ondelete="SET NULL"))

    plan: Mapped[DevelopmentPlan] = relationship(back_populates="needs")


class DevelopmentAction(db.Model):
    """A development action of a plan: what, by which quarter, and when done, its JP."""

    __tablename__ = "development_action"
    __table_args__ = (
        check_in("kind", ACTION_KINDS, "kind"),
        check_in("status", ACTION_STATUSES, "status"),
        sa.CheckConstraint("target_quarter BETWEEN 1 AND 4", name="target_quarter"),
        sa.CheckConstraint("jp IS NULL OR jp >= 0", name="jp"),
        sa.CheckConstraint(
            "status != 'done' OR (done_on IS NOT NULL AND jp IS NOT NULL)", name="done_has_jp"
        ),
        sa.CheckConstraint("version >= 1", name="version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("development_plan.id", ondelete="CASCADE"), index=True
    )
    need_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("development_need.id", ondelete="SET NULL")
    )
    # Denormalised from the plan, for the yearly hours and the OPD's coverage.
    employee_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    title: Mapped[str] = mapped_column(sa.String(300))
    target_year: Mapped[int]
    target_quarter: Mapped[int]
    status: Mapped[str] = mapped_column(sa.String(10), default="planned")
    jp: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 1))
    done_on: Mapped[date | None]
    # The training event it was done at: its attendance counts the JP, not this action.
    training_event_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("training_event.id", ondelete="SET NULL")
    )
    certificate_name: Mapped[str | None] = mapped_column(sa.String(255))
    certificate_stored: Mapped[str | None] = mapped_column(sa.String(80), unique=True)
    certificate_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    plan: Mapped[DevelopmentPlan] = relationship(back_populates="actions")
    need: Mapped[DevelopmentNeed | None] = relationship()


training_event_opd = sa.Table(
    "training_event_opd",
    db.metadata,
    sa.Column(
        "event_id",
        sa.ForeignKey("training_event.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("opd_id", sa.ForeignKey("opd.id", ondelete="CASCADE"), primary_key=True),
)


class TrainingEvent(db.Model):
    """A training or sosialisasi session: when, how many JP, which OPDs are invited."""

    __tablename__ = "training_event"
    __table_args__ = (
        check_in("kind", TRAINING_KINDS, "kind"),
        sa.CheckConstraint("end_date >= start_date", name="dates"),
        sa.CheckConstraint("jp >= 0", name="jp"),
        sa.CheckConstraint("version >= 1", name="version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(12))
    title: Mapped[str] = mapped_column(sa.String(300))
    topic: Mapped[str | None] = mapped_column(sa.String(300))
    organiser: Mapped[str] = mapped_column(sa.String(200))
    start_date: Mapped[date] = mapped_column(index=True)
    end_date: Mapped[date]
    jp: Mapped[Decimal] = mapped_column(sa.Numeric(5, 1))
    version: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    opds: Mapped[list[Opd]] = relationship(secondary=training_event_opd)
    attendances: Mapped[list[TrainingAttendance]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )


class TrainingAttendance(db.Model):
    """One employee at one event: attended or not (imported or marked), and the certificate."""

    __tablename__ = "training_attendance"
    __table_args__ = (sa.UniqueConstraint("event_id", "employee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_event.id", ondelete="CASCADE"), index=True
    )
    employee_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"), index=True)
    attended: Mapped[bool] = mapped_column(default=True)
    certificate_name: Mapped[str | None] = mapped_column(sa.String(255))
    certificate_stored: Mapped[str | None] = mapped_column(sa.String(80), unique=True)
    certificate_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    marked_by_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id"))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    event: Mapped[TrainingEvent] = relationship(back_populates="attendances")
    employee: Mapped[Employee] = relationship()


class TalentAssessment(db.Model):
    """An employee's assessment score of a year (the 9-box's potential axis), as imported."""

    __tablename__ = "talent_assessment"
    __table_args__ = (
        sa.UniqueConstraint("employee_id", "year"),
        sa.CheckConstraint("score >= 0 AND score <= 100", name="score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"), index=True)
    year: Mapped[int]
    score: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2))
    source: Mapped[str] = mapped_column(sa.String(200))
    imported_by_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id"))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    employee: Mapped[Employee] = relationship()


class FollowupSetting(db.Model):
    """A table the city sets (TPP factors, 9-box thresholds, the yearly JP goal), by key."""

    __tablename__ = "followup_setting"
    __table_args__ = (sa.CheckConstraint("version >= 1", name="version"),)

    key: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    value: Mapped[dict] = mapped_column(sa.JSON)
    version: Mapped[int] = mapped_column(default=1)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
