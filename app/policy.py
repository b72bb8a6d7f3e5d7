"""Every authorization question, answered in one place.

Views and templates ask these functions; nothing else decides who may do what.
Roles: every enabled account is a pegawai; verifikator_bkd and admin_bkd are
granted; kepala_opd is derived from holding an OPD's top position.
"""

from collections.abc import Callable
from datetime import date
from functools import wraps

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from app.extensions import db
from app.models import Account, Appraisal, Opd, Position
from app.org.reporting import PositionHolder, atasan_of, positions_held

PEGAWAI = "pegawai"
VERIFIKATOR_BKD = "verifikator_bkd"
ADMIN_BKD = "admin_bkd"
KEPALA_OPD = "kepala_opd"

# permission -> roles that hold it
PERMISSIONS: dict[str, frozenset[str]] = {
    "employees.view": frozenset({ADMIN_BKD, VERIFIKATOR_BKD}),
    "accounts.manage": frozenset({ADMIN_BKD}),
    "roles.manage": frozenset({ADMIN_BKD}),
    "appraisals.reassign": frozenset({ADMIN_BKD}),
}


def top_position_ids() -> sa.Select:
    """Positions heading an OPD: no parent, or a parent in another OPD."""
    parent = sa.orm.aliased(Position)
    return (
        sa.select(Position.id)
        .outerjoin(parent, parent.id == Position.parent_id)
        .where(sa.or_(Position.parent_id.is_(None), parent.opd_id != Position.opd_id))
    )


def opds_headed_by(account: Account, on: date | None = None) -> list[Opd]:
    """The OPDs whose top position the account's employee holds or acts in on `on`."""
    held = [p.id for p in positions_held(account.employee, on)]
    if not held:
        return []
    return list(
        db.session.scalars(
            sa.select(Opd)
            .join(Position, Position.opd_id == Opd.id)
            .where(Position.id.in_(held), Position.id.in_(top_position_ids()))
        ).unique()
    )


def roles_of_account(account: Account | None) -> set[str]:
    """The global roles of an account (not those it has on one appraisal)."""
    if account is None or not getattr(account, "is_authenticated", False):
        return set()
    roles = {PEGAWAI} | account.granted_roles
    if opds_headed_by(account):
        roles.add(KEPALA_OPD)
    return roles


def can(account: Account | None, permission: str) -> bool:
    """Whether the account holds a role that carries `permission`."""
    if account is None or not getattr(account, "is_authenticated", False):
        return False
    allowed = PERMISSIONS[permission]
    # Granted roles are loaded with the account; only derived roles cost a query.
    if allowed & account.granted_roles:
        return True
    return KEPALA_OPD in allowed and bool(opds_headed_by(account))


def appraiser_superior(appraisal: Appraisal, on: date | None = None) -> PositionHolder | None:
    """The atasan of the appraisal's appraiser (atasan pejabat penilai), derived on `on`."""
    if appraisal.appraiser is None:
        return None
    return atasan_of(appraisal.appraiser, on)


def appraisal_roles(
    account: Account | None, appraisal: Appraisal, on: date | None = None
) -> set[str]:
    """The roles the account holds for this one appraisal (see workflow ROLES)."""
    if account is None or not getattr(account, "is_authenticated", False):
        return set()
    me = account.employee_id
    if appraisal.employee_id == me:
        # Nobody holds another side of their own appraisal, even as a BKD verifier.
        return {"appraisee"}
    roles = set()
    if appraisal.appraiser_id == me:
        roles.add("appraiser")
    if VERIFIKATOR_BKD in account.granted_roles:
        roles.add("verifikator_bkd")
    superior = appraiser_superior(appraisal, on)
    if superior is not None and superior.employee.id == me:
        roles.add("appraiser_superior")
    return roles


def can_view_appraisal(account: Account | None, appraisal: Appraisal) -> bool:
    """The appraisee, appraiser, their superior, BKD, and the head of the appraisal's OPD."""
    if account is None or not getattr(account, "is_authenticated", False):
        return False
    if appraisal_roles(account, appraisal) or ADMIN_BKD in account.granted_roles:
        return True
    return any(opd.id == appraisal.opd_id for opd in opds_headed_by(account))


def permission_required(permission: str) -> Callable:
    """View decorator: 401 for the anonymous, 403 for those without the permission."""
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                from app.extensions import login_manager

                return login_manager.unauthorized()
            if not can(current_user, permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
