"""Matriks peran hasil: which subordinate contributes what to each of an atasan's RHK.

PermenPANRB 6/2022 cascades an atasan's hasil kerja down by assigning each
subordinate a role (peran) and the result they are to deliver (hasil). One row
is one cell of the matrix; the subordinate's RHK it pre-filled is remembered so
the matrix shows whether the plan still carries it.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.appraisal import Appraisal
from app.models.skp import Rhk
from app.models.types import UTCDateTime, utcnow


class RhkAssignment(db.Model):
    """One cell of the matrix: a subordinate's role and result in an atasan's RHK."""

    __tablename__ = "rhk_assignment"
    __table_args__ = (sa.UniqueConstraint("atasan_rhk_id", "appraisal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    atasan_rhk_id: Mapped[int] = mapped_column(sa.ForeignKey("rhk.id", ondelete="CASCADE"))
    # The subordinate's SKP (of the same period) the result goes into.
    appraisal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("appraisal.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(sa.Text)
    result: Mapped[str] = mapped_column(sa.Text)
    # The RHK the assignment added to the subordinate's draft plan (gone if they removed it).
    rhk_id: Mapped[int | None] = mapped_column(sa.ForeignKey("rhk.id", ondelete="SET NULL"))
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    atasan_rhk: Mapped[Rhk] = relationship(foreign_keys=[atasan_rhk_id])
    appraisal: Mapped[Appraisal] = relationship()
