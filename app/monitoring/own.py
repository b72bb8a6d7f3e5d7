"""A pegawai's own trend: their predikat over their periods, beside their OPD's capaian."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa

from app.extensions import db
from app.models import Appraisal, OrgAchievement, Period
from app.models.appraisal import PERIOD_KIND_LABELS
from app.monitoring.charts import short_label


@dataclass(frozen=True)
class OwnRow:
    """One period of the employee's: the step, ratings and predikat, and the OPD's capaian."""

    period: Period
    workflow: str
    state: str
    rating_hk: str | None
    rating_pk: str | None
    predikat: str | None
    capaian: Decimal | None

    @property
    def label(self) -> str:
        if self.period.kind == "annual":
            return str(self.period.year)
        return f"{PERIOD_KIND_LABELS[self.period.kind]} {self.period.year}"

    @property
    def short(self) -> str:
        """The label under a chart's point: "2026", "TW III 2026"."""
        return short_label(self.period)


def own_trend(employee_id: int) -> list[OwnRow]:
    """The employee's SKP per period (their latest segment), oldest first, in one statement.

    The capaian is the capaian kinerja organisasi of the OPD the SKP was made in,
    where it is set: the organisation's result the predikat is read against.
    """
    query = (
        sa.select(
            Period,
            Appraisal.workflow,
            Appraisal.state,
            Appraisal.rating_hk,
            Appraisal.rating_pk,
            Appraisal.predikat,
            OrgAchievement.capaian,
        )
        .join(Period, Period.id == Appraisal.period_id)
        .outerjoin(
            OrgAchievement,
            sa.and_(
                OrgAchievement.opd_id == Appraisal.opd_id,
                OrgAchievement.period_id == Appraisal.period_id,
                OrgAchievement.unit_id.is_(None),
            ),
        )
        # The latest segment (as app.models.appraisal.latest_segment), with the period joined.
        .where(Appraisal.employee_id == employee_id, Appraisal.end_date == Period.end_date)
    )
    rows = [OwnRow(*row) for row in db.session.execute(query)]
    # A year's quarters, then the year itself: the order they are lived in.
    return sorted(rows, key=lambda r: (r.period.year, r.period.kind == "annual", r.period.kind))
