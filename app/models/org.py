"""The organisation: OPD, units, positions (jabatan), employees and acting assignments."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import check_in

OPD_KINDS = (
    "sekretariat",
    "dinas",
    "badan",
    "inspektorat",
    "kecamatan",
    "kelurahan",
    "rsud",
    "uptd",
)
# kepala_daerah: the wali kota's position. Not an ASN jabatan (the wali kota has no SKP),
# but the pejabat penilai of the city's JPT (see app.org.appraisers).
POSITION_KINDS = ("jpt", "administrator", "pengawas", "pelaksana", "fungsional", "kepala_daerah")
KEPALA_DAERAH = "kepala_daerah"
# The level of a jabatan where the appraiser rule depends on it: which JPT (the sekda or a
# JPT pratama), and the jenjang of a jabatan fungsional (keterampilan, then keahlian).
POSITION_LEVELS: dict[str, tuple[str, ...]] = {
    "jpt": ("sekda", "pratama"),
    "fungsional": (
        "pemula", "terampil", "mahir", "penyelia",
        "ahli_pertama", "ahli_muda", "ahli_madya", "ahli_utama",
    ),
}  # fmt: skip
EMPLOYEE_STATUSES = ("PNS", "PPPK")
ACTING_KINDS = ("plt", "plh")
# Pelaksana tugas / pelaksana harian, as written after a name.
ACTING_LABELS = {"plt": "Plt.", "plh": "Plh."}


class Opd(db.Model):
    """A perangkat daerah (dinas, badan, kecamatan, ...)."""

    __tablename__ = "opd"
    __table_args__ = (check_in("kind", OPD_KINDS, "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(20))

    units: Mapped[list[Unit]] = relationship(back_populates="opd")

    def __repr__(self) -> str:
        return f"<Opd {self.code}>"


class Unit(db.Model):
    """An organisational unit inside an OPD (bidang, seksi, puskesmas, ...); a tree."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    opd_id: Mapped[int] = mapped_column(sa.ForeignKey("opd.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))

    opd: Mapped[Opd] = relationship(back_populates="units")
    parent: Mapped[Unit | None] = relationship(remote_side=[id])


class Position(db.Model):
    """A jabatan, reporting to its parent position."""

    __tablename__ = "position"
    __table_args__ = (check_in("kind", POSITION_KINDS, "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    opd_id: Mapped[int] = mapped_column(sa.ForeignKey("opd.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("position.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(20))
    level: Mapped[str | None] = mapped_column(sa.String(20))

    opd: Mapped[Opd] = relationship()
    unit: Mapped[Unit | None] = relationship()
    parent: Mapped[Position | None] = relationship(remote_side=[id])

    @property
    def is_jpt(self) -> bool:
        return self.kind == "jpt"


class Employee(db.Model):
    """An ASN (PNS or PPPK), identified by NIP."""

    __tablename__ = "employee"
    __table_args__ = (check_in("status", EMPLOYEE_STATUSES, "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nip: Mapped[str] = mapped_column(sa.String(18), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    pangkat_golongan: Mapped[str | None] = mapped_column(sa.String(60))
    status: Mapped[str] = mapped_column(sa.String(4), default="PNS")
    email: Mapped[str | None] = mapped_column(sa.String(254), unique=True)
    phone: Mapped[str | None] = mapped_column(sa.String(30))
    position_id: Mapped[int | None] = mapped_column(sa.ForeignKey("position.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)

    position: Mapped[Position | None] = relationship()

    def __repr__(self) -> str:
        return f"<Employee {self.nip}>"


class ActingAssignment(db.Model):
    """A Plt or Plh: an employee acting in a position for a date range (inclusive)."""

    __tablename__ = "acting_assignment"
    __table_args__ = (
        check_in("kind", ACTING_KINDS, "kind"),
        sa.CheckConstraint("end_date >= start_date", name="dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(sa.ForeignKey("position.id"), index=True)
    employee_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(3))
    start_date: Mapped[date]
    end_date: Mapped[date]

    position: Mapped[Position] = relationship()
    employee: Mapped[Employee] = relationship()
