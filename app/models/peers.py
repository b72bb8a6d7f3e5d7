"""The closed peer survey (survei tertutup rekan kerja/bawahan) on one employee's BerAKHLAK.

PermenPANRB 6/2022 lets the pejabat penilai take in feedback on perilaku kerja
from peers and subordinates. Anonymity is kept by the schema: an invite records
only *whether* its colleague has answered; an answer records the ratings and a
comment, and nothing about who gave it or when.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.appraisal import Appraisal
from app.models.org import Employee
from app.models.skp import BERAKHLAK
from app.models.types import UTCDateTime, utcnow

# The answer scale: 1 (far below what the value asks) to 5 (far above).
SCALE = (1, 2, 3, 4, 5)


class PeerSurvey(db.Model):
    """An appraiser's request for anonymous BerAKHLAK feedback on an appraisee (one per SKP)."""

    __tablename__ = "peer_survey"

    id: Mapped[int] = mapped_column(primary_key=True)
    appraisal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("appraisal.id", ondelete="CASCADE"), unique=True
    )
    requested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"))
    due_date: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    appraisal: Mapped[Appraisal] = relationship()


class PeerSurveyInvite(db.Model):
    """One colleague asked to answer: whether they have, never what they answered."""

    __tablename__ = "peer_survey_invite"
    __table_args__ = (
        sa.UniqueConstraint("survey_id", "employee_id"),
        sa.Index("ix_peer_survey_invite_open", "employee_id", "answered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("peer_survey.id", ondelete="CASCADE"))
    employee_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"))
    answered: Mapped[bool] = mapped_column(default=False)

    survey: Mapped[PeerSurvey] = relationship()
    employee: Mapped[Employee] = relationship()


class PeerSurveyAnswer(db.Model):
    """One anonymous answer: a rating per BerAKHLAK value and an optional comment.

    No respondent, no timestamp: nothing links it to an invite.
    """

    __tablename__ = "peer_survey_answer"
    __table_args__ = tuple(
        sa.CheckConstraint(f"{value} BETWEEN 1 AND 5", name=f"{value}_scale") for value in BERAKHLAK
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(
        sa.ForeignKey("peer_survey.id", ondelete="CASCADE"), index=True
    )
    berorientasi_pelayanan: Mapped[int] = mapped_column(sa.SmallInteger)
    akuntabel: Mapped[int] = mapped_column(sa.SmallInteger)
    kompeten: Mapped[int] = mapped_column(sa.SmallInteger)
    harmonis: Mapped[int] = mapped_column(sa.SmallInteger)
    loyal: Mapped[int] = mapped_column(sa.SmallInteger)
    adaptif: Mapped[int] = mapped_column(sa.SmallInteger)
    kolaboratif: Mapped[int] = mapped_column(sa.SmallInteger)
    comment: Mapped[str | None] = mapped_column(sa.Text)
