"""The complaint (pengaduan) as a workflow subject: its roles, assignees, SLA and mails.

Roles are relative to one complaint and derived on the day, never stored:
`unit_head` holds (or acts in, as Plt/Plh) the head position of the complaint's
unit layanan; `kepala_opd` heads the unit's OPD; `admin_bkd` is BKD's granted
administrator role. The SLA is counted in working days (Monday to Friday; the
city's public holidays are not known to SIKAP). Every hook here is called by
the engine through the subject kind (app.workflow.kinds).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from app.extensions import db
from app.models import Account, ActingAssignment, AuditEvent, Complaint, Employee, Task
from app.models.accounts import ADMIN_BKD
from app.org.heads import head_position_of
from app.org.reporting import PositionHolder, holder_of_position
from app.outbox.links import external_url
from app.workflow.case_mail import mail_step
from app.workflow.deadlines import local_date
from app.workflow.locking import versioned_update
from app.workflow.opening import open_subject
from app.workflow.roles import headed_opds, is_signed_in, per_request
from app.workflow.spec import TransitionSpec, WorkflowSpec

UNIT_HEAD = "unit_head"
KEPALA_OPD = "kepala_opd"
ADMIN = "admin_bkd"
# Where a complaint's case runs (the `subject: complaint` definition).
COMPLAINT_WORKFLOW = "pengaduan"


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days (Monday to Friday) after `start`."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def unit_head(complaint: Complaint, on: date | None = None) -> PositionHolder | None:
    """Who heads the complaint's unit layanan on `on` (a Plt/Plh before the holder).

    A unit with no head position, or one vacant with nobody acting, passes its
    complaints to the kepala OPD, as a vacancy passes upward in the appraiser
    rules: a complaint of the public must never wait with nobody to answer it.
    """
    position_id = complaint.service_unit.head_position_id
    holder = None
    if position_id is not None:
        holder = per_request(
            ("unit_head", position_id, on), lambda: holder_of_position(position_id, on)
        )
    return holder or kepala_opd(complaint, on)


def kepala_opd(complaint: Complaint, on: date | None = None) -> PositionHolder | None:
    """Who heads the OPD of the complaint's unit on `on`."""
    opd_id = complaint.service_unit.opd_id
    return per_request(
        ("kepala_opd_of", opd_id, on), lambda: holder_of_position(head_position_of(opd_id), on)
    )


def holds_position(account: Account, position_id: int | None, on: date | None = None) -> bool:
    """Whether the account's employee holds, or acts in (Plt/Plh), the position on `on`."""
    if position_id is None:
        return False
    if account.employee.position_id == position_id:
        return True
    on = on or date.today()
    return per_request(
        ("acts_in", account.employee_id, position_id, on),
        lambda: db.session.scalar(
            sa.select(
                sa.exists().where(
                    ActingAssignment.employee_id == account.employee_id,
                    ActingAssignment.position_id == position_id,
                    ActingAssignment.start_date <= on,
                    ActingAssignment.end_date >= on,
                )
            )
        ),
    )


def complaint_roles(
    account: Account | None, complaint: Complaint, on: date | None = None
) -> set[str]:
    """The roles the account holds for this one complaint."""
    if not is_signed_in(account):
        return set()
    roles = set()
    head = unit_head(complaint, on)
    if holds_position(account, complaint.service_unit.head_position_id, on) or (
        head is not None and head.employee.id == account.employee_id
    ):
        roles.add(UNIT_HEAD)
    if any(opd.id == complaint.service_unit.opd_id for opd in headed_opds(account, on)):
        roles.add(KEPALA_OPD)
    if ADMIN_BKD in account.granted_roles:
        roles.add(ADMIN)
    return roles


def _holder(complaint: Complaint, role: str) -> PositionHolder | None:
    if role == UNIT_HEAD:
        return unit_head(complaint)
    if role == KEPALA_OPD:
        return kepala_opd(complaint)
    return None


def assignee_for(complaint: Complaint, role: str) -> int | None:
    """The employee a complaint's task goes to; None when the position is vacant."""
    holder = _holder(complaint, role)
    return holder.employee.id if holder else None


def acting_capacity(complaint: Complaint, role: str) -> str | None:
    holder = _holder(complaint, role)
    return holder.acting if holder else None


def move_state(
    complaint: Complaint, source: str, dest: str, seen_version: int, now: datetime, *, final: bool
) -> None:
    """Move the complaint if nobody else has since `seen_version`; closing stamps closed_at
    (the contact's retention runs from it), reopening clears it."""
    values = {"state": dest, "updated_at": now, "closed_at": now if final else None}
    versioned_update(complaint, seen_version, values, state=source)


def task_due_date(complaint: Complaint, state: str, due_days: int, today: date) -> date:
    """Until it is first answered, every task is due by the SLA date; after that (a returned
    or reopened case, the kepala OPD's review) `due_days` working days from the step's day."""
    if complaint.answered_at is None:
        return complaint.due_date
    # The step's day in the city (move_state has just stamped updated_at), not UTC's `today`.
    start = local_date(complaint.updated_at) if complaint.updated_at else today
    return add_working_days(start, due_days)


def recipients(complaint: Complaint, roles: tuple[str, ...]) -> list[tuple[str, Employee]]:
    """(role, employee) for each role to mail, without duplicates (BKD is not mailed)."""
    found: list[tuple[str, Employee]] = []
    for role in roles:
        holder = _holder(complaint, role)
        if holder is not None and all(e.id != holder.employee.id for _, e in found):
            found.append((role, holder.employee))
    return found


def transition_mails(
    complaint: Complaint,
    transition: TransitionSpec,
    event: AuditEvent,
    opened: list[Task],
    spec: WorkflowSpec,
) -> None:
    """Mail each holder of a role the transition's `notify` names (never a digest: a
    complaint's SLA is counted in days)."""
    mail_step(
        complaint,
        transition,
        event,
        opened,
        spec,
        recipients=recipients,
        subject_line=lambda step: _(
            "[SIKAP] Complaint #%(number)s (%(unit)s): %(step)s",
            number=complaint.id,
            unit=complaint.service_unit.name,
            step=step,
        ),
        template="complaint_step",
        url=external_url("complaints.show", complaint_id=complaint.id),
        complaint=complaint,
    )


def open_case(complaint: Complaint, now: datetime) -> AuditEvent:
    """Start a new complaint's case: the first event of its chain ("received" from the
    public, no actor), the unit head's task, and the unit head's mail. Flushes."""
    return open_subject(complaint, now, opened_by="public", mails=transition_mails)
