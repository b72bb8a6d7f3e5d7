"""The 9-box of an OPD or the city, and the succession shortlist: read-only queries.

Performance is the predikat of the employee's final annual SKP of the chosen year
and the year before (their latest segment: the one that ran to the period's end);
potential is the newest imported assessment score of that year or earlier. Both
come from one grouped query whatever the number of employees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.followup import talent
from app.models import Appraisal, Employee, Opd, Period, Position, TalentAssessment
from app.org.appraisers import level_of

# The regulation's guidance names each box by its two axes (PermenPANRB 3/2020, Lampiran:
# Kotak 1 ... Kotak 9); the 9-box page shows them in the city's language.
BOX_LABELS = {
    1: _l("Performance below expectations, low potential"),
    2: _l("Performance below expectations, medium potential"),
    3: _l("Performance as expected, low potential"),
    4: _l("Performance below expectations, high potential"),
    5: _l("Performance as expected, medium potential"),
    6: _l("Performance above expectations, low potential"),
    7: _l("Performance as expected, high potential"),
    8: _l("Performance above expectations, medium potential"),
    9: _l("Performance above expectations, high potential"),
}
# The grid as drawn: potential from high (top) to low, performance from below to above.
GRID_ROWS = (talent.HIGH, talent.MEDIUM, talent.LOW)
GRID_COLUMNS = (talent.BELOW, talent.MEETS, talent.ABOVE)
# The grid's short headings (a phone shows all three columns); the long labels are the boxes'.
COLUMN_HEADINGS = {
    talent.BELOW: _l("Below expectations"),
    talent.MEETS: _l("As expected"),
    talent.ABOVE: _l("Above expectations"),
}
ROW_HEADINGS = {talent.HIGH: _l("High"), talent.MEDIUM: _l("Medium"), talent.LOW: _l("Low")}
SUCCESSION_BOXES = (7, 8, 9)
# What a page lists (a city has thousands of employees): the counts and the export are
# always complete.
BOX_LIST_LIMIT = 200
SHORTLIST_LIMIT = 10


@dataclass
class Person:
    """One employee on the map: who, where, the two predikat, the score and the box."""

    id: int
    nip: str
    name: str
    pangkat_golongan: str | None
    position_id: int
    position: str
    position_kind: str
    position_level: str | None
    opd_id: int
    opd_code: str
    before: str | None  # predikat of the year before
    now: str | None  # predikat of the chosen year
    score: Decimal | None
    box: int | None = None


@dataclass
class NineBox:
    """The map: every employee in scope, grouped by box (None: not placed yet)."""

    year: int
    thresholds: talent.Thresholds
    people: list[Person]
    by_box: dict[int | None, list[Person]] = field(default_factory=dict)

    def count(self, number: int | None) -> int:
        return len(self.by_box.get(number, []))


def people(year: int, opd_id: int | None) -> list[Person]:
    """Active employees with a position in the OPD (None: the city), with their axes: one query."""
    annual = (
        sa.select(Appraisal.employee_id, Period.year, Appraisal.predikat)
        .join(Period, Period.id == Appraisal.period_id)
        .where(
            Period.kind == "annual",
            Period.year.in_((year - 1, year)),
            Appraisal.finalised_at.is_not(None),
            Appraisal.predikat.is_not(None),
            # The latest segment (app.models.appraisal.latest_segment): the one to the period's end.
            Appraisal.end_date == Period.end_date,
        )
        .subquery()
    )
    score = (
        sa.select(TalentAssessment.score)
        .where(TalentAssessment.employee_id == Employee.id, TalentAssessment.year <= year)
        .order_by(TalentAssessment.year.desc())
        .limit(1)
        .correlate(Employee)
        .scalar_subquery()
    )
    before = sa.func.max(sa.case((annual.c.year == year - 1, annual.c.predikat)))
    now = sa.func.max(sa.case((annual.c.year == year, annual.c.predikat)))
    columns = (
        Employee.id, Employee.nip, Employee.name, Employee.pangkat_golongan, Position.id,
        Position.name, Position.kind, Position.level, Position.opd_id, Opd.code,
    )  # fmt: skip
    query = (
        sa.select(*columns, before, now, score)
        .join(Position, Position.id == Employee.position_id)
        .join(Opd, Opd.id == Position.opd_id)
        .outerjoin(annual, annual.c.employee_id == Employee.id)
        .where(Employee.active.is_(True), Position.kind != "kepala_daerah")
        .group_by(*columns)
        .order_by(Opd.code, Employee.name, Employee.id)
    )
    if opd_id is not None:
        query = query.where(Position.opd_id == opd_id)
    return [Person(*row) for row in db.session.execute(query)]


def nine_box(year: int, opd_id: int | None, thresholds: talent.Thresholds) -> NineBox:
    """Place every employee in scope in their box by the thresholds."""
    found = people(year, opd_id)
    result = NineBox(year, thresholds, found)
    for person in found:
        history = [p for p in (person.before, person.now) if p]
        person.box = talent.box(history, person.score, thresholds)
        result.by_box.setdefault(person.box, []).append(person)
    return result


# --- Succession --------------------------------------------------------------------------

# The lowest golongan a position needs. PP 11/2017 on Manajemen PNS as amended by PP 17/2020
# (Pasal 107-108) sets the experience a JPT pratama and an administrator need (administrator
# or ahli madya for 2 years; pengawas or ahli muda for 3 years), not a golongan. The golongan
# below is OUR ASSUMPTION from the eselon ranges of PP 100/2000 as amended by PP 13/2002
# (eselon II.b from IV/b, eselon III.b from III/d) that regional open selections still
# announce ("pangkat paling rendah Pembina Tingkat I (IV/b)"), until BKD confirms them.
# The sekda of a city is eselon II.a (from IV/c). Education is not recorded in SIKAP.
MINIMUM_GOLONGAN = {"sekda": "IV/c", "jpt": "IV/b", "administrator": "III/d"}
_GOLONGAN = re.compile(r"\b(IV|III|II|I)\s*/\s*([a-e])\b", re.IGNORECASE)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


def golongan_rank(text: str | None) -> tuple[int, str] | None:
    """(ruang, grade) of a pangkat/golongan such as "Penata Tingkat I (III/d)"; None if absent."""
    match = _GOLONGAN.search(text or "")
    if not match:
        return None
    return _ROMAN[match.group(1).upper()], match.group(2).lower()


def minimum_for(kind: str, level: str | None) -> str:
    """The lowest golongan a JPT (the sekda's, or a pratama's) or administrator position needs."""
    if kind == "jpt" and level == "sekda":
        return MINIMUM_GOLONGAN["sekda"]
    return MINIMUM_GOLONGAN[kind]


def qualifies(pangkat_golongan: str | None, minimum: str) -> bool:
    """Whether the golongan reaches the minimum; an unknown golongan does not."""
    rank = golongan_rank(pangkat_golongan)
    return rank is not None and rank >= golongan_rank(minimum)


@dataclass
class Vacancy:
    """A JPT or administrator position, its holders, its minimum and its shortlist."""

    id: int
    name: str
    kind: str
    opd_code: str
    minimum: str
    holders: list[str]
    shortlist: list[Person]


def succession(box: NineBox, opd_id: int | None) -> list[Vacancy]:
    """Each JPT and administrator position in scope with the boxes 7-9 employees who qualify
    by golongan, best box first (one query for the positions and their holders)."""
    query = (
        sa.select(
            Position.id, Position.name, Position.kind, Position.level, Opd.code, Employee.name
        )
        .join(Opd, Opd.id == Position.opd_id)
        .outerjoin(
            Employee, sa.and_(Employee.position_id == Position.id, Employee.active.is_(True))
        )
        .where(Position.kind.in_(("jpt", "administrator")))
        .order_by(Opd.code, Position.kind.desc(), Position.name, Position.id)
    )
    if opd_id is not None:
        query = query.where(Position.opd_id == opd_id)
    talents = sorted(
        (p for p in box.people if p.box in SUCCESSION_BOXES), key=lambda p: (-p.box, p.name)
    )
    vacancies: dict[int, Vacancy] = {}
    for pid, name, kind, level, opd_code, holder in db.session.execute(query):
        if pid not in vacancies:
            minimum = minimum_for(kind, level_of(kind, level, name))
            shortlist = [
                p
                for p in talents
                if p.position_id != pid and qualifies(p.pangkat_golongan, minimum)
            ]
            vacancies[pid] = Vacancy(pid, name, kind, opd_code, minimum, [], shortlist)
        if holder:
            vacancies[pid].holders.append(holder)
    return list(vacancies.values())
