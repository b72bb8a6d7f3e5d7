"""The IKM of several units layanan at once, as evidence on performance pages.

One statement per question: the units are chosen by a condition and their
responses in the date range are summed per unit in SQL (an outer join, so a unit
without responses is still listed, with none). The formula of app.feedback.ikm
turns each unit's sums into the NRR, the IKM and its mutu; units are combined by
adding their sums, never by averaging their IKM.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from app.extensions import db
from app.feedback.ikm import SKM_ELEMENTS, IkmResult, ikm_from_sums
from app.models.skm import ANSWER_COLUMNS, ServiceUnit, SkmResponse, service_unit_position


@dataclass(frozen=True)
class UnitIkm:
    """One unit layanan with the sums of its responses in a date range."""

    id: int
    code: str
    name: str
    opd_id: int
    unit_id: int | None
    respondents: int
    sums: tuple[int, ...]

    @property
    def result(self) -> IkmResult | None:
        """The unit's IKM, NRR and mutu; None when nobody has answered yet."""
        return ikm_from_sums(list(self.sums), self.respondents) if self.respondents else None

    def nrr(self, element: str) -> Decimal | None:
        """The NRR of one element (a name of SKM_ELEMENTS), or None without responses."""
        result = self.result
        return result.nrr[SKM_ELEMENTS.index(element)] if result else None


def combined(units: Iterable[UnitIkm]) -> IkmResult | None:
    """The IKM of several units' responses taken together (their sums added), or None."""
    respondents, sums = 0, [0] * len(ANSWER_COLUMNS)
    for unit in units:
        respondents += unit.respondents
        sums = [a + b for a, b in zip(sums, unit.sums, strict=True)]
    return ikm_from_sums(sums, respondents) if respondents else None


UNIT_COLUMNS = 6 + len(ANSWER_COLUMNS)  # id, code, name, opd_id, unit_id, count, sums


def units_select(where: sa.ColumnElement[bool], start: date, end: date) -> sa.Select:
    """The units layanan matching `where`, each with its response count and per-element sums
    from `start` to `end`: id, code, name, opd_id, unit_id, count, u1..u9 (see unit_from_row).

    Public so that a page may run it in one statement with another read (UNION ALL).
    """
    answers = [getattr(SkmResponse, c) for c in ANSWER_COLUMNS]
    return (
        sa.select(
            ServiceUnit.id,
            ServiceUnit.code,
            ServiceUnit.name,
            ServiceUnit.opd_id,
            ServiceUnit.unit_id,
            # A column of ix_skm_response_unit_served, not the id: the count and sums then
            # come from an index-only scan of the units' rows (8 ms for an OPD's 25,000
            # responses) instead of a hash join over every response of the city (244 ms).
            sa.func.count(SkmResponse.served_on),
            *(sa.func.coalesce(sa.func.sum(a), 0) for a in answers),
        )
        .outerjoin(
            SkmResponse,
            sa.and_(
                SkmResponse.service_unit_id == ServiceUnit.id,
                SkmResponse.served_on.between(start, end),
            ),
        )
        .where(where)
        .group_by(
            ServiceUnit.id,
            ServiceUnit.code,
            ServiceUnit.name,
            ServiceUnit.opd_id,
            ServiceUnit.unit_id,
        )
    )


def unit_from_row(row) -> UnitIkm:
    """A UnitIkm from a row of units_select (its columns in that order)."""
    id_, code, name, opd_id, unit_id, respondents, *sums = row
    return UnitIkm(id_, code, name, opd_id, unit_id, int(respondents), tuple(int(s) for s in sums))


def _units(where: sa.ColumnElement[bool], start: date, end: date) -> list[UnitIkm]:
    query = units_select(where, start, end).order_by(ServiceUnit.name, ServiceUnit.id)
    return [unit_from_row(row) for row in db.session.execute(query)]


def units_by_id(unit_ids: Iterable[int], start: date, end: date) -> dict[int, UnitIkm]:
    """These units layanan (active or not) with their responses from `start` to `end`, by id."""
    ids = set(unit_ids)
    if not ids:
        return {}
    return {u.id: u for u in _units(ServiceUnit.id.in_(ids), start, end)}


def opd_units(opd_id: int, start: date, end: date) -> list[UnitIkm]:
    """The active units layanan of an OPD with their responses from `start` to `end`."""
    return _units(sa.and_(ServiceUnit.opd_id == opd_id, ServiceUnit.active), start, end)


def serving_where(position_id: int) -> sa.ColumnElement[bool]:
    """The active units layanan a position heads or serves in (for units_select)."""
    serves = (
        sa.select(service_unit_position.c.service_unit_id)
        .where(
            service_unit_position.c.service_unit_id == ServiceUnit.id,
            service_unit_position.c.position_id == position_id,
        )
        .exists()
    )
    return sa.and_(ServiceUnit.active, sa.or_(ServiceUnit.head_position_id == position_id, serves))


def serving_units(position_id: int | None, start: date, end: date) -> list[UnitIkm]:
    """The active units layanan a position heads or serves in, with their responses."""
    if position_id is None:
        return []
    return _units(serving_where(position_id), start, end)


def unit_choices(opd_id: int | None) -> list[tuple[int, str, str]]:
    """(id, code, name) of an OPD's active units layanan, by name: what an IKI may be bound to."""
    if opd_id is None:
        return []
    return [
        tuple(row)
        for row in db.session.execute(
            sa.select(ServiceUnit.id, ServiceUnit.code, ServiceUnit.name)
            .where(ServiceUnit.opd_id == opd_id, ServiceUnit.active)
            .order_by(ServiceUnit.name, ServiceUnit.id)
        )
    ]
