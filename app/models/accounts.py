"""Accounts (sign-in), their server-side sessions, sign-in throttling and granted roles."""

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
# The wali kota, wakil wali kota and sekda as readers of the city's monitoring: read-only,
# city-wide. The wali kota and sekda also hold it by their positions (app.policy.monitoring).
PIMPINAN_DAERAH = "pimpinan_daerah"
# Roles an administrator grants; the others (pegawai, kepala OPD, atasan) are derived.
GRANTED_ROLES = (VERIFIKATOR_BKD, ADMIN_BKD, PIMPINAN_DAERAH)
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
    # Bumped when a password reset token is used, so that each token works once.
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the first-sign-in tour was shown; none: it opens on the next visit to Beranda.
    tour_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    employee: Mapped[Employee] = relationship(lazy="joined", innerjoin=True)
    role_grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="account",
        cascade="all, delete-orphan",
        lazy="selectin",
        foreign_keys="RoleGrant.account_id",
    )

    # Not columns: the token and UserSession row of the session this request runs
    # under, set by sign-in and by the user loader.
    session_token = None
    current_session = None
    # What the user loader's one query brought along for the navigation (see
    # app.inbox.services.session_nav_columns), or None.
    preloaded_nav = None
    # Whether the employee may head an OPD (app.org.heads.may_head_an_opd), read by the
    # user loader; None when unknown (then the precise question is asked).
    may_head_opd = None
    # The open pengaduan and pembinaan tasks assigned to the employee, counted by the
    # user loader; None when unknown (then the inbox asks).
    case_task_count = None

    def get_id(self) -> str | None:
        # Flask-Login stores this in the session and the remember cookie: the session
        # token, never the account id, so that ending the record ends both.
        return self.session_token

    @property
    def is_active(self) -> bool:
        return self.is_enabled and self.employee.active

    @property
    def granted_roles(self) -> set[str]:
        return {grant.role for grant in self.role_grants}


class RoleGrant(db.Model):
    """A role granted explicitly by admin BKD (verifikator_bkd, admin_bkd, pimpinan_daerah)."""

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


class PengelolaKinerja(db.Model):
    """An operator of one OPD who may draft a plan for an employee who has none.

    Appointed by the kepala OPD (or BKD) from the accounts of their OPD
    (PermenPANRB 8/2021, Bab II A.4: pengelola kinerja / tim pengelola kinerja).
    """

    __tablename__ = "pengelola_kinerja"
    __table_args__ = (sa.UniqueConstraint("opd_id", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    opd_id: Mapped[int] = mapped_column(sa.ForeignKey("opd.id"), index=True)
    account_id: Mapped[int] = mapped_column(
        sa.ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    appointed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id"))
    appointed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    account: Mapped[Account] = relationship(foreign_keys=[account_id])


class UserSession(db.Model):
    """One signed-in browser: revocable on the server, with idle and absolute limits.

    The primary key is the SHA-256 of the token the browser holds (in the signed
    session and remember cookies), so a copy of this table signs nobody in.
    """

    __tablename__ = "user_session"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(
        sa.ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # "Firefox · Windows": enough to recognise a device, not a fingerprint.
    user_agent: Mapped[str] = mapped_column(sa.String(80), default="")
    remember: Mapped[bool] = mapped_column(default=False)

    account: Mapped[Account] = relationship(lazy="raise")


class LoginThrottle(db.Model):
    """Failed sign-ins counted per key: an account (or unknown login), an address, or both."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(sa.String(120), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime())
