"""The reporting line of the whole city at once, resolved in memory.

`app.org.reporting.atasan_of` answers for one employee with a few queries;
opening a period or checking an import asks for 25,000 employees. Here the
positions, their holders and the acting assignments in force are read in three
queries and every atasan is found by walking the tree in memory, with the same
rules: an acting holder (latest start first) wins over the definitive holder
(lowest id first), nobody is their own atasan, a vacant position passes up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.models import ActingAssignment, Employee, Position
from app.org.reporting import MAX_DEPTH


@dataclass(frozen=True)
class Atasan:
    """An employee's atasan: who, and in what capacity (None, "plt" or "plh")."""

    employee_id: int
    acting: str | None


class ReportingLines:
    """Positions, holders and acting holders on one date, for answering many atasan questions."""

    def __init__(self, on: date):
        self.on = on
        self.parent: dict[int, int | None] = {}
        self.opd_of: dict[int, int] = {}
        for position_id, parent_id, opd_id in db.session.execute(
            sa.select(Position.id, Position.parent_id, Position.opd_id)
        ):
            self.parent[position_id] = parent_id
            self.opd_of[position_id] = opd_id
        # Distinct candidates per position in the order they are tried. Two are
        # enough: the first one might be the employee asking.
        self.holders: dict[int, list[tuple[int, str | None]]] = {}
        self.position_of: dict[int, int] = {}
        acting = db.session.execute(
            sa.select(
                ActingAssignment.position_id, ActingAssignment.employee_id, ActingAssignment.kind
            )
            .join(Employee, Employee.id == ActingAssignment.employee_id)
            .where(
                ActingAssignment.start_date <= on,
                ActingAssignment.end_date >= on,
                Employee.active.is_(True),
            )
            .order_by(ActingAssignment.start_date.desc(), Employee.id)
        )
        definitive = db.session.execute(
            sa.select(Employee.position_id, Employee.id, sa.null())
            .where(Employee.active.is_(True), Employee.position_id.is_not(None))
            .order_by(Employee.id)
        )
        for rows in (acting, definitive):
            for position_id, employee_id, kind in rows:
                if kind is None:
                    self.position_of[employee_id] = position_id
                found = self.holders.setdefault(position_id, [])
                if len(found) < 2 and all(employee_id != e for e, _ in found):
                    found.append((employee_id, kind))

    def atasan(self, employee_id: int, position_id: int | None) -> Atasan | None:
        """The atasan of the employee holding `position_id`, or None at the top of the tree."""
        position = self.parent.get(position_id) if position_id is not None else None
        depth = 0
        while position is not None and depth < MAX_DEPTH:
            for holder_id, kind in self.holders.get(position, ()):
                if holder_id != employee_id:
                    return Atasan(holder_id, kind)
            position = self.parent.get(position)
            depth += 1
        return None
