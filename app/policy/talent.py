"""Who reads the talent map and the consequences of a predikat, and who sets their tables.

Talent mapping (PermenPANRB 3/2020) is never public and never for the pegawai or
the atasan: the city's watchers (admin BKD, the BKD verifiers, the pimpinan
daerah, and the wali kota and sekda by position, app.policy.monitoring) read
every OPD's and the city's; a kepala OPD (holder or Plt/Plh) reads their own
OPD's only. The same people read the consequences pages (kenaikan pangkat, TPP,
rewards, angka kredit). Only admin BKD imports assessments and edits the tables
(9-box thresholds, the TPP table): BKD runs the city's talent management.
"""

from __future__ import annotations

from app.models import Account
from app.models.accounts import ADMIN_BKD
from app.policy.monitoring import CITY_ROLES, monitoring_opds
from app.workflow.roles import is_signed_in


def talent_opds(account: Account | None) -> list[int] | None:
    """The OPDs whose talent map the account reads: None for every OPD, [] for none."""
    return monitoring_opds(account)


def offers_talent(account: Account | None, heads_opd: bool, pimpinan_above: bool) -> bool:
    """Whether the home page links the talent pages, from what it already asked: a kepala
    OPD, the wali kota or sekda by position, or a granted city role (no further query)."""
    if not is_signed_in(account):
        return False
    return heads_opd or pimpinan_above or bool(CITY_ROLES & account.granted_roles)


def can_view_talent(account: Account | None, opd_id: int | None) -> bool:
    """Whether the account reads the talent map of `opd_id` (None: the whole city)."""
    allowed = talent_opds(account)
    if allowed is None:
        return True
    return opd_id is not None and opd_id in allowed


def manages_talent(account: Account | None) -> bool:
    """Admin BKD: imports assessment scores and sets the 9-box thresholds and the TPP table."""
    return is_signed_in(account) and ADMIN_BKD in account.granted_roles


def can_view_angka_kredit(account: Account | None, employee_id: int, opd_id: int | None) -> bool:
    """The employee themself, and whoever reads the talent map of their OPD."""
    if not is_signed_in(account):
        return False
    if account.employee_id == employee_id:
        return True
    return can_view_talent(account, opd_id) if opd_id is not None else manages_talent(account)
