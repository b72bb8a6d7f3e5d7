"""Announcements: who they are addressed to, marking them read, and their reach per OPD.

A recipient is an enabled account of an active employee: everyone for a city-wide
announcement, the employees holding a position in one of the chosen OPDs otherwise.
Reach is counted against the recipients as they are now (a reader who has since
moved to an OPD outside the audience no longer counts), always aggregated in SQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import (
    Account,
    Announcement,
    AnnouncementOpd,
    AnnouncementRead,
    Employee,
    Opd,
    Position,
)

SHOWN_ON_HOME = 5


@dataclass(frozen=True)
class Reach:
    """Recipients and readers of one announcement in one OPD (opd_id None: no position)."""

    opd_id: int | None
    opd_name: str | None
    recipients: int
    read: int

    @property
    def percent(self) -> float:
        return 100.0 * self.read / self.recipients if self.recipients else 0.0


def _addressed_to_position(position_id) -> sa.ColumnElement[bool]:
    """Announcement rows addressed to the holder of `position_id` (city-wide or their OPD).

    `position_id`: an id, None (no position: city-wide ones only) or a bind parameter.
    """
    in_opd = sa.exists().where(
        AnnouncementOpd.announcement_id == Announcement.id,
        AnnouncementOpd.opd_id == Position.opd_id,
        Position.id == position_id,
    )
    return sa.or_(Announcement.audience == "city", in_opd)


def unread_for(account: Account, today: date | None = None) -> list[Announcement]:
    """The newest unexpired announcements addressed to the account that it has not read."""
    parameters = {
        "position_id": account.employee.position_id,
        "account_id": account.id,
        "today": today or date.today(),
    }
    return list(db.session.scalars(_unread_query(), parameters))


@cache
def _unread_query() -> sa.Select:
    """Unread announcements of :account_id holding :position_id on :today; built once.

    Beranda asks on every view, and building the statement cost more than running it.
    """
    read = sa.exists().where(
        AnnouncementRead.announcement_id == Announcement.id,
        AnnouncementRead.account_id == sa.bindparam("account_id"),
    )
    today = sa.bindparam("today", type_=sa.Date)
    return (
        sa.select(Announcement)
        .where(
            _addressed_to_position(sa.bindparam("position_id")),
            sa.or_(Announcement.expires_on.is_(None), Announcement.expires_on >= today),
            ~read,
        )
        .order_by(Announcement.created_at.desc(), Announcement.id.desc())
        .limit(SHOWN_ON_HOME)
        .options(sa.orm.lazyload(Announcement.opds))
    )


def addressed_announcement(announcement_id: int, account: Account) -> Announcement | None:
    """The announcement if it is addressed to the account, else None."""
    return db.session.scalars(
        sa.select(Announcement)
        .where(
            Announcement.id == announcement_id,
            _addressed_to_position(account.employee.position_id),
        )
        .options(sa.orm.lazyload(Announcement.opds))
    ).first()


def mark_read(announcement: Announcement, account: Account) -> None:
    """Record that the account has read the announcement (again: nothing changes)."""
    try:
        with db.session.begin_nested():
            db.session.add(AnnouncementRead(announcement_id=announcement.id, account_id=account.id))
    except IntegrityError:
        pass  # read already, perhaps in another tab a moment ago


def post_announcement(
    *,
    title: str,
    body: str,
    body_format: str,
    audience: str,
    opds: Iterable[Opd],
    expires_on: date | None,
    author: Account,
) -> Announcement:
    """Create an announcement for the city or for the given OPDs."""
    announcement = Announcement(
        title=title,
        body=body,
        body_format=body_format,
        audience=audience,
        expires_on=expires_on,
        created_by_id=author.id,
        opds=list(opds) if audience == "opds" else [],
    )
    db.session.add(announcement)
    db.session.flush()
    return announcement


def recent_announcements(limit: int = 100) -> list[Announcement]:
    """The newest announcements, with their OPDs."""
    return list(
        db.session.scalars(
            sa.select(Announcement)
            .order_by(Announcement.created_at.desc(), Announcement.id.desc())
            .limit(limit)
        )
    )


def _recipients():
    """Enabled accounts of active employees, with the OPD of their position (if any)."""
    return (
        sa.select(Account.id.label("account_id"), Position.opd_id.label("opd_id"))
        .join(Employee, Employee.id == Account.employee_id)
        .outerjoin(Position, Position.id == Employee.position_id)
        .where(Account.is_enabled, Employee.active)
        .subquery()
    )


def reach_by_opd(announcement: Announcement) -> list[Reach]:
    """Recipients and readers per OPD of the audience, in one grouped query."""
    people = _recipients()
    read = sa.func.count(AnnouncementRead.account_id)
    query = (
        sa.select(people.c.opd_id, Opd.name, sa.func.count(people.c.account_id), read)
        .select_from(people)
        .outerjoin(Opd, Opd.id == people.c.opd_id)
        .outerjoin(
            AnnouncementRead,
            sa.and_(
                AnnouncementRead.account_id == people.c.account_id,
                AnnouncementRead.announcement_id == announcement.id,
            ),
        )
        .group_by(people.c.opd_id, Opd.name)
    )
    audience = [opd.id for opd in announcement.opds]
    if announcement.audience == "opds":
        query = query.where(people.c.opd_id.in_(audience))
    rows = {opd_id: Reach(opd_id, name, n, r) for opd_id, name, n, r in db.session.execute(query)}
    # An OPD of the audience with no accounts yet is listed too, with nobody reached.
    for opd in announcement.opds:
        rows.setdefault(opd.id, Reach(opd.id, opd.name, 0, 0))
    return sorted(rows.values(), key=lambda r: (r.opd_name is None, r.opd_name or ""))


def reach_totals(announcements: list[Announcement]) -> dict[int, tuple[int, int]]:
    """announcement id -> (recipients, read), in two grouped queries for any number of them."""
    people = _recipients()
    per_opd = dict(
        db.session.execute(
            sa.select(people.c.opd_id, sa.func.count()).group_by(people.c.opd_id)
        ).all()
    )
    ids = [a.id for a in announcements]
    audience_opd = sa.exists().where(
        AnnouncementOpd.announcement_id == Announcement.id,
        AnnouncementOpd.opd_id == people.c.opd_id,
    )
    read = dict(
        db.session.execute(
            sa.select(AnnouncementRead.announcement_id, sa.func.count())
            .join(people, people.c.account_id == AnnouncementRead.account_id)
            .join(Announcement, Announcement.id == AnnouncementRead.announcement_id)
            .where(
                AnnouncementRead.announcement_id.in_(ids),
                sa.or_(Announcement.audience == "city", audience_opd),
            )
            .group_by(AnnouncementRead.announcement_id)
        ).all()
    )
    totals = {}
    for a in announcements:
        if a.audience == "city":
            recipients = sum(per_opd.values())
        else:
            recipients = sum(per_opd.get(opd.id, 0) for opd in a.opds)
        totals[a.id] = (recipients, read.get(a.id, 0))
    return totals


def opd_choices() -> list[Opd]:
    return list(db.session.scalars(sa.select(Opd).order_by(Opd.name)))
