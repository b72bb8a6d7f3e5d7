"""What the public performance page shows: completion rates and the units' IKM, no person.

Aggregates only: per OPD and for the city, how many SKP of the current period
there are and how many are final; the IKM comes from the public IKM pages' own
figures (app.feedback.transparency), so both pages agree. Predikat counts are
left out: in a small OPD a count of one could point at a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import get_locale

from app.extensions import db
from app.feedback.transparency.cache import cached
from app.feedback.transparency.services import city_overview
from app.models import AppraisalCount, Opd, Period
from app.monitoring.kinerja import percent
from app.periods.services import working_period
from app.workflow.names import FINAL


@dataclass
class PublicRow:
    """An OPD (or the city) in the current period: SKP, final, and its IKM this year."""

    id: int | None
    name: str
    total: int = 0
    final: int = 0
    ikm: str = "—"
    grade: str = "—"
    respondents: str = "0"

    @property
    def completion(self):
        return percent(self.final, self.total)


def _compute(year: int) -> dict:
    # The annual SKP: a quarter's evaluation says less about the year's work.
    periods = db.session.scalars(
        sa.select(Period).where(Period.status != "draft", Period.kind == "annual")
    ).all()
    ordered = sorted(periods, key=lambda p: (p.year, p.start_date, p.id), reverse=True)
    period = working_period(ordered)
    rows = {
        opd_id: PublicRow(opd_id, name)
        for opd_id, name in db.session.execute(sa.select(Opd.id, Opd.name).order_by(Opd.name))
    }
    city = PublicRow(None, "")
    if period is not None:
        counts = db.session.execute(
            sa.select(
                AppraisalCount.opd_id, AppraisalCount.state, sa.func.sum(AppraisalCount.delta)
            )
            .where(AppraisalCount.period_id == period.id, AppraisalCount.opd_id.is_not(None))
            .group_by(AppraisalCount.opd_id, AppraisalCount.state)
        )
        for opd_id, state, count in counts:
            row = rows.get(opd_id)
            if row is None or not count:
                continue
            for target in (row, city):
                target.total += int(count)
                target.final += int(count) if state == FINAL else 0
    overview, opd_ikm, units = city_overview_cached(year)
    for found in opd_ikm:
        row = rows.get(found["id"])
        if row is not None:
            row.ikm, row.grade, row.respondents = found["ikm"], found["grade"], found["respondents"]
    return {
        "period": period,
        "city": city,
        "opds": [r for r in rows.values() if r.total or r.ikm != "—"],
        "overview": overview,
        "units": units,
        "year": year,
    }


def city_overview_cached(year: int) -> tuple:
    """The /ikm page's figures of the year, from (and into) its own cache."""
    return cached(("city", year, str(get_locale())), lambda: city_overview(year))


def public_figures() -> dict:
    """The page's figures, kept per process for SKM_PUBLIC_CACHE_SECONDS like /ikm's."""
    year = date.today().year
    return cached(("kinerja", year, str(get_locale())), lambda: _compute(year))
