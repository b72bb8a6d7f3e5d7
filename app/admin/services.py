"""Admin services over employees, accounts and roles. They flush, never commit."""

import logging
import secrets

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.auth.passwords import hash_password
from app.auth.services import make_reset_token
from app.auth.sessions import end_sessions
from app.extensions import db
from app.models import Account, Employee, Position, RoleGrant
from app.models.types import utcnow
from app.org.nip import compact_nip
from app.outbox.links import external_url
from app.outbox.queue import enqueue_mail

log = logging.getLogger("sikap.admin")


class AdminError(ValueError):
    """A refused admin action; the message is for the user."""


def employee_query(q: str | None = None, opd_id: int | None = None) -> sa.Select:
    """Employees matching a NIP prefix or a name fragment, optionally in one OPD."""
    query = (
        sa.select(Employee)
        .outerjoin(Position, Position.id == Employee.position_id)
        .options(sa.orm.contains_eager(Employee.position))
        .order_by(Employee.name, Employee.id)
    )
    if q:
        q = q.strip()
        if q.isdigit():
            query = query.where(Employee.nip.startswith(q, autoescape=True))
        else:
            query = query.where(Employee.name.ilike(f"%{q}%"))
    if opd_id:
        query = query.where(Position.opd_id == opd_id)
    return query


def accounts_by_employee(employee_ids: list[int]) -> dict[int, Account]:
    """Accounts of the given employees, in one query."""
    if not employee_ids:
        return {}
    rows = db.session.scalars(sa.select(Account).where(Account.employee_id.in_(employee_ids)))
    return {account.employee_id: account for account in rows}


def create_employee(data: dict) -> Employee:
    """Add an employee; a NIP or email already in use is refused."""
    nip = compact_nip(data["nip"])
    email = (data.get("email") or "").strip().lower() or None
    if db.session.scalar(sa.select(Employee.id).where(Employee.nip == nip)):
        raise AdminError("nip")
    if email and db.session.scalar(
        sa.select(Employee.id).where(sa.func.lower(Employee.email) == email)
    ):
        raise AdminError("email")
    employee = Employee(
        nip=nip,
        name=data["name"].strip(),
        pangkat_golongan=(data.get("pangkat_golongan") or "").strip() or None,
        status=data["status"],
        email=email,
        phone=(data.get("phone") or "").strip() or None,
        position_id=data.get("position_id") or None,
    )
    db.session.add(employee)
    db.session.flush()
    return employee


def create_account(employee: Employee, actor: Account) -> Account:
    """Open an account for the employee and mail them a link to choose a password."""
    if not employee.email:
        raise AdminError("no-email")
    if db.session.scalar(sa.select(Account.id).where(Account.employee_id == employee.id)):
        raise AdminError("exists")
    # Nobody knows this password; the employee sets their own through the link.
    account = Account(employee=employee, password_hash=hash_password(secrets.token_urlsafe(32)))
    db.session.add(account)
    db.session.flush()
    enqueue_mail(
        employee.email,
        _l("Your SIKAP account"),
        "account_created",
        locale=account.locale,
        account=account,
        url=external_url("auth.reset", token=make_reset_token(account)),
        hours=current_app.config["PASSWORD_RESET_MAX_AGE"] // 3600,
    )
    log.info("account %s created for %s by %s", account.id, employee.nip, actor.employee.nip)
    return account


def set_account_enabled(account: Account, enabled: bool, actor: Account) -> None:
    """Enable or deactivate an account; deactivation ends its sessions at once."""
    if not enabled and account.id == actor.id:
        raise AdminError("self")
    account.is_enabled = enabled
    if not enabled:
        end_sessions(account, utcnow())
    db.session.flush()
    log.info("account %s enabled=%s by %s", account.id, enabled, actor.employee.nip)


def grant_role(account: Account, role: str, actor: Account) -> None:
    """Grant a role; granting one already held changes nothing."""
    if role in account.granted_roles:
        return
    account.role_grants.append(RoleGrant(role=role, granted_by_id=actor.id))
    db.session.flush()
    log.info("role %s granted to account %s by %s", role, account.id, actor.employee.nip)


def revoke_role(account: Account, role: str, actor: Account) -> None:
    """Revoke a role; an admin cannot remove their own admin role (no lock-out of BKD)."""
    if role == "admin_bkd" and account.id == actor.id:
        raise AdminError("self")
    for grant in list(account.role_grants):
        if grant.role == role:
            account.role_grants.remove(grant)
    db.session.flush()
    log.info("role %s revoked from account %s by %s", role, account.id, actor.employee.nip)
