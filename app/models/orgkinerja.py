"""Organisation performance: the capaian kinerja organisasi of each satuan organisasi, per
period, and the published table that turns it into the organisation predikat.

SE MenPANRB 3/2023: the pimpinan above sets the organisation's achievement; the
achievement gives the organisation predikat; the organisation predikat bounds the
pola distribusi of its employees' predikat (app.skp.scoring).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.appraisal import ORG_PREDIKAT, Period
from app.models.org import Opd, Unit
from app.models.types import UTCDateTime, check_in, utcnow

# Where a capaian came from: typed by a person ("manual"), moved over from the predikat
# admin BKD used to type per OPD ("migrated"), or applied from the Perjanjian Kinerja's
# realisasi ("pk", app/pk: the PK page offers its figure to whoever sets the capaian).
ACHIEVEMENT_SOURCES = ("manual", "migrated", "pk")
CAPAIAN = sa.Numeric(6, 2)


class OrgPredikatBand(db.Model):
    """One row of the published table: a capaian of at least `min_capaian` % gives `predikat`.

    The rows are read highest first; the lowest predikat (sangat_kurang) starts at 0.
    All rows carry the table's version, so that two admins editing at once cannot
    both win (app.skp.orgkinerja.bands).
    """

    __tablename__ = "org_predikat_band"
    __table_args__ = (
        check_in("predikat", ORG_PREDIKAT, "predikat"),
        sa.CheckConstraint("min_capaian >= 0", name="min_capaian"),
    )

    predikat: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    min_capaian: Mapped[Decimal] = mapped_column(CAPAIAN)
    version: Mapped[int] = mapped_column(default=1)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id"))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OrgPredikatBandChange(db.Model):
    """One edit of the table by admin BKD: the whole table before and after, why, who, when."""

    __tablename__ = "org_predikat_band_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The thresholds as "istimewa=110.00;baik=90.00;..." (readable in the history as is).
    old_table: Mapped[str] = mapped_column(sa.Text)
    new_table: Mapped[str] = mapped_column(sa.Text)
    reason: Mapped[str] = mapped_column(sa.Text)
    changed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class OrgAchievement(db.Model):
    """The capaian kinerja organisasi (%) of an OPD (unit_id None) or one of its units, in a period.

    Set or adjusted by the pimpinan above (or admin BKD) with a reason; each
    change is kept in OrgAchievementChange. `version` makes two edits at once
    end with one winner.
    """

    __tablename__ = "org_achievement"
    __table_args__ = (
        check_in("source", ACHIEVEMENT_SOURCES, "source"),
        sa.CheckConstraint("capaian >= 0", name="capaian"),
        sa.CheckConstraint("version >= 1", name="version"),
        # One row per satuan organisasi and period: the OPD's own row has no unit, and
        # NULLs never collide in a unique key, hence two partial indexes.
        sa.Index(
            "uq_org_achievement_opd",
            "opd_id",
            "period_id",
            unique=True,
            postgresql_where=sa.text("unit_id IS NULL"),
            sqlite_where=sa.text("unit_id IS NULL"),
        ),
        sa.Index(
            "uq_org_achievement_unit",
            "unit_id",
            "period_id",
            unique=True,
            postgresql_where=sa.text("unit_id IS NOT NULL"),
            sqlite_where=sa.text("unit_id IS NOT NULL"),
        ),
        sa.Index("ix_org_achievement_period_opd", "period_id", "opd_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opd_id: Mapped[int] = mapped_column(sa.ForeignKey("opd.id"))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id"))
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("period.id"))
    capaian: Mapped[Decimal] = mapped_column(CAPAIAN)
    source: Mapped[str] = mapped_column(sa.String(10), default="manual")
    reason: Mapped[str] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(default=1)
    set_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    opd: Mapped[Opd] = relationship()
    unit: Mapped[Unit | None] = relationship()
    period: Mapped[Period] = relationship()


class OrgAchievementChange(db.Model):
    """One setting of an achievement: from what to what, why, by whom (the audit trail)."""

    __tablename__ = "org_achievement_change"
    __table_args__ = (sa.Index("ix_org_achievement_change_achievement", "achievement_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    achievement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("org_achievement.id", ondelete="CASCADE")
    )
    old_capaian: Mapped[Decimal | None] = mapped_column(CAPAIAN)
    new_capaian: Mapped[Decimal] = mapped_column(CAPAIAN)
    reason: Mapped[str] = mapped_column(sa.Text)
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
