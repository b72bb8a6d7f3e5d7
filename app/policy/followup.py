"""Who records, answers and reads the tindak lanjut: development plans and training (issue 16)."""

from __future__ import annotations

from app.models import Account, Appraisal
from app.models.accounts import ADMIN_BKD, VERIFIKATOR_BKD
from app.policy import can_review, can_view_appraisal, dashboard_opds
from app.workflow.deadlines import period_closed
from app.workflow.roles import is_signed_in


def can_edit_development(account: Account | None, appraisal: Appraisal) -> bool:
    """The appraiser, while the SKP waits for their review: the needs and actions of the plan."""
    return can_review(account, appraisal)


def can_view_development(account: Account | None, appraisal: Appraisal) -> bool:
    """Whoever may see the SKP reads its development plan and its certificates."""
    return can_view_appraisal(account, appraisal)


def can_answer_development(account: Account | None, appraisal: Appraisal, plan) -> bool:
    """The appraisee, once the plan has an action and until they have answered it."""
    if not is_signed_in(account) or plan is None or not plan.actions:
        return False
    if appraisal.employee_id != account.employee_id or period_closed(appraisal):
        return False
    return plan.agreed_at is None and plan.employee_comment is None


def can_record_progress(account: Account | None, appraisal: Appraisal) -> bool:
    """The appraisee or their appraiser: marks an action of the plan done, with its certificate."""
    if not is_signed_in(account):
        return False
    return account.employee_id in (appraisal.employee_id, appraisal.appraiser_id)


def can_manage_training(account: Account | None) -> bool:
    """Admin BKD (the city's training function): training events, attendance, certificates."""
    return is_signed_in(account) and ADMIN_BKD in account.granted_roles


def development_opds(account: Account | None) -> list[int] | None:
    """The OPDs whose JP coverage the account reads: None for all (BKD), [] for none."""
    return dashboard_opds(account)


def can_view_city_development(account: Account | None) -> bool:
    """BKD: the city's development needs and sosialisasi coverage across OPDs."""
    return is_signed_in(account) and bool({ADMIN_BKD, VERIFIKATOR_BKD} & account.granted_roles)


def can_view_training_certificate(account: Account | None, attendance) -> bool:
    """Admin BKD and the attendee themselves."""
    if not is_signed_in(account):
        return False
    return can_manage_training(account) or attendance.employee_id == account.employee_id
