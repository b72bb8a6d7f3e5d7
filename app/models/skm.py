"""The SKM (survei kepuasan masyarakat, PermenPANRB 14/2017): service units and responses.

A unit layanan is a place where the public is served (a Puskesmas, the Disdukcapil
counter, a kantor camat, a school). Each has a short public code; a response is one
member of the public's answers to the nine SKM elements about one service received
there. Responses carry no account and no address in clear: `client_hash` is a
salted hash whose salt rotates (app/feedback/public), so it can suppress duplicates
and rate-limit within a day but cannot follow a person across days.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.org import Employee, Opd, Position, Unit
from app.models.types import UTCDateTime, check_in, utcnow

# The respondent profile of the questionnaire (Lampiran PermenPANRB 14/2017).
SKM_GENDERS = ("L", "P")
SKM_EDUCATION = ("sd", "smp", "sma", "diploma", "s1", "s2")
SKM_OCCUPATIONS = ("pns_tni_polri", "swasta", "wiraswasta", "pelajar", "lainnya")
SKM_AGE_MIN, SKM_AGE_MAX = 10, 110
SKM_COMMENT_MAX = 2000
# The answer columns, one per element in the regulation's order (app.feedback.ikm.SKM_ELEMENTS).
ANSWER_COLUMNS = tuple(f"u{i}" for i in range(1, 10))

service_unit_position = sa.Table(
    "service_unit_position",
    db.metadata,
    sa.Column(
        "service_unit_id",
        sa.ForeignKey("service_unit.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("position_id", sa.ForeignKey("position.id", ondelete="CASCADE"), primary_key=True),
)


class ServiceUnit(db.Model):
    """A unit layanan of an OPD, with its public code (`/umpan-balik/<code>`)."""

    __tablename__ = "service_unit"
    __table_args__ = (
        sa.CheckConstraint("yearly_users IS NULL OR yearly_users >= 0", name="yearly_users"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opd_id: Mapped[int] = mapped_column(sa.ForeignKey("opd.id"), index=True)
    # The organisational unit it is, when it is one (a Puskesmas is a unit of Dinkes).
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    address: Mapped[str | None] = mapped_column(sa.String(300))
    head_position_id: Mapped[int | None] = mapped_column(sa.ForeignKey("position.id"))
    # The population of users in a year, entered by the OPD: the sample minimum's N.
    yearly_users: Mapped[int | None]
    active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    opd: Mapped[Opd] = relationship()
    unit: Mapped[Unit | None] = relationship()
    head_position: Mapped[Position | None] = relationship()
    services: Mapped[list[ServiceKind]] = relationship(
        back_populates="service_unit", order_by="ServiceKind.name"
    )
    positions: Mapped[list[Position]] = relationship(secondary=service_unit_position)


class ServiceKind(db.Model):
    """A jenis layanan given at a unit (e.g. "Pembuatan KTP-el")."""

    __tablename__ = "service_kind"
    __table_args__ = (sa.UniqueConstraint("service_unit_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_unit_id: Mapped[int] = mapped_column(
        sa.ForeignKey("service_unit.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(200))
    active: Mapped[bool] = mapped_column(default=True)

    service_unit: Mapped[ServiceUnit] = relationship(back_populates="services")


def _answer(name: str) -> Mapped[int]:
    return mapped_column(name, sa.SmallInteger)


class SkmResponse(db.Model):
    """One respondent's answers about one service; never edited except to hide the comment."""

    __tablename__ = "skm_response"
    __table_args__ = (
        *(sa.CheckConstraint(f"{c} BETWEEN 1 AND 4", name=c) for c in ANSWER_COLUMNS),
        check_in("gender", SKM_GENDERS, "gender"),
        check_in("education", SKM_EDUCATION, "education"),
        check_in("occupation", SKM_OCCUPATIONS, "occupation"),
        sa.CheckConstraint(f"age BETWEEN {SKM_AGE_MIN} AND {SKM_AGE_MAX}", name="age"),
        sa.CheckConstraint(
            f"comment IS NULL OR length(comment) <= {SKM_COMMENT_MAX}", name="comment"
        ),
        # The index sums read: every answer is in it, so PostgreSQL need not visit the
        # table to compute a unit's IKM for a period.
        sa.Index(
            "ix_skm_response_unit_served",
            "service_unit_id",
            "served_on",
            postgresql_include=list(ANSWER_COLUMNS),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("service_unit.id"))
    service_kind_id: Mapped[int | None] = mapped_column(sa.ForeignKey("service_kind.id"))
    served_on: Mapped[date]
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    u1: Mapped[int] = _answer("u1")
    u2: Mapped[int] = _answer("u2")
    u3: Mapped[int] = _answer("u3")
    u4: Mapped[int] = _answer("u4")
    u5: Mapped[int] = _answer("u5")
    u6: Mapped[int] = _answer("u6")
    u7: Mapped[int] = _answer("u7")
    u8: Mapped[int] = _answer("u8")
    u9: Mapped[int] = _answer("u9")
    gender: Mapped[str] = mapped_column(sa.String(1))
    age: Mapped[int] = mapped_column(sa.SmallInteger)
    education: Mapped[str] = mapped_column(sa.String(12))
    occupation: Mapped[str] = mapped_column(sa.String(16))
    comment: Mapped[str | None] = mapped_column(sa.Text)
    is_complaint: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str] = mapped_column(sa.String(5), default="id")
    # sha256 of the address with a rotating salt; never the address itself.
    client_hash: Mapped[str] = mapped_column(sa.String(64))
    # Same unit, same client, same answers, same day: a double submit, refused.
    fingerprint: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The nonce of the signed form token it came with: a token is used once (replay refused).
    form_nonce: Mapped[str | None] = mapped_column(sa.String(32), unique=True)
    comment_hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    comment_hidden_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("employee.id"))
    comment_hidden_reason: Mapped[str | None] = mapped_column(sa.Text)

    service_unit: Mapped[ServiceUnit] = relationship()
    service_kind: Mapped[ServiceKind | None] = relationship()
    comment_hidden_by: Mapped[Employee | None] = relationship()

    @property
    def answers(self) -> tuple[int, ...]:
        return tuple(getattr(self, c) for c in ANSWER_COLUMNS)


SKM_MODERATION_ACTIONS = ("hide", "unhide")


class SkmCommentModeration(db.Model):
    """One hiding or unhiding of a response's comment: who, when, why (the history).

    The response's comment_hidden_* columns say how it stands now; this says how it got there.
    """

    __tablename__ = "skm_comment_moderation"
    __table_args__ = (check_in("action", SKM_MODERATION_ACTIONS, "action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("skm_response.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(sa.String(8))
    actor_id: Mapped[int] = mapped_column(sa.ForeignKey("employee.id"))
    reason: Mapped[str] = mapped_column(sa.Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actor: Mapped[Employee] = relationship()


class SkmContact(db.Model):
    """A complainant's contact for the reply: seen by the unit head and BKD only, and
    deleted once the complaint has been closed for the retention period."""

    __tablename__ = "skm_contact"

    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("skm_response.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str | None] = mapped_column(sa.String(120))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(30))

    response: Mapped[SkmResponse] = relationship()
