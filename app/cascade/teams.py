"""Tim kerja: forming a team of an OPD, giving it an atasan's RHK, pre-filling members' plans.

The kepala OPD (or admin BKD) forms a team across the OPD's units with a lead
and members (app.policy.can_manage_teams). An atasan gives one of their RHK to
a team of their OPD in the matriks peran hasil: every member whose SKP of the
period is still a draft gets the team's result as an RHK UTAMA linked to that
RHK and marked as the team's (Rhk.tim_kerja_id); a member added later gets it
when they join. Clearing the assignment leaves the plans as they are, as
clearing a cell does. Services flush and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from app.cascade.services import clean_text
from app.extensions import db
from app.models import (
    Account,
    Appraisal,
    Employee,
    Period,
    Position,
    Rhk,
    TeamAssignment,
    TimKerja,
    TimKerjaMember,
)
from app.models.types import utcnow
from app.workflow.names import DRAFT

MAX_NAME = 200
MAX_TEXT = 2000


class TeamError(ValueError):
    """Input that cannot be saved; the message is for the user, `field` says where."""

    def __init__(self, message: str, field: str = "name") -> None:
        super().__init__(message)
        self.field = field


class StaleTeam(Exception):
    """Someone saved the team since the form was shown: nothing was written."""


@dataclass
class TeamInput:
    name: str
    purpose: str
    lead_id: int | None
    member_ids: list[int] = field(default_factory=list)


def opd_employees(opd_id: int) -> list[Employee]:
    """The OPD's active employees (any unit), by name: who may lead or join its teams."""
    return list(
        db.session.scalars(
            sa.select(Employee)
            .join(Position, Position.id == Employee.position_id)
            .where(Position.opd_id == opd_id, Employee.active.is_(True))
            .options(joinedload(Employee.position).joinedload(Position.unit))
            .order_by(Employee.name, Employee.id)
        )
    )


def teams_of(opd_id: int, period_id: int) -> list[TimKerja]:
    """The OPD's teams in the period, by name, with their lead and members loaded."""
    return list(
        db.session.scalars(
            sa.select(TimKerja)
            .where(TimKerja.opd_id == opd_id, TimKerja.period_id == period_id)
            .options(
                joinedload(TimKerja.lead),
                selectinload(TimKerja.members).joinedload(TimKerjaMember.employee),
            )
            .order_by(TimKerja.name, TimKerja.id)
        )
    )


def _clean(data: TeamInput, opd_id: int, period_id: int, team_id: int | None) -> TeamInput:
    name, purpose = (data.name or "").strip(), (data.purpose or "").strip()
    if not name:
        raise TeamError(_("Fill in the team's name."), "name")
    if len(name) > MAX_NAME:
        raise TeamError(_("The name is too long (at most %(n)d characters).", n=MAX_NAME), "name")
    if not purpose:
        raise TeamError(_("Say what the team is for."), "purpose")
    if len(purpose) > MAX_TEXT:
        raise TeamError(
            _("The purpose is too long (at most %(n)d characters).", n=MAX_TEXT), "purpose"
        )
    allowed = {e.id for e in opd_employees(opd_id)}
    if data.lead_id not in allowed:
        raise TeamError(_("Choose the lead among the OPD's employees."), "lead_id")
    members = list(dict.fromkeys([data.lead_id, *data.member_ids]))
    if any(m not in allowed for m in members):
        raise TeamError(_("Choose the members among the OPD's employees."), "member_ids")
    taken = sa.select(TimKerja.id).where(
        TimKerja.opd_id == opd_id,
        TimKerja.period_id == period_id,
        sa.func.lower(TimKerja.name) == name.lower(),
        TimKerja.id != (team_id or 0),
    )
    if db.session.scalar(taken) is not None:
        raise TeamError(_("The OPD already has a team of that name in this period."), "name")
    return TeamInput(name, purpose, data.lead_id, members)


def create_team(opd_id: int, period: Period, data: TeamInput, actor: Account) -> TimKerja:
    """Form a team with its lead and members; flushes."""
    data = _clean(data, opd_id, period.id, None)
    team = TimKerja(
        opd_id=opd_id,
        period_id=period.id,
        name=data.name,
        purpose=data.purpose,
        lead_id=data.lead_id,
        version=1,
        created_by_id=actor.id,
        created_at=utcnow(),
    )
    db.session.add(team)
    db.session.flush()
    _set_members(team, data.member_ids)
    return team


def update_team(team: TimKerja, data: TeamInput, actor: Account, *, seen_version: int) -> int:
    """Save the team if it is still at `seen_version`; flushes. Returns the RHK pre-filled.

    Members who join get the team's results of every assignment so far; members
    who leave keep what their plan has (it is theirs to change).
    """
    data = _clean(data, team.opd_id, team.period_id, team.id)
    moved = db.session.execute(
        sa.update(TimKerja)
        .where(TimKerja.id == team.id, TimKerja.version == seen_version)
        .values(
            name=data.name,
            purpose=data.purpose,
            lead_id=data.lead_id,
            version=TimKerja.version + 1,
            updated_by_id=actor.id,
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        raise StaleTeam
    db.session.refresh(team)
    return _set_members(team, data.member_ids)


def _set_members(team: TimKerja, member_ids: list[int]) -> int:
    current = {m.employee_id: m for m in team.members}
    for employee_id, member in current.items():
        if employee_id not in member_ids:
            team.members.remove(member)
    joined = [e for e in member_ids if e not in current]
    for employee_id in joined:
        team.members.append(TimKerjaMember(employee_id=employee_id, added_at=utcnow()))
    db.session.flush()
    if not joined:
        return 0
    assignments = db.session.scalars(
        sa.select(TeamAssignment)
        .where(TeamAssignment.tim_kerja_id == team.id)
        .options(joinedload(TeamAssignment.atasan_rhk).joinedload(Rhk.appraisal))
    )
    return sum(_prefill(a, joined) for a in assignments)


def _prefill(assignment: TeamAssignment, employee_ids: list[int]) -> int:
    """Add the team's result to the draft SKP of each of these members; returns how many."""
    atasan = assignment.atasan_rhk.appraisal
    drafts = db.session.scalars(
        sa.select(Appraisal)
        .join(Period, Period.id == Appraisal.period_id)
        .where(
            Appraisal.employee_id.in_(employee_ids),
            Appraisal.employee_id != atasan.employee_id,
            Appraisal.period_id == atasan.period_id,
            Appraisal.state == DRAFT,
            Period.status != "closed",
            Appraisal.start_date <= atasan.end_date,
            Appraisal.end_date >= atasan.start_date,
        )
    ).all()
    if not drafts:
        return 0
    ids = [d.id for d in drafts]
    have = set(
        db.session.scalars(
            sa.select(Rhk.appraisal_id).where(
                Rhk.appraisal_id.in_(ids),
                Rhk.atasan_rhk_id == assignment.atasan_rhk_id,
                Rhk.tim_kerja_id == assignment.tim_kerja_id,
            )
        )
    )
    last = dict(
        db.session.execute(
            sa.select(Rhk.appraisal_id, sa.func.max(Rhk.position))
            .where(Rhk.appraisal_id.in_(ids), Rhk.group_ == "utama")
            .group_by(Rhk.appraisal_id)
        ).all()
    )
    added = 0
    for draft in drafts:
        if draft.id in have:
            continue
        db.session.add(
            Rhk(
                appraisal_id=draft.id,
                group_="utama",
                position=(last.get(draft.id) or 0) + 1,
                text=assignment.result,
                atasan_rhk_id=assignment.atasan_rhk_id,
                tim_kerja_id=assignment.tim_kerja_id,
            )
        )
        added += 1
    db.session.flush()
    return added


def assign_team(
    atasan: Appraisal,
    *,
    atasan_rhk_id: int,
    tim_kerja_id: int,
    role: str,
    result: str,
    actor: Account,
) -> tuple[TeamAssignment, int]:
    """Give one of the atasan's RHK to a team of their OPD; flushes.

    A new assignment pre-fills the draft plan of every member (returns how many
    RHK were added); a changed one changes the matrix only, as a cell does.
    """
    role = clean_text(role, _("role"), "role", TeamError)
    result = clean_text(result, _("result"), "result", TeamError)
    atasan_rhk = db.session.get(Rhk, atasan_rhk_id)
    if atasan_rhk is None or atasan_rhk.appraisal_id != atasan.id:
        raise TeamError(_("Choose one of the RHK of your SKP."), "atasan_rhk_id")
    team = db.session.get(TimKerja, tim_kerja_id)
    if team is None or (team.opd_id, team.period_id) != (atasan.opd_id, atasan.period_id):
        raise TeamError(_("Choose one of the teams of your OPD in this period."), "tim_kerja_id")
    existing = db.session.scalar(
        sa.select(TeamAssignment).where(
            TeamAssignment.atasan_rhk_id == atasan_rhk.id, TeamAssignment.tim_kerja_id == team.id
        )
    )
    if existing is not None:
        existing.role, existing.result = role, result
        db.session.flush()
        return existing, 0
    assignment = TeamAssignment(
        atasan_rhk_id=atasan_rhk.id,
        tim_kerja_id=team.id,
        role=role,
        result=result,
        created_by_id=actor.employee_id,
        created_at=utcnow(),
    )
    db.session.add(assignment)
    db.session.flush()
    members = list(
        db.session.scalars(
            sa.select(TimKerjaMember.employee_id).where(TimKerjaMember.tim_kerja_id == team.id)
        )
    )
    return assignment, _prefill(assignment, members)


def remove_team_assignment(atasan: Appraisal, assignment_id: int) -> bool:
    """Clear a team's assignment from the atasan's matrix (members' plans keep their RHK)."""
    assignment = db.session.get(TeamAssignment, assignment_id)
    if assignment is None or assignment.atasan_rhk.appraisal_id != atasan.id:
        return False
    db.session.delete(assignment)
    db.session.flush()
    return True
