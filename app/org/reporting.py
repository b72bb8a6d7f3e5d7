"""The reporting line: who is whose pejabat penilai (atasan) on a given date.

"Atasan" is never stored. Who appraises an employee follows the appraiser rule of
their position's kind and level (app.org.appraisers: the direct atasan at least
pengawas, the kepala daerah for a JPT, ...), applied to the holders, or acting
holders (Plt/Plh), of the positions on the date in question. A vacant position
passes to the next level up; nobody appraises themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

import sqlalchemy as sa

from app.extensions import db
from app.models import ActingAssignment, Employee, Position
from app.models.org import KEPALA_DAERAH
from app.org import appraisers
from app.org.appraisers import MAX_DEPTH, SEKDA_LEVEL, Found, Resolution

__all__ = [
    "MAX_DEPTH",
    "PositionHolder",
    "atasan_of",
    "atasan_penilai_method",
    "atasan_penilai_of",
    "penilai_of",
]


@dataclass(frozen=True)
class PositionHolder:
    """Who holds a position on a date, and in what capacity."""

    employee: Employee
    position: Position | None
    acting: str | None  # None for the definitive holder, else "plt" or "plh"


@cache
def _chain_query() -> sa.Select:
    """The position :position_id (depth 0) and its parents in order, built once."""
    chain = (
        sa.select(Position.id.label("id"), sa.literal(0).label("depth"))
        .where(Position.id == sa.bindparam("position_id"))
        .cte("chain", recursive=True)
    )
    step = sa.orm.aliased(Position)
    chain = chain.union_all(
        sa.select(step.parent_id, chain.c.depth + 1)
        .join(chain, step.id == chain.c.id)
        .where(chain.c.depth < MAX_DEPTH, step.parent_id.is_not(None))
    )
    return (
        sa.select(Position, chain.c.depth)
        .join(chain, Position.id == chain.c.id)
        .order_by(chain.c.depth)
    )


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


class _Graph:
    """The part of the organisation one question needs, read in a few queries."""

    def __init__(self, on: date):
        self.on = on
        self.positions: dict[int, Position] = {}
        self.special: dict[str, list[int]] = {}
        self.employees: dict[int, Employee] = {}
        self._holders: dict[int, list[tuple[int, str | None]]] = {}
        self._read: set[int] = set()

    def add_chain(self, position_id: int) -> None:
        for position, _depth in db.session.execute(_chain_query(), {"position_id": position_id}):
            self.positions[position.id] = position

    def add_special(self, method: str) -> None:
        if method in self.special:
            return
        where = (
            Position.kind == KEPALA_DAERAH
            if method == "kepala_daerah"
            else Position.level == SEKDA_LEVEL
        )
        found = db.session.scalars(sa.select(Position).where(where).order_by(Position.id)).all()
        self.special[method] = [p.id for p in found]
        self.positions.update({p.id: p for p in found})

    def read_holders(self) -> None:
        """Everyone holding or acting in the positions read so far (one query)."""
        wanted = [pid for pid in self.positions if pid not in self._read]
        if not wanted:
            return
        rows = db.session.execute(_holders_query(), {"ids": wanted, "on": self.on}).all()
        for employee, position_id, kind in rows:
            self.employees[employee.id] = employee
            self._holders.setdefault(position_id, []).append((employee.id, kind))
        self._read.update(wanted)

    # OrgGraph
    def parent_of(self, position_id: int) -> int | None:
        position = self.positions.get(position_id)
        return position.parent_id if position is not None else None

    def kind_level(self, position_id: int) -> tuple[str | None, str | None]:
        position = self.positions.get(position_id)
        return (position.kind, position.level) if position is not None else (None, None)

    def holders_of(self, position_id: int) -> Sequence[tuple[int, str | None]]:
        return self._holders.get(position_id, ())

    def special_positions(self, method: str) -> Sequence[int]:
        return self.special.get(method, ())

    def holder(self, found: Found | None) -> PositionHolder | None:
        if found is None:
            return None
        return PositionHolder(
            self.employees[found.employee_id], self.positions[found.position_id], found.acting
        )


def _graph_for(position_id: int, on: date, rules: dict) -> _Graph:
    """The position, its parents, and the positions its rule names, with their holders."""
    graph = _Graph(on)
    graph.add_chain(position_id)
    rule = appraisers.rule_for(rules, *graph.kind_level(position_id))
    for method in (rule.penilai, rule.atasan_penilai):
        if method in appraisers.SPECIAL_METHODS:
            graph.add_special(method)
    graph.read_holders()
    return graph


def penilai_of(
    employee: Employee, on: date | None = None
) -> tuple[PositionHolder | None, str | None]:
    """The employee's pejabat penilai on `on` and, when there is none, why (a REASONS code)."""
    on = on or date.today()
    if employee.position_id is None:
        return None, appraisers.NO_ATASAN
    rules = appraisers.load_rules()
    graph = _graph_for(employee.position_id, on, rules)
    resolution = appraisers.resolve_penilai(graph, rules, employee.id, employee.position_id)
    return graph.holder(resolution.found), resolution.reason


def atasan_of(employee: Employee, on: date | None = None) -> PositionHolder | None:
    """The employee's atasan (pejabat penilai) on `on`, or None when nobody can be found.

    A few queries whatever the depth: the chain of positions (and those the rule
    names, e.g. the kepala daerah's), then everyone holding or acting in them.
    """
    return penilai_of(employee, on)[0]


def atasan_penilai_method(appraisee: Employee) -> str:
    """How the atasan pejabat penilai of the appraisee is found (their position's rule)."""
    position = appraisee.position
    if position is None:
        return "atasan_of_penilai"
    rules = appraisers.load_rules()
    return appraisers.rule_for(rules, position.kind, position.level).atasan_penilai


def atasan_penilai_of(
    appraisee: Employee,
    appraiser: Employee,
    appraiser_acting: str | None = None,
    on: date | None = None,
) -> PositionHolder | None:
    """The atasan pejabat penilai of `appraisee`'s SKP, whose appraiser is `appraiser`.

    The appraisee's rule says how: the appraiser's own pejabat penilai (the
    usual case), the appraiser again (the top of the instansi: the kepala daerah
    appraising a JPT also decides its keberatan), or a named official.
    """
    on = on or date.today()
    method = atasan_penilai_method(appraisee)
    if method == "same_as_penilai":
        return PositionHolder(appraiser, appraiser.position, appraiser_acting)
    if method in appraisers.SPECIAL_METHODS:
        graph = _Graph(on)
        graph.add_special(method)
        graph.read_holders()
        resolution: Resolution = appraisers.by_method(graph, appraisee.id, None, method)
        return graph.holder(resolution.found)
    return atasan_of(appraiser, on)
