"""What the public IKM pages show: a year's quarters, semesters and the years before,
from three or four grouped queries whatever the number of responses."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from app.extensions import db
from app.feedback.ikm import SKM_ELEMENTS, IkmResult, SampleCheck, sample_check, weakest_element
from app.feedback.index import (
    ELEMENT_LABELS,
    SkmPeriod,
    Sums,
    period_sums,
    periods_of,
    sums_by_opd,
    sums_by_quarter,
    sums_by_unit,
    sums_by_year,
)
from app.models import Opd, ServiceUnit

TREND_YEARS = 5
# Bar colours per mutu (Bootstrap's success, primary, warning, danger): dark enough
# against white for the 3:1 of non-text contrast.
GRADE_COLOURS = {"A": "#198754", "B": "#0d6efd", "C": "#b35c00", "D": "#dc3545"}


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


def year_overview(year: int, unit: ServiceUnit | None = None) -> dict:
    """The year's index, its semesters and quarters, the years before, the elements'
    NRR and the weakest element, of one unit or (None) the whole city."""
    unit_id = unit.id if unit is not None else None
    by_quarter = sums_by_quarter(year, unit_id)
    by_year = sums_by_year(year - TREND_YEARS + 1, year, unit_id)
    periods = periods_of(year)
    rows = [PeriodRow(p, period_sums(by_quarter, p).result) for p in periods]
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
    years = range(year - TREND_YEARS + 1, year + 1)
    return {
        "year": year,
        "result": result,
        "periods": rows,
        "quarters": _bars([(r.period.label, r.result) for r in rows[3:]]),
        "years": _bars([(str(y), by_year.get(y, Sums()).result) for y in years]),
        "elements": _element_rows(result),
        "weakest": weakest,
        "sample": sample,
    }


def city_units(year: int) -> tuple[list[dict], list[dict]]:
    """The OPDs and the active units with their IKM for the year (four statements)."""
    period = SkmPeriod(year, "year")
    units = db.session.execute(
        sa.select(ServiceUnit.id, ServiceUnit.code, ServiceUnit.name, ServiceUnit.opd_id)
        .where(ServiceUnit.active.is_(True))
        .order_by(ServiceUnit.name)
    ).all()
    by_unit = sums_by_unit(period)
    by_opd = sums_by_opd(period)
    names = {}
    if by_opd:
        names = dict(
            db.session.execute(sa.select(Opd.id, Opd.name).where(Opd.id.in_(list(by_opd)))).all()
        )
    unit_rows = [
        {"code": u.code, "name": u.name, "result": by_unit.get(u.id, Sums()).result} for u in units
    ]
    opd_rows = sorted(
        ({"name": names.get(opd_id, ""), "result": s.result} for opd_id, s in by_opd.items()),
        key=lambda r: r["name"],
    )
    return opd_rows, unit_rows
