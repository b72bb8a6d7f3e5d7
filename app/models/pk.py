"""Perjanjian Kinerja (PK): an OPD head's sasaran strategis and indicators for a year.

The PK is the organisation's side of the cascade: its indicators carry annual
and quarterly targets and the realisasi of each quarter, from which the
capaian kinerja organisasi is read (app/pk/services.py); the JPT's SKP RHK are
linked to its sasaran (Rhk.pk_sasaran_id).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.org import Opd
from app.models.types import UTCDateTime, check_in, utcnow

# How an indicator's realisasi reads against its target (as an IKI's, minus qualitative).
PK_DIRECTIONS = ("higher", "lower", "exact")
QUARTERS = (1, 2, 3, 4)


class PerjanjianKinerja(db.Model):
    """One OPD's PK for one year."""

    __tablename__ = "perjanjian_kinerja"
    __table_args__ = (sa.UniqueConstraint("opd_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    opd_id: Mapped[int] = mapped_column(sa.ForeignKey("opd.id"))
    year: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    opd: Mapped[Opd] = relationship()
    sasaran: Mapped[list[PkSasaran]] = relationship(
        back_populates="pk", order_by="PkSasaran.position", cascade="all, delete-orphan"
    )


class PkSasaran(db.Model):
    """A sasaran strategis of the PK."""

    __tablename__ = "pk_sasaran"

    id: Mapped[int] = mapped_column(primary_key=True)
    pk_id: Mapped[int] = mapped_column(
        sa.ForeignKey("perjanjian_kinerja.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(sa.Text)

    pk: Mapped[PerjanjianKinerja] = relationship(back_populates="sasaran")
    indikator: Mapped[list[PkIndikator]] = relationship(
        back_populates="sasaran", order_by="PkIndikator.position", cascade="all, delete-orphan"
    )


def _amount(name: str) -> Mapped[Decimal | None]:
    return mapped_column(name, sa.Numeric(14, 2))


class PkIndikator(db.Model):
    """An indicator of a sasaran: its targets (year and quarters) and each quarter's realisasi."""

    __tablename__ = "pk_indikator"
    __table_args__ = (
        check_in("direction", PK_DIRECTIONS, "direction"),
        sa.CheckConstraint(
            "tolerance IS NULL OR (tolerance >= 0 AND tolerance <= 100)", name="tolerance"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sasaran_id: Mapped[int] = mapped_column(
        sa.ForeignKey("pk_sasaran.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(sa.Text)
    unit: Mapped[str] = mapped_column(sa.String(50))
    direction: Mapped[str] = mapped_column(sa.String(8), default="higher")
    tolerance: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 2))
    target_year: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2))
    target_q1: Mapped[Decimal | None] = _amount("target_q1")
    target_q2: Mapped[Decimal | None] = _amount("target_q2")
    target_q3: Mapped[Decimal | None] = _amount("target_q3")
    target_q4: Mapped[Decimal | None] = _amount("target_q4")
    realisasi_q1: Mapped[Decimal | None] = _amount("realisasi_q1")
    realisasi_q2: Mapped[Decimal | None] = _amount("realisasi_q2")
    realisasi_q3: Mapped[Decimal | None] = _amount("realisasi_q3")
    realisasi_q4: Mapped[Decimal | None] = _amount("realisasi_q4")
    # The year's realisasi as reported (the last quarter's cumulative figure, a sum, ...).
    realisasi_year: Mapped[Decimal | None] = _amount("realisasi_year")

    sasaran: Mapped[PkSasaran] = relationship(back_populates="indikator")

    def target(self, quarter: int | None) -> Decimal | None:
        return self.target_year if quarter is None else getattr(self, f"target_q{quarter}")

    def realisasi(self, quarter: int | None) -> Decimal | None:
        return self.realisasi_year if quarter is None else getattr(self, f"realisasi_q{quarter}")
