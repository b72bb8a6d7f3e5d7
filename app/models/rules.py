"""Who appraises whom: the appraiser rule per position kind and level, and its change log."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime, check_in, utcnow

# How the pejabat penilai kinerja is found (app.org.appraisers says what each means).
PENILAI_METHODS = (
    "direct",
    "min_pengawas",
    "min_administrator",
    "min_jpt",
    "sekda",
    "kepala_daerah",
)
# How the atasan pejabat penilai kinerja is found.
ATASAN_METHODS = ("atasan_of_penilai", "same_as_penilai", "sekda", "kepala_daerah")


class AppraiserRule(db.Model):
    """BKD's choice for one position kind and level; absent rows take the code's default.

    `level` is "" for the rule of the whole kind (and for kinds without levels).
    """

    __tablename__ = "appraiser_rule"
    __table_args__ = (
        sa.UniqueConstraint("position_kind", "level"),
        check_in("penilai", PENILAI_METHODS, "penilai"),
        check_in("atasan_penilai", ATASAN_METHODS, "atasan_penilai"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    position_kind: Mapped[str] = mapped_column(sa.String(20))
    level: Mapped[str] = mapped_column(sa.String(20), default="")
    penilai: Mapped[str] = mapped_column(sa.String(20))
    atasan_penilai: Mapped[str] = mapped_column(sa.String(20))
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id"))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AppraiserRuleChange(db.Model):
    """One change of a rule by admin BKD: what it was, what it became, who, when."""

    __tablename__ = "appraiser_rule_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    position_kind: Mapped[str] = mapped_column(sa.String(20))
    level: Mapped[str] = mapped_column(sa.String(20), default="")
    old_penilai: Mapped[str] = mapped_column(sa.String(20))
    new_penilai: Mapped[str] = mapped_column(sa.String(20))
    old_atasan_penilai: Mapped[str] = mapped_column(sa.String(20))
    new_atasan_penilai: Mapped[str] = mapped_column(sa.String(20))
    reason: Mapped[str] = mapped_column(sa.Text)
    changed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
