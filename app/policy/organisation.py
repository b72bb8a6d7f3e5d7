"""Who sets the capaian kinerja organisasi and who forms the tim kerja (SE MenPANRB 3/2023)."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import Account, Position
from app.models.org import KEPALA_DAERAH
from app.org.appraisers import SEKDA_LEVEL, level_of
from app.policy import (
    _held_position_rows,
    admin_or_kepala_opd,
    can,
    opds_managed_by,
)
from app.workflow.roles import is_signed_in, per_request


def can_manage_teams(account: Account | None, opd_id: int) -> bool:
    """Admin BKD for any OPD; the kepala OPD for their own: forms and edits its tim kerja.

    A team is formed by the kepala OPD's surat tugas. Its lead does not change the
    members: joining a team writes its results into the member's draft plan, and
    the members come from units whose heads the lead is not.
    """
    return admin_or_kepala_opd(account, opd_id)


def team_opds(account: Account | None) -> list[int] | None:
    """The OPDs whose tim kerja the account manages: None for all (admin BKD), [] for none."""
    return opds_managed_by(account)


def can_view_team(account: Account | None, team) -> bool:
    """Who manages the team's OPD, and the team's lead and members (read-only)."""
    if not is_signed_in(account):
        return False
    if can_manage_teams(account, team.opd_id):
        return True
    return any(member.employee_id == account.employee_id for member in team.members)


def achievement_scopes_of(account: Account, opd_id: int) -> set[int | None]:
    """The satuan organisasi of the OPD whose capaian the account sets as pimpinan above.

    A unit (by id; None for the OPD itself) is theirs when they hold the parent
    position of its head: a position whose parent is outside its unit (outside the
    OPD, for the OPD's head). So a kepala OPD sets the capaian of the bidang, UPT
    and Puskesmas their own position heads, and a kepala bidang those of the
    units under them.

    The OPD itself, whatever the position tree says (SE MenPANRB 3/2023: the
    pimpinan above sets the organisation's capaian; an OPD's is its kepala daerah's,
    and the sekda coordinates the perangkat daerah for them, PP 18/2016 Pasal 5):

    - the kepala daerah (the wali kota, position kind kepala_daerah) sets every
      OPD's, the Sekretariat Daerah's included;
    - the sekda (a JPT of level sekda) sets every OPD's but that of the OPD their
      own position is in (the Sekretariat Daerah they head): nobody sets their own
      organisation's capaian, so the Sekretariat Daerah's is the wali kota's.

    A Plt or Plh of those positions acts for them. Admin BKD stays the operator
    for every OPD (can_set_achievement). Two queries, whatever the number of units.
    """

    def compute() -> set[int | None]:
        rows = _held_position_rows(account)
        if not rows:
            return set()
        scopes: set[int | None] = set()
        for row in rows:
            sekda = level_of(row.kind, row.level, row.name) == SEKDA_LEVEL
            if row.kind == KEPALA_DAERAH or (sekda and row.opd_id != opd_id):
                scopes.add(None)
        parent = sa.orm.aliased(Position)
        tree = db.session.execute(
            sa.select(Position.unit_id, parent.unit_id, parent.opd_id)
            .join(parent, parent.id == Position.parent_id)
            .where(Position.opd_id == opd_id, Position.parent_id.in_([r.id for r in rows]))
        )
        for unit_id, parent_unit, parent_opd in tree:
            if unit_id is None and parent_opd != opd_id:
                scopes.add(None)
            elif unit_id is not None and (parent_unit != unit_id or parent_opd != opd_id):
                scopes.add(unit_id)
        return scopes

    return per_request(("achievement_scopes", account.id, opd_id), compute)


def sets_every_opds_achievement(account: Account | None) -> bool:
    """Whether the account is pimpinan above of OPDs as such: the wali kota or the sekda.

    They pick any OPD on the capaian page (achievement_scopes_of says which they set).
    """
    if not is_signed_in(account):
        return False
    return per_request(
        ("sets_every_opd", account.id),
        lambda: any(
            row.kind == KEPALA_DAERAH or level_of(row.kind, row.level, row.name) == SEKDA_LEVEL
            for row in _held_position_rows(account)
        ),
    )


def can_set_achievement(account: Account | None, opd_id: int, unit_id: int | None) -> bool:
    """Admin BKD (the operator), or the pimpinan above the OPD or unit (achievement_scopes_of).

    SE MenPANRB 3/2023: the organisation's achievement is set by the pimpinan above it.
    """
    if not is_signed_in(account):
        return False
    if can(account, "org_achievement.manage"):
        return True
    return unit_id in achievement_scopes_of(account, opd_id)


def can_view_achievements(account: Account | None, opd_id: int) -> bool:
    """BKD, the wali kota and the sekda see every OPD's capaian kinerja organisasi;
    everyone else their own OPD's."""
    if not is_signed_in(account):
        return False
    if can(account, "org_achievement.view_all"):
        return True
    if sets_every_opds_achievement(account):
        return True
    position = account.employee.position
    return position is not None and position.opd_id == opd_id
