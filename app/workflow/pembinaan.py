"""The pembinaan case as a workflow subject: its roles, assignees, due dates and mails.

Roles are relative to one case: `pegawai` is the employee whose SKP gave the
predikat (and nothing else on their own case); `atasan` is the atasan recorded on
the case (the SKP's pejabat penilai when it was opened); `kepala_opd` heads (or
acts as head of) the case's OPD on the day; `admin_bkd` is BKD's granted
administrator role. Due dates are calendar days from the step's day in the city.
Every hook here is called by the engine through the subject kind (app.workflow.kinds).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import gettext as _

from app.extensions import db
from app.models import Account, AuditEvent, Employee, PembinaanCase, Task
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

PEGAWAI = "pegawai"
ATASAN = "atasan"
KEPALA_OPD = "kepala_opd"
ADMIN = "admin_bkd"
# Where a pembinaan case runs (the `subject: pembinaan` definition).
PEMBINAAN_WORKFLOW = "pembinaan"


def kepala_opd(case: PembinaanCase, on: date | None = None) -> PositionHolder | None:
    """Who heads the case's OPD on `on` (a Plt/Plh when the post is vacant)."""
    return per_request(
        ("kepala_opd_of", case.opd_id, on),
        lambda: holder_of_position(head_position_of(case.opd_id), on),
    )


def pembinaan_roles(
    account: Account | None, case: PembinaanCase, on: date | None = None
) -> set[str]:
    """The roles the account holds for this one case."""
    if not is_signed_in(account):
        return set()
    if account.employee_id == case.employee_id:
        # Nobody holds another side of their own case, even as a BKD administrator.
        return {PEGAWAI}
    roles = set()
    if account.employee_id == case.atasan_id:
        roles.add(ATASAN)
    if any(opd.id == case.opd_id for opd in headed_opds(account, on)):
        roles.add(KEPALA_OPD)
    if ADMIN_BKD in account.granted_roles:
        roles.add(ADMIN)
    return roles


def _employee_id(case: PembinaanCase, role: str) -> int | None:
    if role == PEGAWAI:
        return case.employee_id
    if role == ATASAN:
        return case.atasan_id
    if role == KEPALA_OPD:
        holder = kepala_opd(case)
        return holder.employee.id if holder else None
    return None


def assignee_for(case: PembinaanCase, role: str) -> int | None:
    """The employee a case's task goes to; None when the kepala OPD's post is vacant."""
    return _employee_id(case, role)


def acting_capacity(case: PembinaanCase, role: str) -> str | None:
    if role == KEPALA_OPD:
        holder = kepala_opd(case)
        return holder.acting if holder else None
    return None


def move_state(
    case: PembinaanCase, source: str, dest: str, seen_version: int, now: datetime, *, final: bool
) -> None:
    """Move the case if nobody else has since `seen_version`; closing stamps closed_at."""
    values = {"state": dest, "updated_at": now, "closed_at": now if final else None}
    versioned_update(case, seen_version, values, state=source)


def task_due_date(case: PembinaanCase, state: str, due_days: int, today: date) -> date:
    """`due_days` calendar days from the step's day in the city (monitoring: a month on)."""
    start = local_date(case.updated_at) if case.updated_at else today
    return start + timedelta(days=due_days)


def recipients(case: PembinaanCase, roles: tuple[str, ...]) -> list[tuple[str, Employee]]:
    """(role, employee) for each role to mail, without duplicates (BKD is not mailed)."""
    found: list[tuple[str, Employee]] = []
    for role in roles:
        employee_id = _employee_id(case, role)
        if employee_id is not None and all(e.id != employee_id for _, e in found):
            found.append((role, db.session.get(Employee, employee_id)))
    return found


def transition_mails(
    case: PembinaanCase,
    transition: TransitionSpec,
    event: AuditEvent,
    opened: list[Task],
    spec: WorkflowSpec,
) -> None:
    """Mail each holder of a role the transition's `notify` names (not the one who acted)."""
    mail_step(
        case,
        transition,
        event,
        opened,
        spec,
        recipients=recipients,
        subject_line=lambda step: _(
            "[SIKAP] Pembinaan of %(name)s: %(step)s", name=case.employee.name, step=step
        ),
        template="pembinaan_step",
        url=external_url("pembinaan.show", case_id=case.id),
        case=case,
    )


def open_case(case: PembinaanCase, now: datetime) -> AuditEvent:
    """Start a new case: the first event of its chain (opened by SIKAP on the final predikat,
    no actor), the atasan's task, and the mails to the atasan and the employee. Flushes."""
    return open_subject(
        case, now, opened_by="system", mails=transition_mails, also_notify=(PEGAWAI,)
    )
