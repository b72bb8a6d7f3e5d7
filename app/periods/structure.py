"""The reporting line of the whole city at once, resolved in memory.

`app.org.reporting.atasan_of` answers for one employee with a few queries;
opening a period or checking an import asks for 25,000 employees. Here the
positions, their holders, the acting assignments in force and the appraiser
rules are read in four queries and every pejabat penilai is found in memory by
the same resolver (app.org.appraisers): an acting holder (latest start first)
wins over the definitive holder (lowest id first), nobody is their own atasan,
a vacant position passes up, and the rule of the position's kind and level
says how far up (or to whom: the kepala daerah for a JPT).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.models import ActingAssignment, Employee, Position
from app.models.org import KEPALA_DAERAH
from app.org import appraisers
from app.org.appraisers import SEKDA_LEVEL, Found


@dataclass(frozen=True)
class Atasan:
    """An employee's atasan: who, and in what capacity (None, "plt" or "plh")."""

    employee_id: int
    acting: str | None


class ReportingLines:
    """Positions, holders and acting holders on one date, for answering many atasan questions."""

    def __init__(self, on: date):
        self.on = on
        self.rules = appraisers.load_rules()
        self.parent: dict[int, int | None] = {}
        self.opd_of: dict[int, int] = {}
        self.kind: dict[int, tuple[str, str | None]] = {}
        self.special: dict[str, list[int]] = {"kepala_daerah": [], "sekda": []}
        for position_id, parent_id, opd_id, kind, recorded, name in db.session.execute(
            sa.select(
                Position.id,
                Position.parent_id,
                Position.opd_id,
                Position.kind,
                Position.level,
                Position.name,
            ).order_by(Position.id)
        ):
            level = appraisers.level_of(kind, recorded, name)
            self.parent[position_id] = parent_id
            self.opd_of[position_id] = opd_id
            self.kind[position_id] = (kind, level)
            if kind == KEPALA_DAERAH:
                self.special["kepala_daerah"].append(position_id)
            if level == SEKDA_LEVEL:
                self.special["sekda"].append(position_id)
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

    # app.org.appraisers.OrgGraph
    def parent_of(self, position_id: int) -> int | None:
        return self.parent.get(position_id)

    def kind_level(self, position_id: int) -> tuple[str | None, str | None]:
        return self.kind.get(position_id, (None, None))

    def holders_of(self, position_id: int) -> Sequence[tuple[int, str | None]]:
        return self.holders.get(position_id, ())

    def special_positions(self, method: str) -> Sequence[int]:
        return self.special.get(method, ())

    def rule_of(self, position_id: int) -> appraisers.Rule:
        return appraisers.rule_for(self.rules, *self.kind_level(position_id))

    def is_kepala_daerah(self, position_id: int | None) -> bool:
        """The wali kota's position: not an ASN jabatan, so no SKP."""
        return position_id is not None and self.kind_level(position_id)[0] == KEPALA_DAERAH

    def resolve(self, employee_id: int, position_id: int | None) -> appraisers.Resolution:
        """The pejabat penilai of the employee holding `position_id`, and why none if none."""
        return appraisers.resolve_penilai(self, employee_id, position_id)

    def atasan(self, employee_id: int, position_id: int | None) -> Atasan | None:
        """The pejabat penilai of the employee holding `position_id`, or None if nobody."""
        found = self.resolve(employee_id, position_id).found
        return Atasan(found.employee_id, found.acting) if found else None

    def atasan_penilai(self, employee_id: int, appraiser_id: int) -> Atasan | None:
        """The atasan pejabat penilai of the employee's SKP whose appraiser is `appraiser_id`."""
        position_id = self.position_of.get(employee_id)
        appraiser_position = self.position_of.get(appraiser_id)
        penilai = Found(appraiser_id, appraiser_position, None) if appraiser_position else None
        if penilai is None:
            return None
        found = appraisers.resolve_atasan_penilai(self, employee_id, position_id, penilai).found
        return Atasan(found.employee_id, found.acting) if found else None
