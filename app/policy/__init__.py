"""Every authorization question, answered in one place.

Views and templates ask these functions; nothing else decides who may do what.
Roles: every enabled account is a pegawai; verifikator_bkd and admin_bkd are
granted; kepala_opd is derived from holding an OPD's top position. The roles a
person holds on one appraisal come from app.workflow.roles, which the engine
uses too; this module adds the page rules on top of them.
"""

from collections.abc import Callable
from datetime import date
from functools import wraps

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from app.extensions import db
from app.models import (
    Account,
    ActingAssignment,
    Appraisal,
    Employee,
    Opd,
    Position,
)
from app.models.accounts import ADMIN_BKD, PIMPINAN_DAERAH, VERIFIKATOR_BKD
from app.org.appraisers import MAX_DEPTH
from app.workflow.deadlines import appraisee_edit_locked, period_closed
from app.workflow.engine import engine
from app.workflow.names import (
    DRAFT,
    OBJECTION,
    OBJECTION_EXPLANATION,
    PENGELOLA_KINERJA,
    PLAN_REVIEW,
    SELF_ASSESSMENT,
    SUPERVISOR_REVIEW,
)
from app.workflow.roles import (
    APPRAISEE,
    APPRAISER,
    APPRAISER_SUPERIOR,
    appraisal_roles,
    headed_opds,
    is_signed_in,
    per_request,
)

PEGAWAI = "pegawai"
KEPALA_OPD = "kepala_opd"

# permission -> roles that hold it
PERMISSIONS: dict[str, frozenset[str]] = {
    "employees.view": frozenset({ADMIN_BKD, VERIFIKATOR_BKD}),
    "accounts.manage": frozenset({ADMIN_BKD}),
    "roles.manage": frozenset({ADMIN_BKD}),
    "appraisals.reassign": frozenset({ADMIN_BKD}),
    "outbox.manage": frozenset({ADMIN_BKD}),
    "verification.view": frozenset({VERIFIKATOR_BKD, ADMIN_BKD}),
    "verification.finalise": frozenset({VERIFIKATOR_BKD}),
    # The capaian kinerja organisasi of any OPD or unit, and the table that turns it
    # into the organisation predikat; the pimpinan above sets their own units'
    # capaian too (can_set_achievement).
    "org_achievement.manage": frozenset({ADMIN_BKD}),
    "org_predikat_table.manage": frozenset({ADMIN_BKD}),
    # Every OPD's capaian kinerja organisasi (others see their own OPD's).
    "org_achievement.view_all": frozenset({ADMIN_BKD, VERIFIKATOR_BKD}),
    "periods.manage": frozenset({ADMIN_BKD}),
    "appraiser_rules.manage": frozenset({ADMIN_BKD}),
    # Kepala OPD: for their own OPD only (can_appoint_operators).
    "operators.manage": frozenset({ADMIN_BKD, KEPALA_OPD}),
    "roster.import": frozenset({ADMIN_BKD}),
    "announcements.manage": frozenset({ADMIN_BKD}),
    # Kepala OPD: for their own OPD only (can_export_opd).
    "exports.view": frozenset({ADMIN_BKD, VERIFIKATOR_BKD, KEPALA_OPD}),
    # The Pustaka IKI: admin BKD curates it; a kepala OPD proposes entries.
    "pustaka.manage": frozenset({ADMIN_BKD}),
    "pustaka.report": frozenset({ADMIN_BKD, VERIFIKATOR_BKD}),
    "pustaka.propose": frozenset({KEPALA_OPD}),
    # SKM survey reports: every unit layanan's for admin BKD; a kepala OPD sees their
    # OPD's and a unit head their unit's (skm_report_scope).
    "skm_reports.view_all": frozenset({ADMIN_BKD}),
    # The SKM's unit layanan: admin BKD for every OPD (the admin menu); a kepala OPD
    # manages their own OPD's (can_manage_service_units).
    "service_units.manage_all": frozenset({ADMIN_BKD}),
}


def opds_headed_by(account: Account, on: date | None = None) -> list[Opd]:
    """The OPDs whose top position the account's employee holds or acts in on `on`."""
    return headed_opds(account, on)


def roles_of_account(account: Account | None) -> set[str]:
    """The global roles of an account (not those it has on one appraisal)."""
    if not is_signed_in(account):
        return set()
    roles = {PEGAWAI} | account.granted_roles
    if opds_headed_by(account):
        roles.add(KEPALA_OPD)
    return roles


def can(account: Account | None, permission: str) -> bool:
    """Whether the account holds a role that carries `permission`."""
    if not is_signed_in(account):
        return False
    allowed = PERMISSIONS[permission]
    # Granted roles are loaded with the account; only derived roles cost a query.
    if allowed & account.granted_roles:
        return True
    return KEPALA_OPD in allowed and bool(opds_headed_by(account))


def shows_progress(account: Account | None) -> bool:
    """Whether the navigation offers the OPD progress page (/dashboard).

    BKD always; otherwise the head of an OPD. Only an employee whose own position
    is JPT or at the top of the tree is asked (one query, kept for the request),
    so that the navigation costs the other pages nothing. An acting head (Plt)
    of another position reaches the page from the home page.
    """
    if not is_signed_in(account):
        return False
    if {ADMIN_BKD, VERIFIKATOR_BKD} & account.granted_roles:
        return True
    position = account.employee.position
    if position is None or (position.kind != "jpt" and position.parent_id is not None):
        return False
    return bool(opds_headed_by(account))


def can_view_appraisal(account: Account | None, appraisal: Appraisal) -> bool:
    """The appraisee, appraiser, their superior, BKD, the pimpinan daerah, and the OPD's head."""
    if not is_signed_in(account):
        return False
    if appraisal_roles(account, appraisal) or ADMIN_BKD in account.granted_roles:
        return True
    # The pimpinan daerah reads any SKP the city's monitor lists (read-only: the page
    # offers actions only to the roles the engine gives on the appraisal).
    if PIMPINAN_DAERAH in account.granted_roles:
        return True
    if any(opd.id == appraisal.opd_id for opd in opds_headed_by(account)):
        return True
    # An atasan further up the line (the monitor's team view lists their whole
    # subtree): the appraiser's position lies under the account's own.
    return _appraiser_is_under(account, appraisal)


def _appraiser_is_under(account: Account, appraisal: Appraisal) -> bool:
    """Whether the appraisal's appraiser holds a position under the account's (one query)."""
    mine = account.employee.position_id
    if mine is None or appraisal.appraiser_id is None:
        return False
    appraiser_position = (
        sa.select(Employee.position_id)
        .where(Employee.id == appraisal.appraiser_id)
        .scalar_subquery()
    )
    chain = (
        sa.select(Position.parent_id, sa.literal(1).label("depth"))
        .where(Position.id == appraiser_position)
        .cte(recursive=True)
    )
    # Bounded, so that a cycle someone typed into the tree cannot loop forever.
    chain = chain.union_all(
        sa.select(Position.parent_id, chain.c.depth + 1).where(
            Position.id == chain.c.parent_id, chain.c.depth < MAX_DEPTH
        )
    )
    return bool(db.session.scalar(sa.select(sa.exists().where(chain.c.parent_id == mine))))


# The SKP's content is edited by one side at one step of the workflow, and never once
# its period is closed (app.workflow.deadlines.period_closed, which the engine asks too). A periodic
# evaluation has no drafting step, so its plan (copied from the annual one) is never edited.


def _signed_in_employee(account: Account | None) -> int | None:
    return account.employee_id if is_signed_in(account) else None


def can_edit_plan(account: Account | None, appraisal: Appraisal) -> bool:
    """The appraisee, while the plan is being drafted (or was returned to them).

    Also the pengelola kinerja of the appraisal's OPD once the second week of
    January has passed with the plan still a draft (PermenPANRB 8/2021, Bab II
    A.4); never for their own plan or one they appraise (app.workflow.roles).
    """
    me = _signed_in_employee(account)
    if me is None or appraisal.state != DRAFT:
        return False
    if appraisal.employee_id != me and PENGELOLA_KINERJA not in appraisal_roles(account, appraisal):
        return False
    return not deadline_locked(appraisal) and not period_closed(appraisal)


def admin_or_kepala_opd(account: Account | None, opd_id: int) -> bool:
    """Admin BKD for any OPD; the kepala OPD for their own (what an OPD manages itself)."""
    if not is_signed_in(account):
        return False
    if ADMIN_BKD in account.granted_roles:
        return True
    return any(opd.id == opd_id for opd in opds_headed_by(account))


def opds_managed_by(account: Account | None) -> list[int] | None:
    """The OPDs admin_or_kepala_opd allows: None for all (admin BKD), [] for none."""
    if not is_signed_in(account):
        return []
    if ADMIN_BKD in account.granted_roles:
        return None
    return [opd.id for opd in opds_headed_by(account)]


def can_appoint_operators(account: Account | None, opd_id: int) -> bool:
    """Admin BKD for any OPD; the kepala OPD for their own."""
    return admin_or_kepala_opd(account, opd_id)


def can_set_expectations(account: Account | None, appraisal: Appraisal) -> bool:
    """The appraiser, while the plan waits for their approval (ekspektasi khusus pimpinan)."""
    me = _signed_in_employee(account)
    return (
        me is not None
        and appraisal.appraiser_id == me
        and appraisal.employee_id != me
        and appraisal.state == PLAN_REVIEW
        and not period_closed(appraisal)
    )


def can_edit_realisasi(account: Account | None, appraisal: Appraisal) -> bool:
    """The appraisee, during the self-assessment: realisasi and bukti dukung."""
    me = _signed_in_employee(account)
    return (
        me is not None
        and appraisal.employee_id == me
        and appraisal.state == SELF_ASSESSMENT
        and not deadline_locked(appraisal)
        and not period_closed(appraisal)
    )


def deadline_locked(appraisal: Appraisal) -> bool:
    """Whether the current step's deadline (with any extension) has passed for the appraisee."""
    return per_request(
        ("deadline_locked", appraisal.id, appraisal.state),
        lambda: appraisee_edit_locked(appraisal),
    )


def can_write_dialog(account: Account | None, appraisal: Appraisal) -> bool:
    """The appraisee and the appraiser, at any step that is not final (dialog kinerja)."""
    me = _signed_in_employee(account)
    if me is None or me not in (appraisal.employee_id, appraisal.appraiser_id):
        return False
    if period_closed(appraisal):
        return False
    return not engine().spec(appraisal.workflow).states[appraisal.state].final


def feedback_side(account: Account | None, appraisal: Appraisal) -> str | None:
    """Who the account is in the IKI threads (umpan balik berkelanjutan), if they may post.

    "appraiser" (the atasan, holder or Plt/Plh: leaves feedback at any time) or
    "appraisee" (answers it), from the approved plan until the SKP is final and
    never once its period is closed. Everyone who sees the appraisal reads the
    threads (the BKD verifier among them); nobody else posts.
    """
    if not is_signed_in(account) or appraisal.finalised_at is not None:
        return None
    if appraisal.state in (DRAFT, PLAN_REVIEW) or period_closed(appraisal):
        return None
    if engine().spec(appraisal.workflow).states[appraisal.state].final:
        return None
    roles = appraisal_roles(account, appraisal)
    if APPRAISER in roles:
        return APPRAISER
    return APPRAISEE if APPRAISEE in roles else None


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


# The review and the objection decision are edited at one step each, by one side.


def can_review(account: Account | None, appraisal: Appraisal) -> bool:
    """The appraiser, while the appraisal waits for their review (umpan balik and ratings)."""
    if appraisal.state != SUPERVISOR_REVIEW or period_closed(appraisal):
        return False
    return APPRAISER in appraisal_roles(account, appraisal)


def can_view_review(account: Account | None, appraisal: Appraisal) -> bool:
    """The appraiser reads their review from the self-assessment on; edits only while `can_review`.

    After the review is approved (verification, final, keberatan) it stays theirs to read.
    """
    return appraisal.state not in (DRAFT, PLAN_REVIEW) and APPRAISER in appraisal_roles(
        account, appraisal
    )


def can_verify(account: Account | None, appraisal: Appraisal) -> bool:
    """A BKD verifier, on anyone's appraisal but their own."""
    return VERIFIKATOR_BKD in appraisal_roles(account, appraisal)


def can_decide_objection(account: Account | None, appraisal: Appraisal) -> bool:
    """The appraiser's superior, while a keberatan waits for their decision or for explanations."""
    if appraisal.state not in (OBJECTION, OBJECTION_EXPLANATION) or period_closed(appraisal):
        return False
    return APPRAISER_SUPERIOR in appraisal_roles(account, appraisal)


def can_edit_matrix(account: Account | None, appraisal: Appraisal) -> bool:
    """The atasan, on the matriks peran hasil of their own SKP, until the period closes."""
    me = _signed_in_employee(account)
    return me is not None and appraisal.employee_id == me and not period_closed(appraisal)


def can_calibrate(account: Account | None, opd_id: int) -> bool:
    """The kepala OPD, for their own OPD: asks appraisers to revisit SKP before BKD verifies."""
    return is_signed_in(account) and any(opd.id == opd_id for opd in opds_headed_by(account))


def can_edit_pk(account: Account | None, opd_id: int) -> bool:
    """Admin BKD for any OPD; the kepala OPD for their own Perjanjian Kinerja."""
    if not is_signed_in(account):
        return False
    return ADMIN_BKD in account.granted_roles or any(
        opd.id == opd_id for opd in opds_headed_by(account)
    )


def can_export_opd(account: Account | None, opd_id: int) -> bool:
    """BKD for every OPD; a kepala OPD for the OPD they head."""
    if not is_signed_in(account):
        return False
    if {ADMIN_BKD, VERIFIKATOR_BKD} & account.granted_roles:
        return True
    return any(opd.id == opd_id for opd in opds_headed_by(account))


def dashboard_opds(account: Account | None) -> list[int] | None:
    """The OPDs whose progress the account may watch: None for all (BKD), [] for none."""
    if not is_signed_in(account):
        return []
    if {ADMIN_BKD, VERIFIKATOR_BKD} & account.granted_roles:
        return None
    return [opd.id for opd in opds_headed_by(account)]


def held_positions(account: Account, on: date | None = None) -> set[int]:
    """The positions the account's employee holds, or acts in (Plt/Plh) on `on`."""
    return {row.id for row in _held_position_rows(account, on)}


def _held_position_rows(account: Account, on: date | None = None) -> list:
    """(id, kind, level, name, opd_id) of each position held or acted in on `on`: one query."""
    on = on or date.today()
    acting = sa.select(ActingAssignment.position_id).where(
        ActingAssignment.employee_id == account.employee_id,
        ActingAssignment.start_date <= on,
        ActingAssignment.end_date >= on,
    )
    held = Position.id.in_(acting)
    if account.employee.position_id:
        held = sa.or_(Position.id == account.employee.position_id, held)
    return list(
        db.session.execute(
            sa.select(Position.id, Position.kind, Position.level, Position.name, Position.opd_id)
            .where(held)
            .order_by(Position.id)
        )
    )


# The policies of the organisation's performance and of public service live beside this
# module (split for size); callers keep asking `policy.<name>`.
from app.policy.followup import (
    can_answer_development as can_answer_development,
)
from app.policy.followup import (
    can_edit_development as can_edit_development,
)
from app.policy.followup import (
    can_manage_training as can_manage_training,
)
from app.policy.followup import (
    can_record_progress as can_record_progress,
)
from app.policy.followup import (
    can_view_city_development as can_view_city_development,
)
from app.policy.followup import (
    can_view_development as can_view_development,
)
from app.policy.followup import (
    can_view_training_certificate as can_view_training_certificate,
)
from app.policy.followup import (
    development_opds as development_opds,
)
from app.policy.monitoring import (
    can_monitor_opd as can_monitor_opd,
)
from app.policy.monitoring import (
    can_monitor_team as can_monitor_team,
)
from app.policy.monitoring import (
    may_remind as may_remind,
)
from app.policy.monitoring import (
    monitoring_opds as monitoring_opds,
)
from app.policy.monitoring import (
    monitors_city as monitors_city,
)
from app.policy.organisation import (
    achievement_scopes_of as achievement_scopes_of,
)
from app.policy.organisation import (
    can_manage_teams as can_manage_teams,
)
from app.policy.organisation import (
    can_set_achievement as can_set_achievement,
)
from app.policy.organisation import (
    can_view_achievements as can_view_achievements,
)
from app.policy.organisation import (
    can_view_team as can_view_team,
)
from app.policy.organisation import (
    sets_every_opds_achievement as sets_every_opds_achievement,
)
from app.policy.organisation import (
    team_opds as team_opds,
)
from app.policy.pembinaan import (
    may_act_on_pembinaan as may_act_on_pembinaan,
)
from app.policy.pembinaan import (
    may_view_pembinaan as may_view_pembinaan,
)
from app.policy.pembinaan import (
    pembinaan_scope as pembinaan_scope,
)
from app.policy.public_service import (
    can_manage_service_units as can_manage_service_units,
)
from app.policy.public_service import (
    can_view_skm_report as can_view_skm_report,
)
from app.policy.public_service import (
    may_see_complaint_contact as may_see_complaint_contact,
)
from app.policy.public_service import (
    may_view_complaint as may_view_complaint,
)
from app.policy.public_service import (
    service_unit_opds as service_unit_opds,
)
from app.policy.public_service import (
    skm_report_scope as skm_report_scope,
)
from app.policy.talent import (
    can_view_angka_kredit as can_view_angka_kredit,
)
from app.policy.talent import (
    can_view_talent as can_view_talent,
)
from app.policy.talent import (
    manages_talent as manages_talent,
)
from app.policy.talent import (
    offers_talent as offers_talent,
)
from app.policy.talent import (
    talent_opds as talent_opds,
)
