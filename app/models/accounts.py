"""Accounts (sign-in) and explicitly granted roles."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.org import Employee
from app.models.types import UTCDateTime, check_in, utcnow

VERIFIKATOR_BKD = "verifikator_bkd"
ADMIN_BKD = "admin_bkd"
# Roles an administrator grants; the others (pegawai, kepala OPD, atasan) are derived.
GRANTED_ROLES = (VERIFIKATOR_BKD, ADMIN_BKD)
LOCALES = ("id", "en")
MAIL_MODES = ("immediate", "digest")


class Account(UserMixin, db.Model):
    """The sign-in of one employee; every account holder is a pegawai."""

    __tablename__ = "account"
    __table_args__ = (
        check_in("locale", LOCALES, "locale"),
        check_in("mail_mode", MAIL_MODES, "mail_mode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    is_enabled: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str] = mapped_column(sa.String(2), default="id")
    mail_mode: Mapped[str] = mapped_column(sa.String(10), default="immediate")
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Bumped to end every existing session (sign out everywhere, new password, deactivation).
    session_epoch: Mapped[int] = mapped_column(default=0)
    # Bumped when a password reset token is used, so that each token works once.
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    employee: Mapped[Employee] = relationship(lazy="joined", innerjoin=True)
    role_grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="account",
        cascade="all, delete-orphan",
        lazy="selectin",
        foreign_keys="RoleGrant.account_id",
    )

    def get_id(self) -> str:
        # The epoch travels in the session: a bumped epoch invalidates the cookie.
        return f"{self.id}:{self.session_epoch}"

    @property
    def is_active(self) -> bool:
        return self.is_enabled and self.employee.active

    @property
    def granted_roles(self) -> set[str]:
        return {grant.role for grant in self.role_grants}


class RoleGrant(db.Model):
    """A role granted explicitly by admin BKD (verifikator_bkd, admin_bkd)."""

    __tablename__ = "role_grant"
    __table_args__ = (
        check_in("role", GRANTED_ROLES, "role"),
        sa.UniqueConstraint("account_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(sa.String(20))
    granted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    account: Mapped[Account] = relationship(back_populates="role_grants", foreign_keys=[account_id])
