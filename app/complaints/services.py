"""Complaint services: open a case for a complaint response, who sees which complaints,
the public counts, and the contact's deletion after the retention period.

Flush, never commit: the caller (a view, the public form, a job) commits once.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Account, AuditEvent, Complaint, ServiceUnit, SkmContact, SkmResponse
from app.models.types import utcnow
from app.policy import ADMIN_BKD, VERIFIKATOR_BKD, held_positions, opds_headed_by
from app.workflow.complaints import COMPLAINT_WORKFLOW, add_working_days, open_case
from app.workflow.deadlines import local_date
from app.workflow.engine import engine


def open_complaint(response: SkmResponse, now: datetime | None = None) -> Complaint:
    """Open the pengaduan case of a response marked as a complaint; flushes.

    Called by the public form in the same transaction that stores the response:
    the unit head gets the task (due by the SLA, in working days) and a mail.
    A response that already has its case gets that one back.
    """
    if not response.is_complaint:
        raise ValueError("the response is not a complaint")
    if response.id is None:
        db.session.flush()
    existing = db.session.scalar(sa.select(Complaint).where(Complaint.response_id == response.id))
    if existing is not None:
        return existing
    now = now or utcnow()
    spec = engine().spec(COMPLAINT_WORKFLOW)
    complaint = Complaint(
        response_id=response.id,
        service_unit_id=response.service_unit_id,
        workflow=spec.name,
        state=spec.initial,
        version=1,
        opened_at=now,
        updated_at=now,
        due_date=add_working_days(local_date(now), spec.states[spec.initial].due_days),
    )
    db.session.add(complaint)
    db.session.flush()
    open_case(complaint, now)
    return complaint


class ComplaintCounts(NamedTuple):
    """A unit's complaints in a period: received, answered, and answered by the SLA date."""

    received: int
    answered: int
    answered_on_time: int


def _utc_start(day: date) -> datetime:
    """The first moment of `day` in the city, as an aware datetime."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day, time.min, tzinfo=zone)


def complaint_counts(service_unit_id: int, start: date, end: date) -> ComplaintCounts:
    """Complaints a unit received from `start` to `end` (local days, both included), how many
    have been answered, and how many of those by their SLA date."""
    rows = db.session.execute(
        sa.select(Complaint.due_date, Complaint.answered_at).where(
            Complaint.service_unit_id == service_unit_id,
            Complaint.opened_at >= _utc_start(start),
            Complaint.opened_at < _utc_start(end + timedelta(days=1)),
        )
    ).all()
    answered = [(due, at) for due, at in rows if at is not None]
    on_time = sum(1 for due, at in answered if local_date(at) <= due)
    return ComplaintCounts(len(rows), len(answered), on_time)


def is_bkd(account: Account) -> bool:
    return bool({ADMIN_BKD, VERIFIKATOR_BKD} & set(account.granted_roles))


def scope_condition(account: Account) -> sa.ColumnElement[bool] | None:
    """Which complaints the account's list shows (None: none at all). BKD sees every
    complaint; a kepala OPD those of their OPD's units; a unit head those of their units."""
    if is_bkd(account):
        return sa.true()
    conditions = []
    opds = [opd.id for opd in opds_headed_by(account)]
    if opds:
        conditions.append(ServiceUnit.opd_id.in_(opds))
    positions = held_positions(account)
    if positions:
        # Only someone who heads a unit layanan has a list (not every position holder).
        headed = db.session.scalars(
            sa.select(ServiceUnit.id).where(ServiceUnit.head_position_id.in_(positions))
        ).all()
        if headed:
            conditions.append(ServiceUnit.id.in_(headed))
    return sa.or_(*conditions) if conditions else None


def complaints_for(account: Account, opd_id: int | None = None, limit: int = 200) -> list:
    """The newest complaints the account may see (optionally of one OPD), units loaded."""
    condition = scope_condition(account)
    if condition is None:
        return []
    query = (
        sa.select(Complaint)
        .join(ServiceUnit, ServiceUnit.id == Complaint.service_unit_id)
        .where(condition)
        .options(joinedload(Complaint.service_unit).joinedload(ServiceUnit.opd))
        .order_by(Complaint.opened_at.desc(), Complaint.id.desc())
        .limit(limit)
    )
    if opd_id is not None:
        query = query.where(ServiceUnit.opd_id == opd_id)
    return list(db.session.scalars(query))


def contact_of(complaint: Complaint) -> SkmContact | None:
    return db.session.get(SkmContact, complaint.response_id)


def history(complaint: Complaint) -> list[AuditEvent]:
    """The complaint's audit trail, oldest first, actors loaded."""
    return list(
        db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.complaint_id == complaint.id)
            .options(joinedload(AuditEvent.actor))
            .order_by(AuditEvent.seq)
        )
    )


def purge_contacts(now: datetime | None = None) -> int:
    """Delete the contacts of complaints closed for longer than the retention period;
    return how many. A reopened case (closed_at cleared) keeps its contact."""
    now = now or utcnow()
    days = current_app.config["COMPLAINT_CONTACT_RETENTION_DAYS"]
    expired = sa.select(Complaint.response_id).where(
        Complaint.closed_at.is_not(None), Complaint.closed_at <= now - timedelta(days=days)
    )
    result = db.session.execute(
        sa.delete(SkmContact)
        .where(SkmContact.response_id.in_(expired))
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return result.rowcount
