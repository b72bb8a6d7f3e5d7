"""The reporting line: who is whose atasan on a given date.

"Atasan" is never stored. It is the holder, or acting holder (Plt/Plh), of the
parent position on the date in question. A vacant parent passes to the next level
up; nobody appraises themselves.
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.models import ActingAssignment, Employee, Position

# A chain longer than this is a cycle in the data, not an organisation.
MAX_DEPTH = 32


@dataclass(frozen=True)
class PositionHolder:
    """Who holds a position on a date, and in what capacity."""

    employee: Employee
    position: Position
    acting: str | None  # None for the definitive holder, else "plt" or "plh"


def holder_of(position: Position, on: date, *, exclude: int | None = None) -> PositionHolder | None:
    """The acting holder in force on `on`, else the definitive holder, else None.

    An acting assignment wins over the definitive holder: a Plh is appointed
    precisely because the holder cannot act for that time.
    """
    acting = db.session.execute(
        sa.select(ActingAssignment)
        .join(Employee, Employee.id == ActingAssignment.employee_id)
        .where(
            ActingAssignment.position_id == position.id,
            ActingAssignment.start_date <= on,
            ActingAssignment.end_date >= on,
            Employee.active.is_(True),
        )
        .order_by(ActingAssignment.start_date.desc(), ActingAssignment.id.desc())
    ).scalars()
    for assignment in acting:
        if assignment.employee_id != exclude:
            return PositionHolder(assignment.employee, position, assignment.kind)
    definitive = db.session.scalars(
        sa.select(Employee)
        .where(Employee.position_id == position.id, Employee.active.is_(True))
        .order_by(Employee.id)
    )
    for employee in definitive:
        if employee.id != exclude:
            return PositionHolder(employee, position, None)
    return None


def atasan_of(employee: Employee, on: date | None = None) -> PositionHolder | None:
    """The employee's atasan (pejabat penilai) on `on`, or None at the top of the tree."""
    on = on or date.today()
    position = employee.position.parent if employee.position else None
    depth = 0
    while position is not None and depth < MAX_DEPTH:
        found = holder_of(position, on, exclude=employee.id)
        if found is not None:
            return found
        position = position.parent
        depth += 1
    return None


def positions_held(employee: Employee, on: date | None = None) -> list[Position]:
    """The positions the employee holds on `on`: their own plus any acting ones."""
    on = on or date.today()
    held = [employee.position] if employee.position else []
    held += db.session.scalars(
        sa.select(Position)
        .join(ActingAssignment, ActingAssignment.position_id == Position.id)
        .where(
            ActingAssignment.employee_id == employee.id,
            ActingAssignment.start_date <= on,
            ActingAssignment.end_date >= on,
        )
    ).all()
    return held
