"""The IKM per unit, per OPD and city-wide, per survey period, summed in SQL.

The database returns one row of sums per group (unit, OPD, quarter or year); the
formula of app.feedback.ikm turns each into the NRR, the IKM and its mutu. No
response is loaded into Python. Sums add up, so a semester or a year is the sum
of its quarters' rows: one grouped query serves a whole year's trend.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.feedback.ikm import SKM_ELEMENTS, IkmResult, ikm_from_sums
from app.models.skm import ANSWER_COLUMNS, ServiceUnit, SkmResponse

ELEMENT_LABELS = dict(
    zip(
        SKM_ELEMENTS,
        (
            _l("Requirements"),
            _l("Systems, mechanisms and procedures"),
            _l("Completion time"),
            _l("Cost/tariff"),
            _l("Service products"),
            _l("Staff competence"),
            _l("Staff conduct"),
            _l("Facilities and infrastructure"),
            _l("Handling of complaints, suggestions and input"),
        ),
        strict=True,
    )
)
ROMAN = ("I", "II", "III", "IV")
PERIOD_KEY = re.compile(r"^(\d{4})(?:-(s[12]|tw[1-4]))?$")


@dataclass(frozen=True)
class SkmPeriod:
    """A survey period: a year, a semester (s1, s2) or a quarter (tw1-tw4)."""

    year: int
    kind: str  # "year", "semester" or "quarter"
    number: int = 0  # the semester's or quarter's number; 0 for a year

    @property
    def key(self) -> str:
        suffix = {"year": "", "semester": f"-s{self.number}", "quarter": f"-tw{self.number}"}
        return f"{self.year}{suffix[self.kind]}"

    @property
    def months(self) -> int:
        return {"year": 12, "semester": 6, "quarter": 3}[self.kind]

    @property
    def quarters(self) -> tuple[int, ...]:
        """The quarters (1-4) the period covers."""
        if self.kind == "quarter":
            return (self.number,)
        if self.kind == "semester":
            return (1, 2) if self.number == 1 else (3, 4)
        return (1, 2, 3, 4)

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.quarters[0] - 2, 1)

    @property
    def end(self) -> date:
        last = self.quarters[-1]
        return date(self.year, 3 * last, 31 if last in (1, 4) else 30)

    @property
    def label(self) -> str:
        if self.kind == "quarter":
            return _("Quarter %(roman)s %(year)s", roman=ROMAN[self.number - 1], year=self.year)
        if self.kind == "semester":
            return _("Semester %(roman)s %(year)s", roman=ROMAN[self.number - 1], year=self.year)
        return _("Year %(year)s", year=self.year)


def parse_period(key: str | None, default_year: int) -> SkmPeriod:
    """The period of a key such as "2026", "2026-s1" or "2026-tw3"; the default year's
    whole year for a missing or malformed key (a public URL must never fail)."""
    match = PERIOD_KEY.match(key or "")
    if not match or not 2000 <= int(match.group(1)) <= 2100:
        return SkmPeriod(default_year, "year")
    year, part = int(match.group(1)), match.group(2)
    if part is None:
        return SkmPeriod(year, "year")
    kind = "semester" if part[0] == "s" else "quarter"
    return SkmPeriod(year, kind, int(part[-1]))


def periods_of(year: int) -> list[SkmPeriod]:
    """The periods of a year to choose from: the year, its semesters, its quarters."""
    return [
        SkmPeriod(year, "year"),
        *(SkmPeriod(year, "semester", n) for n in (1, 2)),
        *(SkmPeriod(year, "quarter", n) for n in (1, 2, 3, 4)),
    ]


@dataclass(frozen=True)
class Sums:
    """The respondents and per-element score sums of a group of responses; they add up."""

    respondents: int = 0
    totals: tuple[int, ...] = field(default=(0,) * len(SKM_ELEMENTS))

    def __add__(self, other: Sums) -> Sums:
        return Sums(
            self.respondents + other.respondents,
            tuple(a + b for a, b in zip(self.totals, other.totals, strict=True)),
        )

    @property
    def result(self) -> IkmResult | None:
        """The NRR, IKM and mutu; None without a respondent."""
        return ikm_from_sums(list(self.totals), self.respondents) if self.respondents else None


def _sum_columns() -> list:
    return [sa.func.count().label("respondents")] + [
        sa.func.sum(getattr(SkmResponse, c)).label(c) for c in ANSWER_COLUMNS
    ]


def _row_sums(row) -> Sums:
    return Sums(int(row.respondents), tuple(int(getattr(row, c)) for c in ANSWER_COLUMNS))


def _quarter_of(year: int) -> sa.ColumnElement[int]:
    """The quarter (1-4) of served_on within `year`, as date ranges (the index serves them)."""
    served = SkmResponse.served_on
    return sa.case(
        (served < date(year, 4, 1), 1),
        (served < date(year, 7, 1), 2),
        (served < date(year, 10, 1), 3),
        else_=4,
    )


def _grouped(key, where: list, *, join_unit: bool = False) -> dict:
    statement = sa.select(key.label("key"), *_sum_columns()).where(*where).group_by(key)
    if join_unit:
        statement = statement.select_from(SkmResponse).join(
            ServiceUnit, ServiceUnit.id == SkmResponse.service_unit_id
        )
    return {int(row.key): _row_sums(row) for row in db.session.execute(statement)}


def _in_period(period: SkmPeriod) -> sa.ColumnElement[bool]:
    return SkmResponse.served_on.between(period.start, period.end)


def sums_by_unit(period: SkmPeriod, unit_ids: Iterable[int] | None = None) -> dict[int, Sums]:
    """Each unit's sums for the period (one GROUP BY service_unit_id); units without a
    response are absent. `unit_ids` limits the units; None means all."""
    where = [_in_period(period)]
    if unit_ids is not None:
        where.append(SkmResponse.service_unit_id.in_(list(unit_ids)))
    return _grouped(SkmResponse.service_unit_id, where)


def sums_by_opd(period: SkmPeriod, opd_ids: Iterable[int] | None = None) -> dict[int, Sums]:
    """Each OPD's sums for the period, over all its units (one GROUP BY opd_id)."""
    where = [_in_period(period)]
    if opd_ids is not None:
        where.append(ServiceUnit.opd_id.in_(list(opd_ids)))
    return _grouped(ServiceUnit.opd_id, where, join_unit=True)


def city_sums(period: SkmPeriod) -> Sums:
    """The whole city's sums for the period (one row)."""
    row = db.session.execute(sa.select(*_sum_columns()).where(_in_period(period))).one()
    return _row_sums(row) if row.respondents else Sums()


def sums_by_quarter(year: int, unit_id: int | None = None) -> dict[int, Sums]:
    """The sums of each quarter (1-4) of `year`, of one unit or the city (one query)."""
    where = [_in_period(SkmPeriod(year, "year"))]
    if unit_id is not None:
        where.append(SkmResponse.service_unit_id == unit_id)
    return _grouped(_quarter_of(year), where)


def sums_by_unit_and_quarter(year: int) -> dict[int, dict[int, Sums]]:
    """Each unit's sums per quarter of `year` (one scan of the year, grouped twice): what
    the city, each OPD and each unit need for the year, added up per unit in Python."""
    quarter = _quarter_of(year)
    statement = (
        sa.select(SkmResponse.service_unit_id, quarter.label("quarter"), *_sum_columns())
        .where(_in_period(SkmPeriod(year, "year")))
        .group_by(SkmResponse.service_unit_id, quarter)
    )
    by_unit: dict[int, dict[int, Sums]] = {}
    for row in db.session.execute(statement):
        by_unit.setdefault(row.service_unit_id, {})[int(row.quarter)] = _row_sums(row)
    return by_unit


def add_up(groups: Iterable[dict[int, Sums]]) -> dict[int, Sums]:
    """Quarter sums of several units added quarter by quarter."""
    total: dict[int, Sums] = {}
    for quarters in groups:
        for quarter, sums in quarters.items():
            total[quarter] = total.get(quarter, Sums()) + sums
    return total


def sums_by_year(first: int, last: int, unit_id: int | None = None) -> dict[int, Sums]:
    """The sums of each year from `first` to `last`, of one unit or the city (one query)."""
    where = [SkmResponse.served_on.between(date(first, 1, 1), date(last, 12, 31))]
    if unit_id is not None:
        where.append(SkmResponse.service_unit_id == unit_id)
    return _grouped(sa.extract("year", SkmResponse.served_on), where)


def sums_by_year_and_quarter(
    first: int, last: int, opd_id: int | None = None
) -> dict[tuple[int, int], Sums]:
    """(year, quarter) -> sums from `first` to `last`, of one OPD's units or the city, in one
    grouped query: the quarterly trend across the years (the monitor's trends page)."""
    served = SkmResponse.served_on
    year = sa.extract("year", served)
    month = sa.extract("month", served)
    quarter = sa.case((month <= 3, 1), (month <= 6, 2), (month <= 9, 3), else_=4)
    statement = sa.select(year.label("year"), quarter.label("quarter"), *_sum_columns()).where(
        served.between(date(first, 1, 1), date(last, 12, 31))
    )
    if opd_id is not None:
        statement = statement.join(
            ServiceUnit, ServiceUnit.id == SkmResponse.service_unit_id
        ).where(ServiceUnit.opd_id == opd_id)
    rows = db.session.execute(statement.group_by(year, quarter))
    return {(int(row.year), int(row.quarter)): _row_sums(row) for row in rows}


def period_sums(by_quarter: dict[int, Sums], period: SkmPeriod) -> Sums:
    """A period's sums from its year's quarter sums."""
    return sum((by_quarter.get(q, Sums()) for q in period.quarters), Sums())


def units_ikm(unit_ids: Iterable[int], start: date, end: date) -> IkmResult | None:
    """The IKM of the responses of these units served from `start` to `end` (inclusive);
    None when there is no response."""
    ids = list(unit_ids)
    if not ids:
        return None
    row = db.session.execute(
        sa.select(*_sum_columns()).where(
            SkmResponse.service_unit_id.in_(ids), SkmResponse.served_on.between(start, end)
        )
    ).one()
    return _row_sums(row).result if row.respondents else None


def unit_ikm(unit_id: int, start: date, end: date) -> IkmResult | None:
    """The IKM of one unit's responses from `start` to `end` (inclusive), or None."""
    return units_ikm([unit_id], start, end)
