"""The matriks peran hasil: read the matrix, assign a cell, count coverage and orphans.

An atasan's RHK is *covered* when at least one subordinate supports it: an RHK
of theirs links to it, or the matrix assigns them (or a tim kerja) a role in it. A subordinate's
RHK is an *orphan* when it is UTAMA and links to none of their atasan's RHK of
the period (RHK TAMBAHAN are outside the cascade by definition, and a JPT's plan
is cascaded from the Perjanjian Kinerja, not an atasan's RHK). A team's shared
result that links to the RHK of the atasan who gave it to the team is no orphan
either, whoever the member's own atasan is (app/cascade/teams.py).

Services flush and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload

from app.extensions import db
from app.models import (
    Account,
    Appraisal,
    Employee,
    Position,
    Rhk,
    RhkAssignment,
    TeamAssignment,
    TimKerja,
)
from app.models.types import utcnow
from app.workflow.names import DRAFT

RHK_ORDER = (sa.case((Rhk.group_ == "utama", 0), else_=1), Rhk.position, Rhk.id)
MAX_TEXT = 2000


class MatrixError(ValueError):
    """An assignment that cannot be made; the message is for the user, `field` says where."""

    def __init__(self, message: str, field: str = "role") -> None:
        super().__init__(message)
        self.field = field


@dataclass
class Cell:
    """What one subordinate contributes to one atasan RHK."""

    assignment: RhkAssignment | None = None
    linked: list[Rhk] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.assignment is None and not self.linked


@dataclass
class Matrix:
    """An atasan's RHK (rows) against the SKP of the staff they appraise (columns)."""

    atasan: Appraisal
    rhks: list[Rhk]
    members: list[Appraisal]
    cells: dict[tuple[int, int], Cell]
    orphans: list[tuple[Appraisal, Rhk]]
    # Atasan RHK id -> the tim kerja given a role in it.
    teams: dict[int, list[TeamAssignment]] = field(default_factory=dict)

    def cell(self, rhk_id: int, appraisal_id: int) -> Cell:
        return self.cells.get((rhk_id, appraisal_id)) or Cell()

    @property
    def covered(self) -> set[int]:
        by_staff = {rhk_id for (rhk_id, _), cell in self.cells.items() if not cell.empty}
        return by_staff | {rhk_id for rhk_id, given in self.teams.items() if given}

    @property
    def uncovered(self) -> list[Rhk]:
        covered = self.covered
        return [rhk for rhk in self.rhks if rhk.id not in covered]


def team_of(atasan: Appraisal) -> list[Appraisal]:
    """The SKP of the period the atasan appraises, over the months of this segment, by name."""
    return list(
        db.session.scalars(
            sa.select(Appraisal)
            .join(Employee, Employee.id == Appraisal.employee_id)
            .where(
                Appraisal.appraiser_id == atasan.employee_id,
                Appraisal.period_id == atasan.period_id,
                Appraisal.start_date <= atasan.end_date,
                Appraisal.end_date >= atasan.start_date,
            )
            .options(joinedload(Appraisal.employee).joinedload(Employee.position))
            .order_by(Employee.name, Appraisal.segment)
        )
    )


def matrix(atasan: Appraisal) -> Matrix:
    """The whole matrix in five statements: RHK, staff, their RHK, the assignments, the teams'."""
    rhks = list(
        db.session.scalars(sa.select(Rhk).where(Rhk.appraisal_id == atasan.id).order_by(*RHK_ORDER))
    )
    members = team_of(atasan)
    member_ids = [m.id for m in members]
    by_id = {m.id: m for m in members}
    rhk_ids = {r.id for r in rhks}
    cells: dict[tuple[int, int], Cell] = {}
    orphans: list[tuple[Appraisal, Rhk]] = []
    if member_ids:
        staff_rhks = db.session.scalars(
            sa.select(Rhk).where(Rhk.appraisal_id.in_(member_ids)).order_by(*RHK_ORDER)
        )
        for rhk in staff_rhks:
            member = by_id[rhk.appraisal_id]
            if rhk.atasan_rhk_id in rhk_ids:
                cells.setdefault((rhk.atasan_rhk_id, member.id), Cell()).linked.append(rhk)
            elif rhk.group_ == "utama" and not _member_is_jpt(member) and not _team_link(rhk):
                orphans.append((member, rhk))
    teams: dict[int, list[TeamAssignment]] = {}
    if rhk_ids:
        for assignment in db.session.scalars(
            sa.select(RhkAssignment).where(RhkAssignment.atasan_rhk_id.in_(rhk_ids))
        ):
            key = (assignment.atasan_rhk_id, assignment.appraisal_id)
            cells.setdefault(key, Cell()).assignment = assignment
        for given in db.session.scalars(
            sa.select(TeamAssignment)
            .join(TimKerja, TimKerja.id == TeamAssignment.tim_kerja_id)
            .where(TeamAssignment.atasan_rhk_id.in_(rhk_ids))
            .options(joinedload(TeamAssignment.team))
            .order_by(TimKerja.name, TeamAssignment.id)
        ):
            teams.setdefault(given.atasan_rhk_id, []).append(given)
    return Matrix(atasan, rhks, members, cells, orphans, teams)


def _team_link(rhk: Rhk) -> bool:
    """A team's shared result linked to an RHK (that of the atasan who gave it to the team)."""
    return rhk.tim_kerja_id is not None and rhk.atasan_rhk_id is not None


def _member_is_jpt(member: Appraisal) -> bool:
    position = member.employee.position
    return position is not None and position.kind == "jpt"


def clean_text(
    text: str | None, what: str, field: str, error: type[ValueError] = MatrixError
) -> str:
    """The stripped text of a role or result; `error` (with a message and the field) when it
    is empty or longer than MAX_TEXT. Shared by the matrix's cells and the tim kerja's."""
    from flask_babel import gettext as _

    text = (text or "").strip()
    if not text:
        raise error(_("Fill in the %(what)s.", what=what), field)
    if len(text) > MAX_TEXT:
        raise error(
            _("The %(what)s is too long (at most %(n)d characters).", what=what, n=MAX_TEXT), field
        )
    return text


def assign(
    atasan: Appraisal,
    *,
    atasan_rhk_id: int,
    member_id: int,
    role: str,
    result: str,
    actor: Account,
) -> tuple[RhkAssignment, bool]:
    """Set a subordinate's role and result in one of the atasan's RHK; flushes.

    A new cell whose subordinate is still drafting adds the result to their plan
    as an RHK UTAMA already linked to the atasan's RHK (they add its IKI and
    adapt it). A changed cell changes the matrix only: the plan is theirs.
    Returns the assignment and whether a plan was pre-filled.
    """
    from flask_babel import gettext as _

    role = clean_text(role, _("role"), "role")
    result = clean_text(result, _("result"), "result")
    atasan_rhk = db.session.get(Rhk, atasan_rhk_id)
    if atasan_rhk is None or atasan_rhk.appraisal_id != atasan.id:
        raise MatrixError(_("Choose one of the RHK of your SKP."), "atasan_rhk_id")
    member = next((m for m in team_of(atasan) if m.id == member_id), None)
    if member is None:
        raise MatrixError(_("Choose one of the staff whose SKP you appraise."), "member_id")
    existing = db.session.scalar(
        sa.select(RhkAssignment).where(
            RhkAssignment.atasan_rhk_id == atasan_rhk.id, RhkAssignment.appraisal_id == member.id
        )
    )
    if existing is not None:
        existing.role, existing.result = role, result
        db.session.flush()
        return existing, False
    assignment = RhkAssignment(
        atasan_rhk_id=atasan_rhk.id,
        appraisal_id=member.id,
        role=role,
        result=result,
        created_by_id=actor.employee_id,
        created_at=utcnow(),
    )
    prefilled = member.state == DRAFT and member.period.status != "closed"
    if prefilled:
        assignment.rhk_id = _prefill(member, atasan_rhk, result).id
    db.session.add(assignment)
    db.session.flush()
    return assignment, prefilled


def _prefill(member: Appraisal, atasan_rhk: Rhk, result: str) -> Rhk:
    """The subordinate's RHK for this result: theirs if they wrote it already, else a new one."""
    same = db.session.scalar(
        sa.select(Rhk).where(
            Rhk.appraisal_id == member.id,
            Rhk.atasan_rhk_id == atasan_rhk.id,
            Rhk.text == result,
        )
    )
    if same is not None:
        return same
    last = db.session.scalar(
        sa.select(sa.func.max(Rhk.position)).where(
            Rhk.appraisal_id == member.id, Rhk.group_ == "utama"
        )
    )
    rhk = Rhk(
        appraisal_id=member.id,
        group_="utama",
        position=(last or 0) + 1,
        text=result,
        atasan_rhk_id=atasan_rhk.id,
    )
    db.session.add(rhk)
    db.session.flush()
    return rhk


def remove(atasan: Appraisal, assignment_id: int) -> bool:
    """Clear one cell of the atasan's matrix (the subordinate's plan keeps its RHK); flushes."""
    assignment = db.session.get(RhkAssignment, assignment_id)
    if assignment is None or assignment.atasan_rhk.appraisal_id != atasan.id:
        return False
    db.session.delete(assignment)
    db.session.flush()
    return True


@dataclass(frozen=True)
class AtasanCoverage:
    """One atasan's line of the OPD report."""

    appraisal_id: int
    name: str
    nip: str
    rhks: int
    covered: int
    orphans: int


def opd_coverage(period_id: int, opd_id: int) -> list[AtasanCoverage]:
    """Coverage and orphans of every atasan in the OPD for the period: one statement.

    An atasan is anyone whose SKP of the period is in the OPD and who appraises
    at least one SKP of the same period.
    """
    atasan = aliased(Appraisal)
    staff = aliased(Appraisal)
    staff_rhk = aliased(Rhk)
    linked = aliased(Rhk)
    linked_skp = aliased(Appraisal)
    staff_employee = aliased(Employee)
    staff_position = aliased(Position)

    rhk_count = (
        sa.select(sa.func.count(Rhk.id)).where(Rhk.appraisal_id == atasan.id).scalar_subquery()
    )
    supported = sa.or_(
        sa.exists().where(
            staff_rhk.atasan_rhk_id == Rhk.id,
        ),
        sa.exists().where(RhkAssignment.atasan_rhk_id == Rhk.id),
        sa.exists().where(TeamAssignment.atasan_rhk_id == Rhk.id),
    )
    covered = (
        sa.select(sa.func.count(Rhk.id))
        .where(Rhk.appraisal_id == atasan.id, supported)
        .scalar_subquery()
    )
    orphan_count = (
        sa.select(sa.func.count(staff_rhk.id))
        .select_from(staff_rhk)
        .join(staff, staff.id == staff_rhk.appraisal_id)
        .join(staff_employee, staff_employee.id == staff.employee_id)
        .outerjoin(staff_position, staff_position.id == staff_employee.position_id)
        .outerjoin(linked, linked.id == staff_rhk.atasan_rhk_id)
        .outerjoin(linked_skp, linked_skp.id == linked.appraisal_id)
        .where(
            staff.appraiser_id == atasan.employee_id,
            staff.period_id == atasan.period_id,
            staff.start_date <= atasan.end_date,
            staff.end_date >= atasan.start_date,
            staff_rhk.group_ == "utama",
            sa.or_(staff_position.kind.is_(None), staff_position.kind != "jpt"),
            sa.or_(staff_rhk.tim_kerja_id.is_(None), staff_rhk.atasan_rhk_id.is_(None)),
            sa.or_(
                linked_skp.id.is_(None),
                linked_skp.employee_id != atasan.employee_id,
                linked_skp.period_id != atasan.period_id,
            ),
        )
        .scalar_subquery()
    )
    appraises = sa.exists().where(
        staff.appraiser_id == atasan.employee_id, staff.period_id == atasan.period_id
    )
    rows = db.session.execute(
        sa.select(atasan.id, Employee.name, Employee.nip, rhk_count, covered, orphan_count)
        .join(Employee, Employee.id == atasan.employee_id)
        .where(atasan.period_id == period_id, atasan.opd_id == opd_id, appraises)
        .order_by(Employee.name, atasan.segment)
    )
    return [AtasanCoverage(*row) for row in rows]
