"""The Pustaka IKI: a library of RHK/IKI templates per jabatan and per function.

Admin BKD curates it; a kepala OPD proposes an entry, which BKD approves or
rejects with a reason. An IKI in a plan may name the entry it was taken from
(Iki.library_entry_id), which is how BKD sees how often each entry is used.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.org import Employee, Opd
from app.models.skp import ASPECTS, DIRECTIONS
from app.models.types import UTCDateTime, check_in, utcnow

# The kinds of function (urusan) an entry serves, in the order the library lists them.
FUNCTIONS = (
    "administrasi_umum",
    "keuangan",
    "kepegawaian",
    "perencanaan",
    "teknologi_informasi",
    "pengawasan",
    "kesehatan",
    "pendidikan",
    "kependudukan",
    "perizinan",
    "ketertiban",
    "penyuluhan",
    "kewilayahan",
    "sosial",
)
# proposed (by a kepala OPD) -> approved | rejected; approved <-> retired (by admin BKD).
ENTRY_STATUSES = ("proposed", "approved", "rejected", "retired")
ENTRY_ACTIONS = ("create", "propose", "edit", "approve", "reject", "retire", "restore", "import")


class LibraryEntry(db.Model):
    """One IKI template with the RHK it serves, for the jabatan and function named."""

    __tablename__ = "library_entry"
    __table_args__ = (
        check_in("function", FUNCTIONS, "function"),
        check_in("aspect", ASPECTS, "aspect"),
        check_in("direction", DIRECTIONS, "direction"),
        check_in("status", ENTRY_STATUSES, "status"),
        sa.CheckConstraint(
            "target_min IS NULL OR target_max IS NULL OR target_min <= target_max",
            name="target_range",
        ),
        sa.Index("ix_library_entry_status_function", "status", "function"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A stable key (KES-001): the XLSX round trip and the starter library match on it.
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    function: Mapped[str] = mapped_column(sa.String(24))
    # The jabatan it fits, one name per line, without jenjang ("Perawat", "Kepala Seksi").
    jabatan: Mapped[str] = mapped_column(sa.Text)
    rhk_text: Mapped[str] = mapped_column(sa.Text)
    iki_text: Mapped[str] = mapped_column(sa.Text)
    aspect: Mapped[str] = mapped_column(sa.String(10))
    unit: Mapped[str | None] = mapped_column(sa.String(50))
    direction: Mapped[str] = mapped_column(sa.String(8))
    measurement: Mapped[str] = mapped_column(sa.Text)
    evidence: Mapped[str] = mapped_column(sa.Text)
    # The suggested target range (numeric IKI) or the suggested target in words.
    target_min: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    target_max: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    target_text: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(10), default="approved")
    # Every write moves it on: two reviewers at once, exactly one wins.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    proposed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("employee.id"))
    proposed_opd_id: Mapped[int | None] = mapped_column(sa.ForeignKey("opd.id"))
    review_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    proposed_by: Mapped[Employee | None] = relationship()
    proposed_opd: Mapped[Opd | None] = relationship()

    @property
    def jabatan_names(self) -> list[str]:
        return [name.strip() for name in self.jabatan.splitlines() if name.strip()]


class LibraryEntryChange(db.Model):
    """The audit trail of an entry: who did what (from which status to which), when and why."""

    __tablename__ = "library_entry_change"
    __table_args__ = (
        check_in("action", ENTRY_ACTIONS, "action"),
        sa.Index("ix_library_entry_change_entry", "entry_id", "changed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("library_entry.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(sa.String(10))
    from_status: Mapped[str | None] = mapped_column(sa.String(10))
    to_status: Mapped[str] = mapped_column(sa.String(10))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("employee.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actor: Mapped[Employee | None] = relationship()
