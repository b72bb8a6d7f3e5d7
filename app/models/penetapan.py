"""Penetapan predikat kinerja: the kepala OPD's signed list of the OPD's predikat for a period.

SE MenPANRB 3/2023 closes calibration with the pimpinan's penetapan. The rows
are kept as they were signed (a snapshot), so the PDF renders the same bytes
again and its recorded sha256 can be checked; a later penetapan supersedes it.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.org import Employee, Opd
from app.models.types import UTCDateTime


class PenetapanPredikat(db.Model):
    """One signed penetapan of an OPD's employee predikat for a period."""

    __tablename__ = "penetapan_predikat"
    __table_args__ = (sa.Index("ix_penetapan_predikat_opd_period", "opd_id", "period_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    opd_id: Mapped[int] = mapped_column(sa.ForeignKey("opd.id"))
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("period.id", ondelete="CASCADE"))
    signed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The organisation predikat the pattern was read against, if one was set.
    org_predikat: Mapped[str | None] = mapped_column(sa.String(16))
    # [{"nip", "name", "position", "unit", "predikat", "state"}, ...] by name, as signed.
    rows: Mapped[list] = mapped_column(sa.JSON)
    sha256: Mapped[str] = mapped_column(sa.String(64))

    opd: Mapped[Opd] = relationship()
    signed_by: Mapped[Employee] = relationship()
