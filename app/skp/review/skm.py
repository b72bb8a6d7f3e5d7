"""The review page's two counts in one statement: the appraiser's team by predikat, and
the SKM of the units layanan the appraisee serves in or heads (evidence for "Berorientasi
Pelayanan", app.feedback.evidence), so that the evidence costs the page no statement.
"""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.feedback.evidence import UNIT_COLUMNS, UnitIkm, serving_where, unit_from_row, units_select
from app.models import Appraisal
from app.skp import scoring

TEAM, UNIT = "t", "u"


def team_and_service_units(appraisal: Appraisal) -> tuple[dict[str | None, int], list[UnitIkm]]:
    """Predikat -> count over the appraisals the appraiser rates in the period (None: not
    rated yet), and the appraisee's units layanan
    with their responses within the appraisal's period, by name.

    The team's rows are shaped as units_select's (code: the predikat; the rest empty),
    with the kind of row last.
    """
    no_int, no_text = sa.cast(sa.null(), sa.Integer), sa.cast(sa.null(), sa.String)
    team = (
        sa.select(
            no_int,
            Appraisal.predikat,
            no_text,
            no_int,
            no_int,
            sa.func.count(Appraisal.id),
            *(sa.literal(0) for _ in range(UNIT_COLUMNS - 6)),
            sa.literal(TEAM),
        )
        .where(
            Appraisal.appraiser_id == appraisal.appraiser_id,
            Appraisal.period_id == appraisal.period_id,
        )
        .group_by(Appraisal.predikat)
    )
    parts = [team]
    if appraisal.position_id is not None:
        period = appraisal.period
        where = serving_where(appraisal.position_id)
        units = units_select(where, period.start_date, period.end_date)
        parts.append(units.add_columns(sa.literal(UNIT)))
    counts: dict[str | None, int] = dict.fromkeys((*scoring.PREDIKAT, None), 0)
    found: list[UnitIkm] = []
    for *row, kind in db.session.execute(sa.union_all(*parts)):
        if kind == TEAM:
            counts[row[1]] = int(row[5])
        else:
            found.append(unit_from_row(row))
    return counts, sorted(found, key=lambda unit: (unit.name, unit.id))
