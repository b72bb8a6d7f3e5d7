"""From the Perjanjian Kinerja to the capaian kinerja organisasi of the OPD.

SE MenPANRB 3/2023 computes the organisation's achievement from its PK and lets
the pimpinan above set or adjust it with a reason. The PK page shows, for each
period of the year, the figure its indicators give and the capaian in force;
whoever may set the OPD's capaian applies the figure with one click (stored with
source "pk" and a reason naming it), or types another on the capaian page.

Services flush and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa

from app.extensions import db
from app.models import Account, OrgAchievement, Period, PerjanjianKinerja
from app.pk.services import achievement
from app.skp.orgkinerja.services import achievements_of, set_achievement

# The quarter a period's kind speaks for (None: the year).
QUARTER_OF_KIND = {"annual": None, "tw1": 1, "tw2": 2, "tw3": 3, "tw4": 4}
QUARTER_LABEL = {None: "tahun", 1: "TW I", 2: "TW II", 3: "TW III", 4: "TW IV"}


class NoFigure(ValueError):
    """The PK has no realisasi for the period yet: nothing to apply."""


@dataclass(frozen=True)
class PeriodLine:
    """One period of the year: what the PK gives and the capaian in force."""

    period: Period
    figure: Decimal | None
    current: OrgAchievement | None


def period_lines(pk: PerjanjianKinerja | None, opd_id: int, year: int) -> list[PeriodLine]:
    """Each period of the year with the PK's figure for it and the OPD's capaian in force."""
    periods = db.session.scalars(
        sa.select(Period).where(Period.year == year).order_by(Period.start_date, Period.kind)
    )
    return [
        PeriodLine(
            period,
            achievement(pk, QUARTER_OF_KIND[period.kind]),
            achievements_of(opd_id, period.id).get(None),
        )
        for period in periods
    ]


def apply_to_organisation(
    pk: PerjanjianKinerja, period: Period, actor: Account, *, seen_version: int
) -> OrgAchievement:
    """Set the OPD's capaian for the period to the PK's figure; flushes.

    Raises NoFigure without realisasi, and the capaian service's StaleAchievement
    when someone set it since the page was shown.
    """
    quarter = QUARTER_OF_KIND[period.kind]
    figure = achievement(pk, quarter)
    if figure is None:
        raise NoFigure
    reason = (
        f"Dihitung dari realisasi Perjanjian Kinerja {pk.year} ({QUARTER_LABEL[quarter]}):"
        f" rata-rata capaian indikator {figure} %."
    )
    return set_achievement(
        pk.opd_id, None, period, figure, reason, actor, seen_version=seen_version, source="pk"
    )
