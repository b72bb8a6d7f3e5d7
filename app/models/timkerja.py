"""Tim kerja: a team across the units of one OPD, with a lead, for one period.

PermenPANRB 6/2022 lets an organisation work in teams beside its hierarchy: the
kepala OPD forms a tim kerja (by surat tugas), names its lead (ketua tim) and
members from any unit of the OPD, and an atasan can give one of their RHK to the
whole team in the matriks peran hasil (TeamAssignment). Each member's draft plan
then gets an RHK linked to that atasan RHK and marked as the team's shared
result (Rhk.tim_kerja_id). A team stays inside one OPD: the capaian kinerja
organisasi and the pola distribusi its members are rated against are the OPD's.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.appraisal import Period
from app.models.org import Employee, Opd
from app.models.skp import Rhk
from app.models.types import UTCDateTime, utcnow


class TimKerja(db.Model):
    """A tim kerja of an OPD in a period; `version` makes two edits at once end with one winner."""

    __tablename__ = "tim_kerja"
    __table_args__ = (
        sa.UniqueConstraint("opd_id", "period_id", "name"),
        sa.CheckConstraint("version >= 1", name="version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opd_id: Mapped[int] = mapped_column(sa.ForeignKey("opd.id"), index=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("period.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    purpose: Mapped[str] = mapped_column(sa.Text)
    lead_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"), index=True)
    version: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id"))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    opd: Mapped[Opd] = relationship()
    period: Mapped[Period] = relationship()
    lead: Mapped[Employee] = relationship()
    members: Mapped[list[TimKerjaMember]] = relationship(
        back_populates="team", cascade="all, delete-orphan"
    )


class TimKerjaMember(db.Model):
    """One member of a tim kerja (the lead is one too)."""

    __tablename__ = "tim_kerja_member"

    tim_kerja_id: Mapped[int] = mapped_column(
        sa.ForeignKey("tim_kerja.id", ondelete="CASCADE"), primary_key=True
    )
    employee_id: Mapped[int] = mapped_column(
        sa.ForeignKey("employee.id"), primary_key=True, index=True
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    team: Mapped[TimKerja] = relationship(back_populates="members")
    employee: Mapped[Employee] = relationship()


class TeamAssignment(db.Model):
    """A tim kerja's role and shared result in one of an atasan's RHK (a matrix cell)."""

    __tablename__ = "team_assignment"
    __table_args__ = (sa.UniqueConstraint("atasan_rhk_id", "tim_kerja_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    atasan_rhk_id: Mapped[int] = mapped_column(sa.ForeignKey("rhk.id", ondelete="CASCADE"))
    tim_kerja_id: Mapped[int] = mapped_column(
        sa.ForeignKey("tim_kerja.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(sa.Text)
    result: Mapped[str] = mapped_column(sa.Text)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    atasan_rhk: Mapped[Rhk] = relationship(foreign_keys=[atasan_rhk_id])
    team: Mapped[TimKerja] = relationship()
