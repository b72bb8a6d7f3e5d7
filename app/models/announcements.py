"""Pengumuman: what admin BKD tells the whole city or chosen OPDs, and who has read it."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.org import Opd
from app.models.types import UTCDateTime, check_in, utcnow

BODY_FORMATS = ("text", "markdown")
AUDIENCES = ("city", "opds")


class Announcement(db.Model):
    """One announcement; shown on Beranda to its audience until each reader marks it read."""

    __tablename__ = "announcement"
    __table_args__ = (
        check_in("body_format", BODY_FORMATS, "body_format"),
        check_in("audience", AUDIENCES, "audience"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text())
    body_format: Mapped[str] = mapped_column(sa.String(10), default="text")
    # city: every account; opds: the employees of the OPDs in announcement_opd.
    audience: Mapped[str] = mapped_column(sa.String(10), default="city")
    # Shown up to and including this day; none: until read.
    expires_on: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    opds: Mapped[list[Opd]] = relationship(secondary="announcement_opd", lazy="selectin")


class AnnouncementOpd(db.Model):
    """An OPD an announcement is addressed to (audience 'opds')."""

    __tablename__ = "announcement_opd"

    announcement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("announcement.id", ondelete="CASCADE"), primary_key=True
    )
    opd_id: Mapped[int] = mapped_column(sa.ForeignKey("opd.id"), primary_key=True, index=True)


class AnnouncementRead(db.Model):
    """One account has marked one announcement read."""

    __tablename__ = "announcement_read"

    announcement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("announcement.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[int] = mapped_column(
        sa.ForeignKey("account.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    read_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
