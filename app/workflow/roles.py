"""The roles a person holds on one appraisal, derived from the reporting line, never stored.

appraisee (the employee), appraiser (the pejabat penilai recorded on the
appraisal), appraiser_superior (the appraiser's own atasan on the day, holder or
Plt/Plh), verifikator_bkd (a granted role, held on every appraisal except
those the verifier is rated in or rated: separation of duties) and
pengelola_kinerja (an operator of the appraisal's OPD, on a plan nobody drafted by
the second week of January). The engine authorises every transition with
`appraisal_roles`; app.policy builds its page rules on it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import sqlalchemy as sa
from flask import g, has_request_context
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import Account, Appraisal, Opd, PengelolaKinerja
from app.models.accounts import VERIFIKATOR_BKD
from app.org.heads import opds_headed_by
from app.org.reporting import PositionHolder, atasan_penilai_of, may_decide_own_appraisal
from app.workflow.names import DRAFT, KEPALA_OPD, PENGELOLA_KINERJA, VERIFICATION

APPRAISEE = "appraisee"
APPRAISER = "appraiser"
APPRAISER_SUPERIOR = "appraiser_superior"
# What each role is called on the pages.
ROLE_LABELS = {
    "appraisee": _l("Employee"),
    "appraiser": _l("Appraiser (pejabat penilai)"),
    "appraiser_superior": _l("Appraiser's superior"),
    "verifikator_bkd": _l("BKD verifier"),
    "pengelola_kinerja": _l("Pengelola kinerja"),
    "kepala_opd": _l("Kepala OPD"),
    "admin_bkd": _l("BKD administrator"),
    "pimpinan_daerah": _l("Pimpinan daerah (monitoring, read-only)"),
    "unit_head": _l("Head of the unit layanan"),
    "pegawai": _l("Employee"),
    "atasan": _l("Atasan (leads the pembinaan)"),
    "system": _l("SIKAP (automatic)"),
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


def headed_opds(account: Account, on: date | None = None) -> list[Opd]:
    """The OPDs the account's employee heads (or acts as head of) on `on`; once per request."""
    return per_request(
        ("opds_headed_by", account.employee_id, on), lambda: opds_headed_by(account, on)
    )


def is_signed_in(account: Account | None) -> bool:
    return account is not None and getattr(account, "is_authenticated", False)


def appraiser_superior(appraisal: Appraisal, on: date | None = None) -> PositionHolder | None:
    """The atasan pejabat penilai of the appraisal, derived on `on` by the appraisee's rule.

    Usually the appraiser's own atasan; for a JPT appraised by the kepala daerah,
    the kepala daerah again (app.org.appraisers: the sources' table names the same
    official at the top), so that the keberatan of a kepala OPD has a decider.
    """
    if appraisal.appraiser is None:
        return None
    return per_request(
        ("appraiser_superior", appraisal.employee_id, appraisal.appraiser_id, on),
        lambda: atasan_penilai_of(
            appraisal.employee, appraisal.appraiser, appraisal.appraiser_acting, on
        ),
    )


# PermenPANRB 8/2021, Bab II A.4: when the employee and the pejabat penilai have not
# drafted the plan by the second week of January, the pengelola kinerja drafts it.
OPERATOR_FROM = (1, 15)  # month, day of the period's year


def operator_window_open(appraisal: Appraisal, today: date | None = None) -> bool:
    """Whether a pengelola kinerja may draft this plan now: still a draft, past the 2nd week."""
    today = today or date.today()
    month, day = OPERATOR_FROM
    return appraisal.state == DRAFT and today >= date(appraisal.period.year, month, day)


def operator_opds(account: Account) -> set[int]:
    """The OPDs the account is pengelola kinerja of (one query, kept for the request)."""
    return per_request(
        ("operator_opds", account.id),
        lambda: set(
            db.session.scalars(
                sa.select(PengelolaKinerja.opd_id).where(PengelolaKinerja.account_id == account.id)
            )
        ),
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
        # Separation of duties: whoever rates an SKP does not verify it, nor drafts
        # it as pengelola kinerja. The atasan pejabat penilai is someone else, except
        # at the top, where the rule names the appraiser again (the kepala daerah).
        # An acting appraiser (a Plt wali kota) is checked in full; a definitive one
        # only when their own position is one a rule may name.
        if appraisal.appraiser_acting or may_decide_own_appraisal(account.employee):
            superior = appraiser_superior(appraisal, on)
            if superior is not None and superior.employee.id == me:
                return {APPRAISER, APPRAISER_SUPERIOR}
        return {APPRAISER}
    roles = set()
    if (
        appraisal.state == DRAFT
        and appraisal.opd_id in operator_opds(account)
        and operator_window_open(appraisal, on)
    ):
        roles.add(PENGELOLA_KINERJA)
    if VERIFIKATOR_BKD in account.granted_roles and appraisal.rated_by_id != me:
        roles.add(VERIFIKATOR_BKD)
    superior = appraiser_superior(appraisal, on)
    if superior is not None and superior.employee.id == me:
        roles.add(APPRAISER_SUPERIOR)
    # The kepala OPD acts on an SKP only at verification (calibration): asking only
    # then spares every other SKP page the query.
    if (
        appraisal.state == VERIFICATION
        and appraisal.opd_id is not None
        and any(opd.id == appraisal.opd_id for opd in headed_opds(account, on))
    ):
        roles.add(KEPALA_OPD)
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
