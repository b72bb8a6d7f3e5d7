"""The SKP's content: hasil kerja (RHK) with their IKI, evidence, perilaku kerja, dialog,
and the umpan balik berkelanjutan on each IKI.

Rows belong to one appraisal. They are edited by services that check the
workflow step first; the state itself only ever changes through the engine.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.appraisal import Appraisal
from app.models.org import Employee
from app.models.types import UTCDateTime, check_in, utcnow

if TYPE_CHECKING:
    from app.models.timkerja import TimKerja

RHK_GROUPS = ("utama", "tambahan")
ASPECTS = ("kuantitas", "kualitas", "waktu", "biaya")
PERSPECTIVES = ("penerima_layanan", "proses_bisnis", "penguatan_internal", "anggaran")
TARGET_KINDS = ("number", "text")
EVIDENCE_KINDS = ("file", "link")
# How an IKI's realisasi is read against its target (app/skp/capaian.py): higher is
# better, lower is better, an exact target (within a tolerance), or qualitative (the
# atasan marks it above / on / below expectation).
DIRECTIONS = ("higher", "lower", "exact", "quality")
# How the annual realisasi of an IKI follows from its quarters' (app/skp/periodic.py):
# summed (a count of things done), averaged (a rate or a score), or the last value
# (a level reached, e.g. a percentage of coverage at year end).
ACCUMULATIONS = ("sum", "average", "last")
# The parts of the year an annual plan's periodic targets are set for: 1..4 quarters,
# or 1..12 months (the annual period's target_breakdown).
MAX_PARTS = 12
# The three ratings (the model's check constraints; the labels live in app.models.appraisal).
MARKS = ("di_atas", "sesuai", "di_bawah")
# The seven BerAKHLAK core values, in their official order.
BERAKHLAK = (
    "berorientasi_pelayanan",
    "akuntabel",
    "kompeten",
    "harmonis",
    "loyal",
    "adaptif",
    "kolaboratif",
)
# Their names as written in the regulation (the same in every language).
BERAKHLAK_LABELS = {
    "berorientasi_pelayanan": "Berorientasi Pelayanan",
    "akuntabel": "Akuntabel",
    "kompeten": "Kompeten",
    "harmonis": "Harmonis",
    "loyal": "Loyal",
    "adaptif": "Adaptif",
    "kolaboratif": "Kolaboratif",
}


class Rhk(db.Model):
    """A rencana hasil kerja: one line of the plan, UTAMA or TAMBAHAN."""

    __tablename__ = "rhk"
    __table_args__ = (
        check_in("group_", RHK_GROUPS, "group"),
        check_in("rating", MARKS, "rating"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    appraisal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("appraisal.id", ondelete="CASCADE"), index=True
    )
    group_: Mapped[str] = mapped_column("group_", sa.String(8))
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(sa.Text)
    # The atasan's RHK this one supports (RHK atasan yang diintervensi); non-JPT only.
    atasan_rhk_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("rhk.id", ondelete="SET NULL"), index=True
    )
    # The sasaran of the OPD's Perjanjian Kinerja a JPT's RHK serves (app/pk).
    pk_sasaran_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("pk_sasaran.id", ondelete="SET NULL"), index=True
    )
    # The atasan's rating of this RHK at review (di atas / sesuai / di bawah ekspektasi);
    # the hasil kerja rating is suggested from these (app/skp/capaian.py).
    rating: Mapped[str | None] = mapped_column(sa.String(8))
    # The tim kerja whose shared result this is ("hasil kerja bersama tim"), set when the
    # matriks peran hasil gave an atasan RHK to the team (app/cascade/teams.py).
    tim_kerja_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("tim_kerja.id", ondelete="SET NULL"), index=True
    )
    # A quarter's RHK: the annual plan's RHK it was copied from when the quarter opened.
    source_rhk_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("rhk.id", ondelete="SET NULL"), index=True
    )

    appraisal: Mapped[Appraisal] = relationship()
    atasan_rhk: Mapped[Rhk | None] = relationship(remote_side=[id], foreign_keys=[atasan_rhk_id])
    # Joined with every RHK: the plan, the matrix and the document name the team.
    tim_kerja: Mapped[TimKerja | None] = relationship(lazy="joined")
    ikis: Mapped[list[Iki]] = relationship(
        back_populates="rhk", order_by="Iki.position", cascade="all, delete-orphan"
    )


class Iki(db.Model):
    """An indikator kinerja individu of an RHK: its target and, later, its realisasi."""

    __tablename__ = "iki"
    __table_args__ = (
        check_in("aspect", ASPECTS, "aspect"),
        check_in("perspective", PERSPECTIVES, "perspective"),
        check_in("target_kind", TARGET_KINDS, "target_kind"),
        check_in("direction", DIRECTIONS, "direction"),
        check_in("quality_mark", MARKS, "quality_mark"),
        check_in("accumulation", ACCUMULATIONS, "accumulation"),
        sa.CheckConstraint(
            "tolerance IS NULL OR (tolerance >= 0 AND tolerance <= 100)", name="tolerance"
        ),
        sa.CheckConstraint("target_value IS NULL OR target_value >= 0", name="target_value"),
        sa.CheckConstraint(
            "realisasi_value IS NULL OR realisasi_value >= 0", name="realisasi_value"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rhk_id: Mapped[int] = mapped_column(sa.ForeignKey("rhk.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(sa.Text)
    aspect: Mapped[str | None] = mapped_column(sa.String(10))  # non-JPT
    perspective: Mapped[str | None] = mapped_column(sa.String(20))  # JPT
    target_kind: Mapped[str] = mapped_column(sa.String(6), default="number")
    target_value: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    target_unit: Mapped[str | None] = mapped_column(sa.String(50))
    target_text: Mapped[str | None] = mapped_column(sa.Text)
    realisasi_value: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    realisasi_text: Mapped[str | None] = mapped_column(sa.Text)
    direction: Mapped[str] = mapped_column(sa.String(8), default="higher", server_default="higher")
    # For an exact target: how far (in % of the target) the realisasi may be and still meet it.
    tolerance: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 2))
    # For a qualitative IKI: the atasan's mark at review (di_atas / sesuai / di_bawah).
    quality_mark: Mapped[str | None] = mapped_column(sa.String(8))
    # Why an IKI has no bukti dukung (required for an IKI UTAMA without any).
    evidence_reason: Mapped[str | None] = mapped_column(sa.Text)
    # The appraiser's umpan balik on this IKI at review.
    feedback: Mapped[str | None] = mapped_column(sa.Text)
    # The Pustaka IKI entry this IKI was taken from (then adapted); counts its usage.
    library_entry_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("library_entry.id", ondelete="SET NULL"), index=True
    )
    # How the annual realisasi follows from the quarters' (sum / average / last value).
    accumulation: Mapped[str] = mapped_column(sa.String(7), default="sum", server_default="sum")
    # A quarter's IKI: the annual plan's IKI it was copied from (its quarter target is ours).
    source_iki_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("iki.id", ondelete="SET NULL"), index=True
    )
    # Why the pegawai changed the annual realisasi pre-filled from the quarters.
    realisasi_reason: Mapped[str | None] = mapped_column(sa.Text)
    # A satisfaction-index IKI whose realisasi is the IKM of this unit layanan for the
    # appraisal's period (app/skp/assessment/skm.py), not a typed value.
    service_unit_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("service_unit.id", ondelete="SET NULL"), index=True
    )

    rhk: Mapped[Rhk] = relationship(back_populates="ikis")
    # The periodic targets and rencana aksi of an annual plan's IKI, by quarter (or month).
    parts: Mapped[list[IkiPart]] = relationship(
        order_by="IkiPart.part", cascade="all, delete-orphan"
    )
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="iki", order_by="Evidence.id", cascade="all, delete-orphan"
    )

    @property
    def has_realisasi(self) -> bool:
        if self.target_kind == "number":
            return self.realisasi_value is not None
        return bool((self.realisasi_text or "").strip())


class IkiPart(db.Model):
    """An annual IKI's target and rencana aksi for one quarter (or month) of the year.

    Agreed with the plan (edited only while it is drafted); a quarter's evaluation
    is measured against its part, copied into the quarter's IKI when it opens.
    """

    __tablename__ = "iki_part"
    __table_args__ = (
        sa.UniqueConstraint("iki_id", "part"),
        sa.CheckConstraint(f"part >= 1 AND part <= {MAX_PARTS}", name="part"),
        sa.CheckConstraint("target_value IS NULL OR target_value >= 0", name="target_value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    iki_id: Mapped[int] = mapped_column(sa.ForeignKey("iki.id", ondelete="CASCADE"))
    part: Mapped[int]
    target_value: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    # The rencana aksi: what the pegawai plans to do in this part of the year.
    rencana_aksi: Mapped[str | None] = mapped_column(sa.Text)


class Evidence(db.Model):
    """Bukti dukung of an IKI: an uploaded file (stored outside static) or a link."""

    __tablename__ = "evidence"
    __table_args__ = (
        check_in("kind", EVIDENCE_KINDS, "kind"),
        sa.CheckConstraint(
            "(kind = 'file' AND stored_name IS NOT NULL AND sha256 IS NOT NULL)"
            " OR (kind = 'link' AND url IS NOT NULL)",
            name="file_or_link",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    iki_id: Mapped[int] = mapped_column(sa.ForeignKey("iki.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(4))
    filename: Mapped[str | None] = mapped_column(sa.String(255))  # as uploaded, for display
    stored_name: Mapped[str | None] = mapped_column(sa.String(80), unique=True)
    content_type: Mapped[str | None] = mapped_column(sa.String(100))
    size: Mapped[int | None]
    sha256: Mapped[str | None] = mapped_column(sa.String(64))
    url: Mapped[str | None] = mapped_column(sa.String(2000))
    uploaded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    iki: Mapped[Iki] = relationship(back_populates="evidence")


class Behaviour(db.Model):
    """One BerAKHLAK value on an appraisal: the appraiser's expectation and feedback."""

    __tablename__ = "behaviour"
    __table_args__ = (
        check_in("value", BERAKHLAK, "value"),
        sa.UniqueConstraint("appraisal_id", "value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    appraisal_id: Mapped[int] = mapped_column(sa.ForeignKey("appraisal.id", ondelete="CASCADE"))
    value: Mapped[str] = mapped_column(sa.String(30))
    # Ekspektasi khusus pimpinan, set when the plan is approved.
    expectation: Mapped[str | None] = mapped_column(sa.Text)
    # Umpan balik at review.
    feedback: Mapped[str | None] = mapped_column(sa.Text)


class DialogNote(db.Model):
    """A dated note in the dialog kinerja between appraisee and appraiser."""

    __tablename__ = "dialog_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    appraisal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("appraisal.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[Employee] = relationship()


class IkiFeedback(db.Model):
    """One post of umpan balik berkelanjutan on an IKI: the atasan's feedback or the answer.

    Posts are never edited or deleted once written (no service does it): the
    thread is evidence printed in the Dokumen Evaluasi Kinerja, and a correction
    is a new, dated post. `appraisal_id` repeats the IKI's appraisal so that a
    page reads every thread of an SKP in one statement.
    """

    __tablename__ = "iki_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    iki_id: Mapped[int] = mapped_column(sa.ForeignKey("iki.id", ondelete="CASCADE"), index=True)
    appraisal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("appraisal.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    iki: Mapped[Iki] = relationship()
    author: Mapped[Employee] = relationship()
