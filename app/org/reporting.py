"""The reporting line: who is whose atasan on a given date.

"Atasan" is never stored. It is the holder, or acting holder (Plt/Plh), of the
parent position on the date in question. A vacant parent passes to the next level
up; nobody appraises themselves.
"""

from dataclasses import dataclass
from datetime import date
from functools import cache

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


@cache
def _ancestors_query() -> sa.Select:
    """The chain of parent positions of :position_id, built once (statements cost to build)."""
    chain = (
        sa.select(Position.parent_id.label("id"), sa.literal(1).label("depth"))
        .where(Position.id == sa.bindparam("position_id"))
        .cte("chain", recursive=True)
    )
    step = sa.orm.aliased(Position)
    chain = chain.union_all(
        sa.select(step.parent_id, chain.c.depth + 1)
        .join(chain, step.id == chain.c.id)
        .where(chain.c.depth < MAX_DEPTH)
    )
    return (
        sa.select(Position, chain.c.depth)
        .join(chain, Position.id == chain.c.id)
        .order_by(chain.c.depth)
    )


def _ancestors(position_id: int) -> list[Position]:
    """The position's parent, grandparent, ... in order, in one recursive query."""
    rows = db.session.execute(_ancestors_query(), {"position_id": position_id}).all()
    return [position for position, _depth in rows]


@cache
def _holders_query() -> sa.Select:
    """Acting (rank 0) and definitive (rank 1) holders of :ids on :on, built once."""
    ids, on = sa.bindparam("ids", expanding=True), sa.bindparam("on", type_=sa.Date)
    acting = sa.select(
        ActingAssignment.position_id.label("position_id"),
        ActingAssignment.employee_id.label("employee_id"),
        ActingAssignment.kind.label("acting"),
        sa.literal(0).label("rank"),
        ActingAssignment.start_date.label("since"),
    ).where(
        ActingAssignment.position_id.in_(ids),
        ActingAssignment.start_date <= on,
        ActingAssignment.end_date >= on,
    )
    definitive = sa.select(
        Employee.position_id,
        Employee.id,
        sa.null(),
        sa.literal(1),
        sa.null(),
    ).where(Employee.position_id.in_(ids))
    candidates = sa.union_all(acting, definitive).subquery()
    return (
        sa.select(Employee, candidates.c.position_id, candidates.c.acting)
        .join(candidates, candidates.c.employee_id == Employee.id)
        .where(Employee.active.is_(True))
        .order_by(candidates.c.rank, candidates.c.since.desc(), Employee.id)
    )


def _holders(position_ids: list[int], on: date) -> dict[int, list[tuple[Employee, str | None]]]:
    """Active acting and definitive holders of each position on `on`, acting ones first.

    An acting assignment wins over the definitive holder: a Plh is appointed
    precisely because the holder cannot act for that time.
    """
    rows = db.session.execute(_holders_query(), {"ids": position_ids, "on": on}).all()
    found: dict[int, list[tuple[Employee, str | None]]] = {}
    for employee, position_id, kind in rows:
        found.setdefault(position_id, []).append((employee, kind))
    return found


def atasan_of(employee: Employee, on: date | None = None) -> PositionHolder | None:
    """The employee's atasan (pejabat penilai) on `on`, or None at the top of the tree.

    Two queries whatever the depth: the chain of parent positions, then everyone
    holding or acting in any of them.
    """
    on = on or date.today()
    if employee.position_id is None:
        return None
    chain = _ancestors(employee.position_id)
    if not chain:
        return None
    holders = _holders([p.id for p in chain], on)
    for position in chain:
        for holder, kind in holders.get(position.id, []):
            if holder.id != employee.id:
                return PositionHolder(holder, position, kind)
    return None
