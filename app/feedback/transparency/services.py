"""What the public IKM pages show: a year's quarters, semesters and the years before.

The city page reads the year once, grouped by unit and quarter, and adds the rows
up per OPD and for the city; the years before come from one more grouped query.
The number of statements never grows with the responses (nor with the units).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from babel.numbers import format_decimal
from flask_babel import get_locale

from app.extensions import db
from app.feedback.ikm import SKM_ELEMENTS, IkmResult, SampleCheck, sample_check, weakest_element
from app.feedback.index import (
    ELEMENT_LABELS,
    SkmPeriod,
    Sums,
    add_up,
    period_sums,
    periods_of,
    sums_by_quarter,
    sums_by_unit_and_quarter,
    sums_by_year,
)
from app.models import Opd, ServiceUnit

TREND_YEARS = 5
# Bar colours per mutu (Bootstrap's success, primary, a dark orange, danger): at least
# 3:1 against white, the contrast a chart's marks need.
GRADE_COLOURS = {"A": "#198754", "B": "#0d6efd", "C": "#b35c00", "D": "#dc3545"}


def format_ikm(value: Decimal | None, places: int = 2) -> str:
    """An IKM or NRR with its fixed decimals in the reader's notation: 88,31 (id)."""
    if value is None:
        return "—"
    return format_decimal(value, format="#,##0." + "0" * places, locale=str(get_locale()))


def _texts(result: IkmResult | None) -> dict:
    """The row's figures as printed, formatted once (the city lists hundreds of units)."""
    if result is None:
        return {"respondents": "0", "ikm": "—", "grade": "—"}
    respondents = format_decimal(result.respondents, format="#,##0", locale=str(get_locale()))
    return {"respondents": respondents, "ikm": format_ikm(result.ikm), "grade": result.grade}


@dataclass(frozen=True)
class PeriodRow:
    period: SkmPeriod
    result: IkmResult | None


def _bars(rows: list[tuple[str, IkmResult | None]]) -> list[dict]:
    return [
        {
            "label": label,
            "value": result.ikm if result else None,
            "result": result,
            "colour": GRADE_COLOURS[result.grade] if result else None,
        }
        for label, result in rows
    ]


def _element_rows(result: IkmResult | None) -> list[dict]:
    if result is None:
        return []
    return [
        {"label": f"U{i + 1} {ELEMENT_LABELS[key]}", "value": result.nrr[i]}
        for i, key in enumerate(SKM_ELEMENTS)
    ]


def year_overview(
    year: int, unit: ServiceUnit | None = None, by_quarter: dict[int, Sums] | None = None
) -> dict:
    """The year's index, its semesters and quarters, the years before, the elements' NRR
    and the weakest element, of one unit or (None) the whole city. `by_quarter`: the
    year's quarter sums when the caller has them already."""
    unit_id = unit.id if unit is not None else None
    if by_quarter is None:
        by_quarter = sums_by_quarter(year, unit_id)
    earlier = sums_by_year(year - TREND_YEARS + 1, year - 1, unit_id)
    rows = [PeriodRow(p, period_sums(by_quarter, p).result) for p in periods_of(year)]
    result = rows[0].result
    weakest = None
    if result is not None:
        index = weakest_element(result)
        weakest = {
            "code": f"U{index + 1}",
            "label": str(ELEMENT_LABELS[SKM_ELEMENTS[index]]),
            "nrr": result.nrr[index],
        }
    sample: SampleCheck | None = None
    if unit is not None and result is not None:
        sample = sample_check(unit.yearly_users, 12, result.respondents)
    years = [(str(y), earlier.get(y, Sums()).result) for y in range(year - TREND_YEARS + 1, year)]
    return {
        "year": year,
        "result": result,
        "periods": rows,
        "quarters": _bars([(r.period.label, r.result) for r in rows[3:]]),
        "years": _bars([*years, (str(year), result)]),
        "elements": _element_rows(result),
        "weakest": weakest,
        "sample": sample,
    }


def _year_of(quarters: dict[int, Sums] | None) -> IkmResult | None:
    return sum((quarters or {}).values(), Sums()).result


def city_overview(year: int) -> tuple[dict, list[dict], list[dict]]:
    """The city's year overview, its OPDs and its active units with their IKM for the
    year (four statements)."""
    units = db.session.execute(
        sa.select(
            ServiceUnit.id, ServiceUnit.code, ServiceUnit.name, ServiceUnit.opd_id,
            ServiceUnit.active,
        ).order_by(ServiceUnit.name)
    ).all()  # fmt: skip
    by_unit = sums_by_unit_and_quarter(year)
    opd_of = {u.id: u.opd_id for u in units}
    by_opd: dict[int, Sums] = {}
    for unit_id, quarters in by_unit.items():
        opd_id = opd_of.get(unit_id)
        by_opd[opd_id] = by_opd.get(opd_id, Sums()) + sum(quarters.values(), Sums())
    names = {}
    if by_opd:
        names = dict(
            db.session.execute(sa.select(Opd.id, Opd.name).where(Opd.id.in_(list(by_opd)))).all()
        )
    unit_rows = [
        {"code": u.code, "name": u.name, "opd_id": u.opd_id, **_texts(_year_of(by_unit.get(u.id)))}
        for u in units
        if u.active
    ]
    opd_rows = sorted(
        (
            {"id": opd_id, "name": names.get(opd_id, ""), **_texts(s.result)}
            for opd_id, s in by_opd.items()
        ),
        key=lambda r: r["name"],
    )
    overview = year_overview(year, by_quarter=add_up(by_unit.values()))
    return overview, opd_rows, unit_rows
