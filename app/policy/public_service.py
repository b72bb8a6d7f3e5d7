"""Who manages the unit layanan, reads their SKM reports and handles their pengaduan."""

from __future__ import annotations

import sqlalchemy as sa

from app.models import Account, Complaint, ServiceUnit
from app.models.accounts import ADMIN_BKD, VERIFIKATOR_BKD
from app.policy import admin_or_kepala_opd, can, held_positions, opds_headed_by, opds_managed_by
from app.workflow.complaints import UNIT_HEAD, complaint_roles
from app.workflow.roles import is_signed_in


def can_manage_service_units(account: Account | None, opd_id: int) -> bool:
    """Admin BKD for any OPD; the kepala OPD for their own (units, posters, hidden comments)."""
    return admin_or_kepala_opd(account, opd_id)


def service_unit_opds(account: Account | None) -> list[int] | None:
    """The OPDs whose unit layanan the account manages: None for all (admin BKD), [] for none."""
    return opds_managed_by(account)


def skm_report_scope(account: Account | None) -> sa.ColumnElement[bool] | None:
    """Which unit layanan's survey reports the account may read, as a condition on
    ServiceUnit: true for admin BKD; the OPDs they head for a kepala OPD; the units
    whose head position they hold (or act in) for a unit head. None: no unit at all."""
    if not is_signed_in(account):
        return None
    if can(account, "skm_reports.view_all"):
        return sa.true()
    opds = [opd.id for opd in opds_headed_by(account)]
    positions = held_positions(account)
    if not opds and not positions:
        return None
    return sa.or_(ServiceUnit.opd_id.in_(opds), ServiceUnit.head_position_id.in_(positions))


def can_view_skm_report(account: Account | None, service_unit: ServiceUnit) -> bool:
    """Admin BKD; the kepala OPD of the unit's OPD; the holder of the unit's head position."""
    if not is_signed_in(account):
        return False
    if can(account, "skm_reports.view_all"):
        return True
    if any(opd.id == service_unit.opd_id for opd in opds_headed_by(account)):
        return True
    return service_unit.head_position_id in held_positions(account)


def may_view_complaint(account: Account | None, complaint: Complaint) -> bool:
    """A complaint's page: its unit head, the kepala of its OPD, and BKD (admin, verifier)."""
    if not is_signed_in(account):
        return False
    if {ADMIN_BKD, VERIFIKATOR_BKD} & set(account.granted_roles):
        return True
    return bool(complaint_roles(account, complaint))


def may_see_complaint_contact(account: Account | None, complaint: Complaint) -> bool:
    """The complainant's contact: only the unit head and BKD (not the kepala OPD)."""
    if not is_signed_in(account):
        return False
    if {ADMIN_BKD, VERIFIKATOR_BKD} & set(account.granted_roles):
        return True
    return UNIT_HEAD in complaint_roles(account, complaint)
