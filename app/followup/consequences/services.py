"""The consequences of a predikat for an OPD or the city: a few grouped queries, pure rules.

- Kenaikan pangkat: app.followup.rules.promotion_eligibility on the final annual
  predikat of the year and the year before.
- TPP: the factor of each employee for a month, from the SKP of the period covering
  it (the triwulan's evaluation, else the annual SKP): complete once final.
- Rewards: Sangat Baik in the year, or box 9 of the talent map.
- Angka kredit: each final annual SKP segment of a jabatan fungsional, for the
  months it covers, by app.followup.rules.angka_kredit, and their sum.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.followup.rules import (
    ANGKA_KREDIT_COEFFICIENT,
    TppTable,
    angka_kredit,
    promotion_eligibility,
    tpp_factor,
)
from app.followup.talent_pages.services import NineBox, Person, people
from app.models import Appraisal, Employee, Opd, Period, Position
from app.models.appraisal import PREDIKAT_LABELS
from app.org.appraisers import level_of


@dataclass
class Promotion:
    """An employee's eligibility for kenaikan pangkat, with the reasons when not eligible."""

    person: Person
    eligible: bool
    reasons: list[str]


def promotions(year: int, opd_id: int | None) -> list[Promotion]:
    """Everyone in scope with their eligibility by the predikat of `year` and the year before."""
    result = []
    for person in people(year, opd_id):
        verdict = promotion_eligibility({year - 1: person.before, year: person.now}, year)
        reasons = [
            str(_l("No final annual predikat for %(year)d.", year=y)) for y in verdict.missing
        ]
        for y in verdict.below:
            got = person.before if y == year - 1 else person.now
            reasons.append(
                str(
                    _l(
                        "%(predikat)s in %(year)d, below Baik.",
                        predikat=PREDIKAT_LABELS[got],
                        year=y,
                    )
                )
            )
        result.append(Promotion(person, verdict.eligible, reasons))
    return result


def rewards(box: NineBox) -> list[Person]:
    """Candidates for recognition: Sangat Baik in the year, or in box 9."""
    return [p for p in box.people if p.now == "sangat_baik" or p.box == 9]


# --- TPP ---------------------------------------------------------------------------------


@dataclass
class TppRow:
    """One employee's TPP factor for a month and where it comes from."""

    nip: str
    name: str
    position: str
    period_kind: str | None
    predikat: str | None
    complete: bool
    factor: Decimal


def tpp_rows(year: int, month: int, opd_id: int, table: TppTable) -> list[TppRow]:
    """The factor of every active employee of the OPD for the month (one query)."""
    quarter = f"tw{(month - 1) // 3 + 1}"
    skp = (
        sa.select(Appraisal.employee_id, Period.kind, Appraisal.predikat, Appraisal.finalised_at)
        .join(Period, Period.id == Appraisal.period_id)
        .where(
            Period.year == year,
            Period.kind.in_((quarter, "annual")),
            Appraisal.end_date == Period.end_date,
        )
        .subquery()
    )
    rows = db.session.execute(
        sa.select(
            Employee.nip,
            Employee.name,
            Position.name,
            skp.c.kind,
            skp.c.predikat,
            skp.c.finalised_at,
        )
        .join(Position, Position.id == Employee.position_id)
        .outerjoin(skp, skp.c.employee_id == Employee.id)
        .where(Employee.active.is_(True), Position.opd_id == opd_id)
        .order_by(Employee.name, Employee.nip)
    )
    chosen: dict[str, tuple] = {}
    for nip, name, position, kind, predikat, final in rows:
        # The triwulan's own evaluation counts before the annual SKP.
        if nip not in chosen or (kind == quarter and chosen[nip][2] != quarter):
            chosen[nip] = (name, position, kind, predikat, final)
    result = []
    for nip, (name, position, kind, predikat, final) in chosen.items():
        complete = final is not None and predikat is not None
        factor = tpp_factor(predikat if complete else None, complete, table)
        result.append(TppRow(nip, name, position, kind, predikat, complete, factor))
    return result


# --- Angka kredit ------------------------------------------------------------------------


def months_covered(start: date, end: date) -> int:
    """The calendar months a segment touches, 1 to 12."""
    return max(1, min(12, (end.year - start.year) * 12 + end.month - start.month + 1))


@dataclass
class Credit:
    """One final annual SKP segment's angka kredit."""

    year: int
    start: date
    end: date
    jenjang: str
    predikat: str
    months: int
    amount: Decimal


@dataclass
class CreditRecord:
    """A jabatan fungsional employee's angka kredit per period and accumulated."""

    employee_id: int
    nip: str
    name: str
    position: str
    credits: list[Credit] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((c.amount for c in self.credits), Decimal("0"))

    def by_year(self) -> dict[int, Decimal]:
        years: dict[int, Decimal] = defaultdict(Decimal)
        for c in self.credits:
            years[c.year] += c.amount
        return dict(years)


def credit_records(opd_id: int | None = None, employee_id: int | None = None) -> list[CreditRecord]:
    """Every jabatan fungsional employee in scope (or one employee) with their credits: one query.

    The jenjang is read from the jabatan held in the segment (its recorded name),
    else from the employee's position; a segment whose jenjang is not one of the
    tables' (e.g. a JF without jenjang in its name) earns nothing and is skipped.
    """
    query = (
        sa.select(
            Employee.id,
            Employee.nip,
            Employee.name,
            Position.name,
            Position.kind,
            Position.level,
            Period.year,
            Appraisal.start_date,
            Appraisal.end_date,
            Appraisal.predikat,
            Appraisal.position_name,
        )
        .join(Position, Position.id == Employee.position_id)
        .outerjoin(
            Appraisal,
            sa.and_(
                Appraisal.employee_id == Employee.id,
                Appraisal.finalised_at.is_not(None),
                Appraisal.predikat.is_not(None),
            ),
        )
        .outerjoin(Period, sa.and_(Period.id == Appraisal.period_id, Period.kind == "annual"))
        .where(Position.kind == "fungsional")
        .order_by(Employee.name, Employee.id, Appraisal.start_date)
    )
    if employee_id is not None:
        query = query.where(Employee.id == employee_id)
    else:
        query = query.where(Employee.active.is_(True))
    if opd_id is not None:
        query = query.where(Position.opd_id == opd_id)
    records: dict[int, CreditRecord] = {}
    for eid, nip, name, pos, kind, level, year, start, end, predikat, held in db.session.execute(
        query
    ):
        record = records.setdefault(eid, CreditRecord(eid, nip, name, pos))
        if year is None or predikat is None:
            continue
        jenjang = level_of("fungsional", None, held) if held else level_of(kind, level, pos)
        if jenjang not in ANGKA_KREDIT_COEFFICIENT:
            jenjang = level_of(kind, level, pos)
        if jenjang not in ANGKA_KREDIT_COEFFICIENT:
            continue
        months = months_covered(start, end)
        amount = angka_kredit(jenjang, predikat, months)
        record.credits.append(Credit(year, start, end, jenjang, predikat, months, amount))
    return list(records.values())


def employee_opd(employee_id: int) -> tuple[Employee, int | None] | None:
    """The employee and their OPD (by their position), or None."""
    row = db.session.execute(
        sa.select(Employee, Position.opd_id)
        .outerjoin(Position, Position.id == Employee.position_id)
        .where(Employee.id == employee_id)
    ).first()
    return (row[0], row[1]) if row else None


def opd_name(opd_id: int) -> str:
    return db.session.scalar(sa.select(Opd.name).where(Opd.id == opd_id)) or ""
