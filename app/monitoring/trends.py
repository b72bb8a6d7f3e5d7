"""The same figures across periods: per year (annual SKP) and per quarter (Triwulan I-IV).

Four grouped reads whatever the years of history: the periods, the summary rows
grouped by period (completion and predikat), the capaian kinerja organisasi per
period (the OPD's, or the mean of the OPDs' for the city) and the IKM per year
and quarter (app.feedback.index). The rows grow with the periods, the statements
do not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa

from app.extensions import db
from app.feedback.ikm import IkmResult
from app.feedback.index import Sums, sums_by_year_and_quarter
from app.models import AppraisalCount, OrgAchievement, Period
from app.models.appraisal import PERIOD_KIND_LABELS
from app.monitoring.charts import short_label
from app.monitoring.kinerja import percent
from app.pk.organisation import QUARTER_OF_KIND
from app.skp import scoring
from app.skp.orgkinerja.bands import current_bands
from app.workflow.names import FINAL

CENT = Decimal("0.01")


@dataclass
class TrendRow:
    """One period: SKP counted, final, predikat counts, capaian and the IKM of its months."""

    period: Period
    total: int = 0
    final: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(scoring.PREDIKAT, 0))
    capaian: Decimal | None = None
    org_predikat: str | None = None
    ikm: IkmResult | None = None

    @property
    def label(self) -> str:
        if self.period.kind == "annual":
            return str(self.period.year)
        return f"{PERIOD_KIND_LABELS[self.period.kind]} {self.period.year}"

    @property
    def short(self) -> str:
        """The label under a chart's point: "2026", "TW III 2026"."""
        return short_label(self.period)

    @property
    def completion(self) -> Decimal | None:
        return percent(self.final, self.total)

    @property
    def rated(self) -> int:
        return sum(self.counts.values())

    def share(self, predikat: str) -> Decimal | None:
        return percent(self.counts[predikat], self.rated)


@dataclass(frozen=True)
class Trend:
    """The years (annual periods) and the quarters, oldest first."""

    years: list[TrendRow]
    quarters: list[TrendRow]


def trend(opd_id: int | None = None) -> Trend:
    """Every period's figures for one OPD, or (None) the whole city."""
    periods = db.session.scalars(sa.select(Period).order_by(Period.year, Period.kind)).all()
    rows = {p.id: TrendRow(p) for p in periods}
    counts = sa.select(
        AppraisalCount.period_id,
        AppraisalCount.state,
        AppraisalCount.predikat,
        sa.func.sum(AppraisalCount.delta),
    )
    if opd_id is not None:
        counts = counts.where(AppraisalCount.opd_id == opd_id)
    else:
        counts = counts.where(AppraisalCount.opd_id.is_not(None))
    grouped = (AppraisalCount.period_id, AppraisalCount.state, AppraisalCount.predikat)
    for period_id, state, predikat, count in db.session.execute(counts.group_by(*grouped)):
        row = rows.get(period_id)
        if row is None or not count:
            continue
        row.total += int(count)
        if state == FINAL:
            row.final += int(count)
        if predikat in row.counts:
            row.counts[predikat] += int(count)
    capaian = sa.select(OrgAchievement.period_id, sa.func.avg(OrgAchievement.capaian)).where(
        OrgAchievement.unit_id.is_(None)
    )
    if opd_id is not None:
        capaian = capaian.where(OrgAchievement.opd_id == opd_id)
    bands = current_bands() if opd_id is not None else None
    for period_id, value in db.session.execute(capaian.group_by(OrgAchievement.period_id)):
        if period_id in rows and value is not None:
            found = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
            rows[period_id].capaian = found
            # The city has no organisation predikat of its own: the mean is information.
            rows[period_id].org_predikat = bands.predikat_for(found) if bands else None
    if periods:
        ikm = sums_by_year_and_quarter(periods[0].year, periods[-1].year, opd_id)
        for row in rows.values():
            quarter = QUARTER_OF_KIND.get(row.period.kind)
            quarters = (quarter,) if quarter else (1, 2, 3, 4)
            sums = sum((ikm.get((row.period.year, q), Sums()) for q in quarters), Sums())
            row.ikm = sums.result
    ordered = list(rows.values())
    return Trend(
        years=[r for r in ordered if r.period.kind == "annual"],
        quarters=sorted(
            (r for r in ordered if r.period.kind != "annual"),
            key=lambda r: (r.period.year, r.period.kind),
        ),
    )
