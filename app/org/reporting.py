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
from app.models import ActingAssignment, AppraiserRule, Employee, Position
from app.models.org import KEPALA_DAERAH
from app.org import appraisers
from app.org.appraisers import MAX_DEPTH, SEKDA_LEVEL, Found, Resolution

__all__ = [
    "MAX_DEPTH",
    "PositionHolder",
    "atasan_of",
    "atasan_penilai_of",
    "holder_of_position",
    "may_decide_own_appraisal",
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
    """Positions one question needs, with BKD's rules for them, in one query, built once.

    The position :position_id (depth 0) and its parents in order; the positions
    :extra (depth -1, e.g. the appraisee's when the appraiser's line is walked);
    and the kepala daerah's and the sekda's positions (depth -2), which a rule may
    name. Each comes with BKD's rule rows for its kind and level and for its kind.
    """
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
    others = sa.select(
        Position.id.label("id"),
        sa.case((Position.id.in_(sa.bindparam("extra", expanding=True)), -1), else_=-2).label(
            "depth"
        ),
    ).where(
        sa.or_(
            Position.id.in_(sa.bindparam("extra", expanding=True)),
            Position.kind == KEPALA_DAERAH,
            appraisers.is_sekda(Position),
        )
    )
    wanted = sa.union_all(sa.select(chain.c.id, chain.c.depth), others).subquery("wanted")
    exact, whole = sa.orm.aliased(AppraiserRule), sa.orm.aliased(AppraiserRule)
    return (
        sa.select(
            Position,
            wanted.c.depth,
            exact.penilai,
            exact.atasan_penilai,
            whole.penilai,
            whole.atasan_penilai,
        )
        .join(wanted, Position.id == wanted.c.id)
        .outerjoin(
            exact,
            sa.and_(
                exact.position_kind == Position.kind,
                exact.level == appraisers.level_expression(Position),
            ),
        )
        .outerjoin(whole, sa.and_(whole.position_kind == Position.kind, whole.level == ""))
        .order_by(wanted.c.depth)
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
    """The part of the organisation one question needs, read in two queries."""

    def __init__(self, on: date, position_id: int, extra: Sequence[int] = ()):
        self.on = on
        self.positions: dict[int, Position] = {}
        self.rules: dict[int, appraisers.Rule] = {}
        self.levels: dict[int, str] = {}
        self.special: dict[str, list[int]] = {"kepala_daerah": [], "sekda": []}
        rows = db.session.execute(
            _chain_query(), {"position_id": position_id, "extra": list(extra) or [-1]}
        )
        # Holders are looked for only up the line (depth 1 and more) and in the positions
        # a rule may name (-2): never in the employee's own position (depth 0) or the
        # :extra ones (-1), which many share (a pelaksana jabatan held by hundreds).
        wanted_holders: set[int] = set()
        for position, depth, exact_p, exact_a, kind_p, kind_a in rows:
            if depth > 0 or depth == -2:
                wanted_holders.add(position.id)
            if position.id in self.positions:
                continue
            self.positions[position.id] = position
            level = appraisers.level_of(position.kind, position.level, position.name)
            self.levels[position.id] = level
            self.rules[position.id] = appraisers.rule_from_rows(
                position.kind, level, (exact_p, exact_a), (kind_p, kind_a)
            )
            if position.kind == KEPALA_DAERAH:
                self.special["kepala_daerah"].append(position.id)
            if level == SEKDA_LEVEL:
                self.special["sekda"].append(position.id)
        self.employees: dict[int, Employee] = {}
        self._holders: dict[int, list[tuple[int, str | None]]] = {}
        if wanted_holders:
            found = db.session.execute(_holders_query(), {"ids": sorted(wanted_holders), "on": on})
            for employee, holder_position, kind in found:
                self.employees[employee.id] = employee
                self._holders.setdefault(holder_position, []).append((employee.id, kind))

    # app.org.appraisers.OrgGraph
    def parent_of(self, position_id: int) -> int | None:
        position = self.positions.get(position_id)
        return position.parent_id if position is not None else None

    def kind_level(self, position_id: int) -> tuple[str | None, str | None]:
        position = self.positions.get(position_id)
        return (position.kind, self.levels[position_id]) if position is not None else (None, None)

    def holders_of(self, position_id: int) -> Sequence[tuple[int, str | None]]:
        return self._holders.get(position_id, ())

    def special_positions(self, method: str) -> Sequence[int]:
        return self.special.get(method, ())

    def rule_of(self, position_id: int) -> appraisers.Rule:
        return self.rules.get(position_id, appraisers.FALLBACK)

    def holder(self, found: Found | None) -> PositionHolder | None:
        if found is None:
            return None
        return PositionHolder(
            self.employees[found.employee_id], self.positions[found.position_id], found.acting
        )


def penilai_of(
    employee: Employee, on: date | None = None
) -> tuple[PositionHolder | None, str | None]:
    """The employee's pejabat penilai on `on` and, when there is none, why (a REASONS code)."""
    on = on or date.today()
    if employee.position_id is None:
        return None, appraisers.NO_ATASAN
    graph = _Graph(on, employee.position_id)
    resolution = appraisers.resolve_penilai(graph, employee.id, employee.position_id)
    return graph.holder(resolution.found), resolution.reason


def atasan_of(employee: Employee, on: date | None = None) -> PositionHolder | None:
    """The employee's atasan (pejabat penilai) on `on`, or None when nobody can be found.

    Two queries whatever the depth: the chain of positions (with those a rule may
    name, e.g. the kepala daerah's, and the rules), then everyone holding or
    acting in them.
    """
    return penilai_of(employee, on)[0]


def atasan_penilai_of(
    appraisee: Employee,
    appraiser: Employee,
    appraiser_acting: str | None = None,
    on: date | None = None,
) -> PositionHolder | None:
    """The atasan pejabat penilai of `appraisee`'s SKP, whose appraiser is `appraiser`.

    The appraisee's rule says how: the appraiser's own pejabat penilai (the
    usual case), the appraiser again (the top of the instansi: the kepala daerah
    appraising a JPT also decides its keberatan), or a named official. Two
    queries: the appraiser's line with the appraisee's position, then the holders.
    """
    on = on or date.today()
    if appraisee.position_id is None:
        return None
    if appraiser.position_id is None:
        # An appraiser with no position of their own (acting only): their atasan
        # cannot be walked, but a rule naming someone still can be applied.
        graph = _Graph(on, appraisee.position_id)
    else:
        graph = _Graph(on, appraiser.position_id, extra=[appraisee.position_id])
    method = graph.rule_of(appraisee.position_id).atasan_penilai
    if method == "same_as_penilai":
        return PositionHolder(appraiser, appraiser.position, appraiser_acting)
    if method in appraisers.SPECIAL_METHODS:
        resolution: Resolution = appraisers.by_method(graph, appraisee.id, None, method)
        return graph.holder(resolution.found)
    if appraiser.position_id is None:
        return None
    resolution = appraisers.resolve_penilai(graph, appraiser.id, appraiser.position_id)
    return graph.holder(resolution.found)


def may_decide_own_appraisal(appraiser: Employee) -> bool:
    """Whether an appraiser might also be the atasan pejabat penilai of those they appraise.

    Only an official a rule names (the kepala daerah, the sekda) can be both
    (app.admin.rules refuses "same as the pejabat penilai" for anyone else). Read
    from the position already loaded, so that the appraiser's pages pay nothing.
    """
    position = appraiser.position
    return position is not None and (
        position.kind == KEPALA_DAERAH
        or appraisers.level_of(position.kind, position.level, position.name) == SEKDA_LEVEL
    )


def holder_of_position(position_id: int | None, on: date | None = None) -> PositionHolder | None:
    """Who holds the position on `on`: an acting holder (Plt/Plh) first, else the definitive
    one; None for a vacant position (or none given)."""
    if position_id is None:
        return None
    row = db.session.execute(
        _holders_query(), {"ids": [position_id], "on": on or date.today()}
    ).first()
    if row is None:
        return None
    employee, _position_id, acting = row
    return PositionHolder(employee, db.session.get(Position, position_id), acting)
