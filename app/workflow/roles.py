"""The roles a person holds on one appraisal, derived from the reporting line, never stored.

appraisee (the employee), appraiser (the pejabat penilai recorded on the
appraisal), appraiser_superior (the appraiser's own atasan on the day, holder or
Plt/Plh) and verifikator_bkd (a granted role, held on every appraisal except
those the verifier is rated in or rated: separation of duties). The engine authorises every
transition with `appraisal_roles`; app.policy builds its page rules on it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import g, has_request_context
from flask_babel import lazy_gettext as _l

from app.models import Account, Appraisal
from app.models.accounts import VERIFIKATOR_BKD
from app.org.reporting import PositionHolder, atasan_of

APPRAISEE = "appraisee"
APPRAISER = "appraiser"
APPRAISER_SUPERIOR = "appraiser_superior"
# What each role is called on the pages.
ROLE_LABELS = {
    "appraisee": _l("Employee"),
    "appraiser": _l("Appraiser (pejabat penilai)"),
    "appraiser_superior": _l("Appraiser's superior"),
    "verifikator_bkd": _l("BKD verifier"),
    "admin_bkd": _l("BKD administrator"),
}

# Roles held by a group (any verifier may claim the task), not by one person.
GROUP_ROLES = (VERIFIKATOR_BKD,)


def per_request(key: tuple, compute: Callable):
    """Remember an answer for the rest of the request (pages ask the same question often)."""
    if not has_request_context():
        return compute()
    cache = g.setdefault("policy_cache", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def is_signed_in(account: Account | None) -> bool:
    return account is not None and getattr(account, "is_authenticated", False)


def appraiser_superior(appraisal: Appraisal, on: date | None = None) -> PositionHolder | None:
    """The atasan of the appraisal's appraiser (atasan pejabat penilai), derived on `on`."""
    if appraisal.appraiser is None:
        return None
    return per_request(
        ("appraiser_superior", appraisal.appraiser_id, on),
        lambda: atasan_of(appraisal.appraiser, on),
    )


def appraisal_roles(
    account: Account | None, appraisal: Appraisal, on: date | None = None
) -> set[str]:
    """The roles the account holds for this one appraisal."""
    if not is_signed_in(account):
        return set()
    me = account.employee_id
    if appraisal.employee_id == me:
        # Nobody holds another side of their own appraisal, even as a BKD verifier.
        return {APPRAISEE}
    if appraisal.appraiser_id == me:
        # Separation of duties: whoever rates an SKP does not verify it. The
        # appraiser's own atasan is someone else: no need to look them up.
        return {APPRAISER}
    roles = set()
    if VERIFIKATOR_BKD in account.granted_roles and appraisal.rated_by_id != me:
        roles.add(VERIFIKATOR_BKD)
    superior = appraiser_superior(appraisal, on)
    if superior is not None and superior.employee.id == me:
        roles.add(APPRAISER_SUPERIOR)
    return roles


def acting_capacity(appraisal: Appraisal, role: str) -> str | None:
    """'plt'/'plh' when the role is held through an acting assignment, else None."""
    if role == APPRAISER:
        return appraisal.appraiser_acting
    if role == APPRAISER_SUPERIOR:
        superior = appraiser_superior(appraisal)
        return superior.acting if superior else None
    return None


def assignee_for(appraisal: Appraisal, role: str) -> int | None:
    """The employee a personal task goes to; None for group tasks and for nobody found."""
    if role == APPRAISEE:
        return appraisal.employee_id
    if role == APPRAISER:
        return appraisal.appraiser_id
    if role == APPRAISER_SUPERIOR:
        superior = appraiser_superior(appraisal)
        return superior.employee.id if superior else None
    return None
