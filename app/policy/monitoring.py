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

import sqlalchemy as sa

from app.extensions import db
from app.models import Account, Appraisal, Position
from app.models.accounts import ADMIN_BKD, PIMPINAN_DAERAH, VERIFIKATOR_BKD
from app.models.org import KEPALA_DAERAH
from app.policy import opds_headed_by, shows_progress
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


def shows_monitor(account: Account | None, appraises: bool) -> bool:
    """Whether the navigation offers the monitor (/monitor), at no query of its own.

    The city's watchers by a granted role or as the wali kota; a kepala OPD (the
    query shows_progress already kept for the request); an atasan who appraises
    someone (`appraises`: the navigation's own count, app.inbox.services.nav_counts).
    The sekda heads the Setda, so shows_progress finds them.
    """
    if not is_signed_in(account):
        return False
    if CITY_ROLES & account.granted_roles or appraises:
        return True
    position = account.employee.position
    if position is not None and position.kind == KEPALA_DAERAH:
        return True
    return shows_progress(account)


def monitor_start(account: Account | None) -> tuple[str, int | None] | None:
    """Where the account's monitor starts: ("city", None), ("opd", id), ("team", their id), or None.

    An atasan has a team when they appraise an SKP or hold a position with positions
    under it (at most two reads, on the monitor's own pages only).
    """
    if not is_signed_in(account):
        return None
    if monitors_city(account):
        return ("city", None)
    opds = monitoring_opds(account)
    if opds:
        return ("opd", opds[0])
    if account.employee_id and _has_team(account):
        return ("team", account.employee_id)
    return None


def _has_team(account: Account) -> bool:
    appraises = sa.exists().where(Appraisal.appraiser_id == account.employee_id)
    position_id = account.employee.position_id
    if position_id is not None:
        appraises = sa.or_(appraises, sa.exists().where(Position.parent_id == position_id))
    return bool(db.session.scalar(sa.select(appraises)))
