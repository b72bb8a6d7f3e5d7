"""Who sees which pembinaan cases and who acts on them.

A case is personal: the employee, the atasan leading it, the kepala of its OPD
and BKD's administrators see it; nobody else (colleagues, other OPDs, BKD
verifiers) learns that it exists, so a refusal is a 404.
"""

from __future__ import annotations

import sqlalchemy as sa

from app.models import Account, PembinaanCase
from app.models.accounts import ADMIN_BKD
from app.policy import opds_headed_by
from app.workflow.pembinaan import pembinaan_roles
from app.workflow.roles import is_signed_in


def pembinaan_scope(account: Account | None) -> sa.ColumnElement[bool] | None:
    """The cases the account may list, as a condition on PembinaanCase (None: signed out).

    BKD's administrators: every case; a kepala OPD: their OPD's; an atasan: the
    cases they lead; everyone: their own.
    """
    if not is_signed_in(account):
        return None
    if ADMIN_BKD in account.granted_roles:
        return sa.true()
    me = account.employee_id
    opds = [opd.id for opd in opds_headed_by(account)]
    return sa.or_(
        PembinaanCase.employee_id == me,
        PembinaanCase.atasan_id == me,
        PembinaanCase.opd_id.in_(opds),
    )


def may_view_pembinaan(account: Account | None, case: PembinaanCase) -> bool:
    """The case's page: its employee, its atasan, the kepala of its OPD, and admin BKD."""
    return bool(pembinaan_roles(account, case))


def may_act_on_pembinaan(account: Account | None, case: PembinaanCase, roles) -> bool:
    """Whether the account holds one of `roles` (a step's) on this case."""
    return bool(pembinaan_roles(account, case) & set(roles))
