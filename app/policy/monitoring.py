"""Who watches which progress: the city, an OPD, a team, or only one's own (issue 15).

- The city: admin BKD, the BKD verifiers, and the pimpinan daerah (a granted,
  read-only role for the wali kota, wakil wali kota and sekda; the wali kota and
  the sekda, holders or Plt/Plh, hold it by their positions too).
- An OPD: its kepala (holder or Plt/Plh), besides the city's watchers.
- A team: an atasan watches the SKP they appraise and those appraised under them
  (direct and indirect, app.monitoring.scope); the city's watchers and the
  kepala of the team's OPD may open any team.
- Everyone: their own SKP over the periods.
"""

from __future__ import annotations

from app.models import Account
from app.models.accounts import ADMIN_BKD, PIMPINAN_DAERAH, VERIFIKATOR_BKD
from app.policy import opds_headed_by
from app.policy.organisation import sets_every_opds_achievement
from app.workflow.roles import is_signed_in

CITY_ROLES = frozenset({ADMIN_BKD, VERIFIKATOR_BKD, PIMPINAN_DAERAH})


def monitors_city(account: Account | None) -> bool:
    """Whether the account watches the whole city (no query for a granted role)."""
    if not is_signed_in(account):
        return False
    if CITY_ROLES & account.granted_roles:
        return True
    return sets_every_opds_achievement(account)


def monitoring_opds(account: Account | None) -> list[int] | None:
    """The OPDs whose progress the account watches: None for every OPD, [] for none."""
    if not is_signed_in(account):
        return []
    if monitors_city(account):
        return None
    return [opd.id for opd in opds_headed_by(account)]


def can_monitor_opd(account: Account | None, opd_id: int) -> bool:
    """The city's watchers, and the kepala of that OPD."""
    allowed = monitoring_opds(account)
    return allowed is None or opd_id in allowed


def can_monitor_team(account: Account | None, atasan_id: int, atasan_opd_id: int | None) -> bool:
    """The atasan themself, the city's watchers, and the kepala of the atasan's OPD."""
    if not is_signed_in(account):
        return False
    if account.employee_id == atasan_id:
        return True
    return atasan_opd_id is not None and can_monitor_opd(account, atasan_opd_id)


def may_remind(account: Account | None, opd_id: int | None) -> bool:
    """Who may send a bottleneck reminder: admin BKD for any OPD, a kepala OPD for theirs.

    The pimpinan daerah and the verifiers watch; they do not act from the monitor.
    """
    if not is_signed_in(account):
        return False
    if ADMIN_BKD in account.granted_roles:
        return True
    return opd_id is not None and any(opd.id == opd_id for opd in opds_headed_by(account))
