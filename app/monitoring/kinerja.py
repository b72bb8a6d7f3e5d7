"""The monitor's performance figures of one period: per OPD (the city) or per unit (an OPD).

Each row puts side by side the completion (share of the SKP final), the predikat
distribution against the pola distribusi of the organisation's predikat, the
capaian kinerja organisasi and the public IKM of the units layanan. Every figure
is a grouped read: the city's predikat and steps come from the summary rows
(appraisal_count, app.dashboard.summary), an OPD's units from one grouped query
over that OPD's period, the IKM from sums per OPD or unit (app.feedback). The number of
statements does not grow with the employees, the responses or the years.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.feedback.evidence import combined, opd_units
from app.feedback.ikm import IkmResult
from app.feedback.index import SkmPeriod, Sums, sums_by_opd
from app.models import (
    Appraisal,
    AppraisalCount,
    Employee,
    Opd,
    OrgAchievement,
    Period,
    PerjanjianKinerja,
    PkIndikator,
    PkSasaran,
    Position,
    Unit,
)
from app.models.appraisal import latest_segment
from app.periods.exclusions import excluded_employees
from app.pk.organisation import QUARTER_OF_KIND
from app.pk.services import achievement, indikator_capaian
from app.skp import scoring
from app.skp.capaian import Capaian
from app.skp.orgkinerja.bands import current_bands
from app.skp.orgkinerja.services import capaian_of, units_of
from app.workflow.names import FINAL

TENTH = Decimal("0.1")


def percent(part: int, whole: int) -> Decimal | None:
    """part of whole in percent, one decimal; None of nothing."""
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(TENTH, rounding=ROUND_HALF_UP)


def skm_period(period: Period) -> SkmPeriod:
    """The survey period an SKP period speaks for: its quarter, or its year."""
    quarter = QUARTER_OF_KIND.get(period.kind)
    return SkmPeriod(period.year, "quarter", quarter) if quarter else SkmPeriod(period.year, "year")


@dataclass
class PerformanceRow:
    """One OPD or unit in a period: SKP and their steps, predikat, capaian and IKM."""

    key: int | None
    label: str
    total: int = 0  # SKP counted: one per employee, the excluded left out
    final: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(scoring.PREDIKAT, 0))
    capaian: Decimal | None = None
    org_predikat: str | None = None
    # A unit with its own capaian: the predikat of its whole subtree, checked against it.
    pattern_counts: dict[str, int] | None = None
    # A unit without: whose pattern its employees count in (a unit above, or the OPD).
    pattern_from: str | None = None
    ikm: IkmResult | None = None
    service_units: int = 0

    def add(self, state: str, predikat: str | None, count: int) -> None:
        self.total += count
        if state == FINAL:
            self.final += count
        if predikat in self.counts:
            self.counts[predikat] += count

    @property
    def completion(self) -> Decimal | None:
        return percent(self.final, self.total)

    @property
    def rated(self) -> int:
        return sum(self.counts.values())

    def share(self, predikat: str) -> Decimal | None:
        return percent(self.counts[predikat], self.rated)

    @property
    def check(self) -> scoring.DistributionCheck | None:
        """The distribution against the pattern; None without an organisation predikat."""
        if not self.org_predikat:
            return None
        return scoring.check_distribution(self.org_predikat, self.pattern_counts or self.counts)


def city_performance(period: Period) -> tuple[list[PerformanceRow], PerformanceRow]:
    """One row per OPD (by name) and the city's row, in five statements."""
    rows = {
        opd_id: PerformanceRow(opd_id, name)
        for opd_id, name in db.session.execute(sa.select(Opd.id, Opd.name).order_by(Opd.name))
    }
    city = PerformanceRow(None, str(_l("The whole city")))
    counts = db.session.execute(
        sa.select(
            AppraisalCount.opd_id,
            AppraisalCount.state,
            AppraisalCount.predikat,
            sa.func.sum(AppraisalCount.delta),
        )
        .where(AppraisalCount.period_id == period.id)
        .group_by(AppraisalCount.opd_id, AppraisalCount.state, AppraisalCount.predikat)
    )
    for opd_id, state, predikat, count in counts:
        if count and opd_id in rows:
            rows[opd_id].add(state, predikat, int(count))
            city.add(state, predikat, int(count))
    bands = current_bands()
    achieved = db.session.execute(
        sa.select(OrgAchievement.opd_id, OrgAchievement.capaian).where(
            OrgAchievement.period_id == period.id, OrgAchievement.unit_id.is_(None)
        )
    )
    for opd_id, capaian in achieved:
        if opd_id in rows:
            rows[opd_id].capaian = Decimal(capaian)
            rows[opd_id].org_predikat = bands.predikat_for(Decimal(capaian))
    total = Sums()
    for opd_id, sums in sums_by_opd(skm_period(period)).items():
        total += sums
        if opd_id in rows:
            rows[opd_id].ikm = sums.result
    city.ikm = total.result
    return list(rows.values()), city


def _subtree(units: list[Unit], root: int) -> set[int]:
    """The unit and every unit under it (the units of one OPD, already read)."""
    found, todo = set(), [root]
    while todo:
        current = todo.pop()
        found.add(current)
        todo.extend(u.id for u in units if u.parent_id == current)
    return found


def _unit_counts(period: Period, opd_id: int) -> sa.Result:
    """(unit id, state, predikat, count) of the OPD's SKP in the period: one grouped query.

    The unit of the jabatan the SKP was made for; of the employee's jabatan for an
    SKP that recorded none.
    """
    position = sa.func.coalesce(Appraisal.position_id, Employee.position_id)
    return db.session.execute(
        sa.select(Position.unit_id, Appraisal.state, Appraisal.predikat, sa.func.count())
        .select_from(Appraisal)
        .join(Employee, Employee.id == Appraisal.employee_id)
        .outerjoin(Position, Position.id == position)
        .where(
            Appraisal.period_id == period.id,
            Appraisal.opd_id == opd_id,
            latest_segment(),
            Appraisal.employee_id.not_in(excluded_employees(period.id)),
        )
        .group_by(Position.unit_id, Appraisal.state, Appraisal.predikat)
    )


def opd_performance(period: Period, opd: Opd) -> tuple[list[PerformanceRow], PerformanceRow]:
    """One row per unit of the OPD (key None: positions in no unit) and the OPD's row.

    A unit without a capaian of its own keeps the pattern of the nearest unit above
    with one, else the OPD's (as the distribution is checked when rating).
    """
    units = units_of(opd.id)
    by_id = {unit.id: unit for unit in units}
    rows: dict[int | None, PerformanceRow] = {u.id: PerformanceRow(u.id, u.name) for u in units}
    rows[None] = PerformanceRow(None, str(_l("Directly under the kepala OPD")))
    whole = PerformanceRow(opd.id, opd.name)
    # The OPD's own counts are the sum of its units' (the same SKP, grouped once more):
    # one grouped statement over one OPD's period instead of a second read of the summary.
    for unit_id, state, predikat, count in _unit_counts(period, opd.id):
        rows.setdefault(unit_id, PerformanceRow(unit_id, "")).add(state, predikat, count)
        whole.add(state, predikat, count)
    achieved = capaian_of(opd.id, period.id)
    bands = current_bands()
    whole.capaian = achieved.get(None)
    whole.org_predikat = bands.predikat_for(whole.capaian)
    for row in rows.values():
        source = by_id.get(row.key)
        if source is not None and source.id in achieved:
            # The unit's own capaian: its pattern binds the employees of its subtree.
            row.capaian = achieved[source.id]
            row.org_predikat = bands.predikat_for(row.capaian)
            subtree = _subtree(units, source.id)
            row.pattern_counts = {
                p: sum(rows[u].counts[p] for u in subtree if u in rows) for p in scoring.PREDIKAT
            }
            continue
        # Otherwise its employees count in the pattern of the nearest unit above with a
        # capaian, or the OPD's (app.skp.orgkinerja.services.scope_of): named, not checked.
        while source is not None and source.id not in achieved:
            source = by_id.get(source.parent_id)
        row.pattern_from = source.name if source is not None else opd.name
    skm = skm_period(period)
    service_units = opd_units(opd.id, skm.start, skm.end)
    for row in rows.values():
        mine = [u for u in service_units if u.unit_id == row.key]
        row.service_units, row.ikm = len(mine), combined(mine)
    whole.service_units, whole.ikm = len(service_units), combined(service_units)
    listed = [rows[u.id] for u in units] + [rows[None]]
    return [r for r in listed if r.total or r.service_units or r.capaian is not None], whole


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator of the Perjanjian Kinerja: target and realisasi for the period."""

    sasaran: str
    text: str
    unit: str
    target: Decimal | None
    realisasi: Decimal | None
    capaian: Capaian


def pk_lines(period: Period, opd_id: int) -> tuple[list[IndicatorLine], Decimal | None]:
    """The PK's indicators for the period's quarter (or year) and the capaian they give.

    One joined statement (the PK page loads the PK with two); the capaian is the
    PK page's own formula (app.pk.services.achievement) over the same indicators.
    """
    rows = db.session.execute(
        sa.select(PkSasaran.text, PkIndikator)
        .join(PkIndikator, PkIndikator.sasaran_id == PkSasaran.id)
        .join(PerjanjianKinerja, PerjanjianKinerja.id == PkSasaran.pk_id)
        .where(PerjanjianKinerja.opd_id == opd_id, PerjanjianKinerja.year == period.year)
        .order_by(PkSasaran.position, PkSasaran.id, PkIndikator.position, PkIndikator.id)
    ).all()
    if not rows:
        return [], None
    quarter = QUARTER_OF_KIND.get(period.kind)
    lines = [
        IndicatorLine(
            sasaran,
            indikator.text,
            indikator.unit,
            indikator.target(quarter),
            indikator.realisasi(quarter),
            indikator_capaian(indikator, quarter),
        )
        for sasaran, indikator in rows
    ]
    # achievement() reads pk.sasaran[].indikator[]: one group holding every indicator.
    whole = SimpleNamespace(sasaran=[SimpleNamespace(indikator=[i for _, i in rows])])
    return lines, achievement(whole, quarter)
