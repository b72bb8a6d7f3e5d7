"""Pembinaan: the case a predikat of Kurang or Sangat Kurang opens (workflows/pembinaan.yaml).

The atasan drafts a plan, the employee agrees to it, the atasan records a
monitoring note every month, and the case closes with an outcome that the
kepala OPD (or BKD) confirms. One case per SKP at most.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.appraisal import Appraisal
from app.models.org import Employee, Opd
from app.models.types import UTCDateTime, check_in, utcnow

# How a case ends. Indonesian words, as the city's decisions write them:
# membaik: the employee's kinerja now meets the expectations;
# belum_membaik: not yet, the pembinaan goes on in the next period's SKP;
# dirujuk_hukuman_disiplin: referred to the disciplinary process (PP 94/2021).
OUTCOMES = ("membaik", "belum_membaik", "dirujuk_hukuman_disiplin")
OUTCOME_LABELS = {
    "membaik": "Membaik",
    "belum_membaik": "Belum membaik",
    "dirujuk_hukuman_disiplin": "Dirujuk ke proses hukuman disiplin",
}
# The predikat that open a case.
PEMBINAAN_PREDIKAT = ("kurang", "sangat_kurang")


class PembinaanCase(db.Model):
    """One pembinaan case: the SKP that gave the predikat, its workflow state and its content.

    Moved only by the workflow engine (app.workflow.engine.fire): `version` is
    compared on every UPDATE so that of two people acting at once exactly one wins.
    """

    __tablename__ = "pembinaan_case"
    __table_args__ = (
        check_in("predikat", PEMBINAAN_PREDIKAT, "predikat"),
        check_in("outcome", OUTCOMES, "outcome"),
        sa.Index("ix_pembinaan_case_opd_opened", "opd_id", "opened_at"),
        sa.Index("ix_pembinaan_case_atasan", "atasan_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Never two cases for one SKP: the database holds the opening to it.
    appraisal_id: Mapped[int] = mapped_column(sa.ForeignKey("appraisal.id"), unique=True)
    employee_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"))
    opd_id: Mapped[int] = mapped_column(sa.ForeignKey("opd.id"))
    # The atasan who leads the pembinaan: the SKP's pejabat penilai when it was opened.
    atasan_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"))
    # The predikat as it stood when the case was opened.
    predikat: Mapped[str] = mapped_column(sa.String(16))
    workflow: Mapped[str] = mapped_column(sa.String(40))
    state: Mapped[str] = mapped_column(sa.String(40))
    version: Mapped[int] = mapped_column(default=1)
    plan: Mapped[str | None] = mapped_column(sa.Text)
    plan_agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(sa.String(30))
    outcome_note: Mapped[str | None] = mapped_column(sa.Text)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    appraisal: Mapped[Appraisal] = relationship()
    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    atasan: Mapped[Employee] = relationship(foreign_keys=[atasan_id])
    opd: Mapped[Opd] = relationship()
    notes: Mapped[list[PembinaanNote]] = relationship(
        back_populates="case", order_by="PembinaanNote.month", lazy="raise_on_sql"
    )


class PembinaanNote(db.Model):
    """The atasan's monitoring note for one month of a case (one note per month)."""

    __tablename__ = "pembinaan_note"
    __table_args__ = (sa.UniqueConstraint("case_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("pembinaan_case.id"))
    # The first day of the month the note is for.
    month: Mapped[date]
    note: Mapped[str] = mapped_column(sa.Text)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    case: Mapped[PembinaanCase] = relationship(back_populates="notes")
    author: Mapped[Employee] = relationship()
