"""Periods and appraisals (SKP segments: one per employee, period and jabatan held)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.org import Employee, Opd
from app.models.types import UTCDateTime, check_in, utcnow

PERIOD_KINDS = ("annual", "tw1", "tw2", "tw3", "tw4")
APPROACHES = ("kuantitatif", "kualitatif")
RATINGS = ("di_atas", "sesuai", "di_bawah")
PREDIKAT = ("sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang")
ORG_PREDIKAT = ("istimewa", "baik", "butuh_perbaikan", "kurang", "sangat_kurang")
PERIOD_STATUSES = ("draft", "open", "closed")
# What an annual plan sets periodic targets for: each quarter, or each month.
TARGET_BREAKDOWNS = ("quarter", "month")
# Domain words: they stay Indonesian in every language of the interface.
RATING_LABELS = {
    "di_atas": "Di Atas Ekspektasi",
    "sesuai": "Sesuai Ekspektasi",
    "di_bawah": "Di Bawah Ekspektasi",
}
PREDIKAT_LABELS = {
    "sangat_baik": "Sangat Baik",
    "baik": "Baik",
    "butuh_perbaikan": "Butuh Perbaikan",
    # The regulation's cell reads "Kurang/Misconduct"; pages say Kurang, the document prints
    # the regulation's label (DOCUMENT_PREDIKAT_LABELS).
    "kurang": "Kurang",
    "sangat_kurang": "Sangat Kurang",
}
# The Dokumen Evaluasi Kinerja prints the matrix's own words.
DOCUMENT_PREDIKAT_LABELS = {**PREDIKAT_LABELS, "kurang": "Kurang/Misconduct"}
ORG_PREDIKAT_LABELS = {
    "istimewa": "Istimewa",
    "baik": "Baik",
    "butuh_perbaikan": "Butuh Perbaikan",
    "kurang": "Kurang",
    "sangat_kurang": "Sangat Kurang",
}
# What the codes above are called on pages, in exports and in mail.
PERIOD_KIND_LABELS = {
    "annual": _l("Annual"),
    "tw1": _l("Triwulan I"),
    "tw2": _l("Triwulan II"),
    "tw3": _l("Triwulan III"),
    "tw4": _l("Triwulan IV"),
}
PERIOD_STATUS_LABELS = {"draft": _l("draft"), "open": _l("open"), "closed": _l("closed")}


class Period(db.Model):
    """An appraisal period: the year, or one of its quarters (Triwulan I-IV)."""

    __tablename__ = "period"
    __table_args__ = (
        check_in("kind", PERIOD_KINDS, "kind"),
        check_in("status", PERIOD_STATUSES, "status"),
        check_in("target_breakdown", TARGET_BREAKDOWNS, "target_breakdown"),
        sa.UniqueConstraint("year", "kind"),
        sa.CheckConstraint("end_date >= start_date", name="dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    year: Mapped[int]
    kind: Mapped[str] = mapped_column(sa.String(6))
    start_date: Mapped[date]
    end_date: Mapped[date]
    plan_deadline: Mapped[date]
    assessment_deadline: Mapped[date]
    # The appraiser's deadlines (the plan approved, the review done), from the
    # statutory calendar (app.periods.calendar); None on periods made before it.
    plan_approval_deadline: Mapped[date | None]
    review_deadline: Mapped[date | None]
    status: Mapped[str] = mapped_column(sa.String(6), default="draft")
    workflow: Mapped[str] = mapped_column(sa.String(60))
    # An annual period: whether its plans set targets per quarter or per month
    # (app/skp/periodic.py); the quarters read theirs from it.
    target_breakdown: Mapped[str] = mapped_column(
        sa.String(7), default="quarter", server_default="quarter"
    )

    @property
    def parts(self) -> int:
        """How many periodic targets an annual plan of this period sets per IKI."""
        return 12 if self.target_breakdown == "month" else 4

    def __repr__(self) -> str:
        return f"<Period {self.year} {self.kind}>"


def _period_date(column: str):
    """A column default: the period's start or end date (a segment spans it unless cut short)."""

    def default(context) -> date:
        table = Period.__table__
        period_id = context.get_current_parameters()["period_id"]
        return context.connection.scalar(sa.select(table.c[column]).where(table.c.id == period_id))

    return default


class Appraisal(db.Model):
    """One SKP segment of an employee in a period, moved through its workflow by the engine only.

    Usually the only one. An employee who changes jabatan mid-period (mutasi,
    promotion, Plt) gets a further segment for the new jabatan, with its own
    appraiser, from the move date; the previous one ends the day before and is
    evaluated for the months served (app/periods/segments.py). Segments of one
    employee and period are numbered 1, 2, ...: the unique key keeps two admins
    from both starting segment n+1, and the dates of consecutive segments never
    overlap because only the latest one is ever cut short.
    """

    __tablename__ = "appraisal"
    __table_args__ = (
        sa.UniqueConstraint("employee_id", "period_id", "segment"),
        sa.CheckConstraint("segment >= 1", name="segment"),
        sa.CheckConstraint("end_date >= start_date", name="segment_dates"),
        sa.CheckConstraint("version >= 1", name="version"),
        check_in("appraiser_acting", ("plt", "plh"), "appraiser_acting"),
        check_in("approach", APPROACHES, "approach"),
        check_in("rating_hk", RATINGS, "rating_hk"),
        check_in("rating_pk", RATINGS, "rating_pk"),
        check_in("rating_hk_suggested", RATINGS, "rating_hk_suggested"),
        check_in("predikat", PREDIKAT, "predikat"),
        sa.Index("ix_appraisal_period_state", "period_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"))
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("period.id"), index=True)
    # The segment: its number, the dates it covers, and the jabatan held (its name as it
    # was then, so that renaming or removing the position does not rewrite history).
    segment: Mapped[int] = mapped_column(default=1, server_default="1")
    start_date: Mapped[date] = mapped_column(default=_period_date("start_date"))
    end_date: Mapped[date] = mapped_column(default=_period_date("end_date"))
    position_id: Mapped[int | None] = mapped_column(sa.ForeignKey("position.id"), index=True)
    position_name: Mapped[str | None] = mapped_column(sa.String(200))
    # The OPD and the appraiser as they were when the appraisal was opened (or
    # last reassigned): later changes to the organisation do not rewrite history.
    opd_id: Mapped[int | None] = mapped_column(sa.ForeignKey("opd.id"), index=True)
    appraiser_id: Mapped[int | None] = mapped_column(sa.ForeignKey("employee.id"), index=True)
    appraiser_acting: Mapped[str | None] = mapped_column(sa.String(3))
    workflow: Mapped[str] = mapped_column(sa.String(60))
    state: Mapped[str] = mapped_column(sa.String(40))
    version: Mapped[int] = mapped_column(default=1)
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the appraisee received the final result: the delivery of the final mail
    # or their first view of the final SKP, whichever came first. The 14 days for
    # a keberatan run from it (PP 30/2019 Pasal 59 ayat 2); set once
    # (app.outbox.receipt), never moved.
    result_received_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The SKP's content beyond its rows (app/models/skp.py).
    approach: Mapped[str] = mapped_column(
        sa.String(12), default="kuantitatif", server_default="kuantitatif"
    )
    rating_hk: Mapped[str | None] = mapped_column(sa.String(8))
    rating_pk: Mapped[str | None] = mapped_column(sa.String(8))
    rating_comment: Mapped[str | None] = mapped_column(sa.Text)
    # The hasil kerja rating SIKAP suggested from the RHK ratings when the review was
    # saved, and the atasan's written reason for choosing another (app/skp/capaian.py).
    rating_hk_suggested: Mapped[str | None] = mapped_column(sa.String(8))
    rating_hk_reason: Mapped[str | None] = mapped_column(sa.Text)
    # Who gave the ratings: never the one who verifies them (separation of duties),
    # even after the appraisal moves to another appraiser.
    rated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("employee.id"))
    # The pengelola kinerja who drafted the plan for the employee, if one did (the
    # plan says so: PermenPANRB 8/2021, Bab II A.4).
    plan_drafted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("employee.id"))
    # Read from the matrix whenever both ratings are set; stored for reports.
    predikat: Mapped[str | None] = mapped_column(sa.String(16))
    document_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    # What the document shows of others, as it stood at finalisation (the OPD's predikat
    # distribution, ...): the recorded fingerprint stays reproducible when they change.
    document_facts: Mapped[dict | None] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    appraiser: Mapped[Employee | None] = relationship(foreign_keys=[appraiser_id])
    plan_drafted_by: Mapped[Employee | None] = relationship(foreign_keys=[plan_drafted_by_id])
    period: Mapped[Period] = relationship()
    opd: Mapped[Opd | None] = relationship()

    def __repr__(self) -> str:
        return f"<Appraisal {self.id} {self.state} v{self.version}>"

    @property
    def rating_hk_override_reason(self) -> str | None:
        """The reason for a hasil kerja rating other than the suggested one; None if it is the same.

        The reason is stored as typed; it is shown (and printed) only while it explains
        a departure from the suggestion.
        """
        if not self.rating_hk or self.rating_hk == self.rating_hk_suggested:
            return None
        return (self.rating_hk_reason or "").strip() or None

    @property
    def days(self) -> int:
        """Days the segment covers, both ends included: its weight in the period's result."""
        return (self.end_date - self.start_date).days + 1


def latest_segment() -> sa.ColumnElement[bool]:
    """True for an employee's latest SKP segment of its period: one row per employee.

    The latest segment is the one still running to the period's end; every earlier
    one was cut short by a move. Counts that mean employees filter with this.
    """
    return Appraisal.end_date == (
        sa.select(Period.end_date).where(Period.id == Appraisal.period_id).scalar_subquery()
    )
