"""A quarter's plan, copied from the approved annual plan when the quarter opens.

Set-based like the rest of opening (app.periods.opening): one INSERT of the RHK,
one INSERT ... SELECT of the IKI and of the expectations, two UPDATEs of the
links. The quarter's IKI carry that quarter's target (the annual IKI's iki_part,
or its months by accumulation), not the annual one, and remember the annual IKI
(source_iki_id) so that the annual evaluation can read the quarters back
(app.skp.periodic). Links go to the atasan's same-quarter RHK where it exists.
"""

from __future__ import annotations

from typing import Protocol

import sqlalchemy as sa

from app.extensions import db
from app.models import Appraisal, Behaviour, Iki, IkiPart, Period, Rhk
from app.periods.bulk import id_map as _id_map
from app.periods.bulk import window as _window
from app.workflow.names import UNAPPROVED_PLAN_STATES


class OpenCounts(Protocol):
    """The two counts copying adds to (app.periods.opening.OpenCounts)."""

    plans_copied: int
    without_plan: int


# The IKI columns that make the plan; realisasi and feedback stay behind. The target
# value is the quarter's own (_quarter_target), not the annual one.
IKI_PLAN_COLUMNS = (
    "position", "text", "aspect", "perspective", "target_kind", "target_unit", "target_text",
    "direction", "tolerance", "accumulation",
)  # fmt: skip
QUARTERS = {"tw1": 1, "tw2": 2, "tw3": 3, "tw4": 4}


def copy_annual_plans(period: Period, appraisal_ids: list[int], counts: OpenCounts) -> None:
    """Copy RHK, IKI targets and expectations from each employee's approved annual plan."""
    annual_id, breakdown = db.session.execute(
        sa.select(Period.id, Period.target_breakdown).where(
            Period.year == period.year, Period.kind == "annual"
        )
    ).one_or_none() or (None, "quarter")
    annual = sa.orm.aliased(Appraisal)
    targets = set(appraisal_ids)
    # After a mid-year move the annual period has several segments: a quarter (or a
    # quarter's segment) carries out the plan of the annual segment of the jabatan
    # held on its first day, never that of the jabatan left behind.
    pairs = {
        source: target
        for source, target in db.session.execute(
            sa.select(annual.id, Appraisal.id)
            .join(annual, annual.employee_id == Appraisal.employee_id)
            .where(
                _window(Appraisal.id, targets),
                annual.period_id == annual_id,
                annual.state.not_in(UNAPPROVED_PLAN_STATES),
                annual.start_date <= Appraisal.start_date,
                annual.end_date >= Appraisal.start_date,
            )
        )
        if target in targets
    }
    if not pairs:
        counts.without_plan += len(targets)
        return
    # A quarter that already has rows of its own keeps them.
    has_rows = set(
        db.session.scalars(
            sa.select(Rhk.appraisal_id).where(_window(Rhk.appraisal_id, pairs.values()))
        )
    )
    pairs = {source: target for source, target in pairs.items() if target not in has_rows}
    rhks = [
        row
        for row in db.session.execute(
            sa.select(
                Rhk.id, Rhk.appraisal_id, Rhk.group_, Rhk.position, Rhk.text, Rhk.atasan_rhk_id
            )
            .where(_window(Rhk.appraisal_id, pairs))
            .order_by(Rhk.appraisal_id, Rhk.position, Rhk.id)
        )
        if row.appraisal_id in pairs
    ]
    copied = {pairs[r.appraisal_id] for r in rhks}
    counts.plans_copied += len(copied)
    counts.without_plan += len(appraisal_ids) - len(copied)
    if not rhks:
        return
    new_ids = db.session.scalars(
        sa.insert(Rhk).returning(Rhk.id, sort_by_parameter_order=True),
        [
            # The link to the atasan's annual RHK stays until it is moved to the
            # atasan's same-quarter copy of it (_link_same_quarter).
            {
                "appraisal_id": pairs[r.appraisal_id],
                "group_": r.group_,
                "position": r.position,
                "text": r.text,
                "atasan_rhk_id": r.atasan_rhk_id,
                "source_rhk_id": r.id,
            }
            for r in rhks
        ],
    ).all()
    rhk_map = _id_map("rhk_map", zip((r.id for r in rhks), new_ids, strict=True))
    columns = [getattr(Iki, name) for name in IKI_PLAN_COLUMNS]
    target, quarter_parts = _quarter_target(period, breakdown, rhk_map)
    db.session.execute(
        sa.insert(Iki).from_select(
            ["rhk_id", *IKI_PLAN_COLUMNS, "target_value", "source_iki_id"],
            sa.select(rhk_map.c.new_id, *columns, target, Iki.id)
            .join(rhk_map, rhk_map.c.old_id == Iki.rhk_id)
            .outerjoin(quarter_parts, quarter_parts.c.iki_id == Iki.id)
            .order_by(Iki.rhk_id, Iki.position, Iki.id),
        )
    )
    _link_same_quarter(period, new_ids)
    # Ekspektasi khusus pimpinan were set on the annual plan; umpan balik is the quarter's own.
    plan_map = _id_map("plan_map", ((s, t) for s, t in pairs.items() if t in copied))
    db.session.execute(
        sa.insert(Behaviour).from_select(
            ["appraisal_id", "value", "expectation"],
            sa.select(plan_map.c.new_id, Behaviour.value, Behaviour.expectation).join(
                plan_map, plan_map.c.old_id == Behaviour.appraisal_id
            ),
        )
    )


def _quarter_target(
    period: Period, breakdown: str, rhk_map: sa.CTE
) -> tuple[sa.ColumnElement, sa.Subquery]:
    """The quarter's target of an annual IKI, and the subquery of parts it reads.

    With quarterly targets the quarter's part is its target; with monthly ones the
    quarter's three months are summed, averaged or the last taken, by the IKI's
    accumulation. An annual IKI without periodic targets (a plan from before them)
    lends the quarter its annual target, as before.
    """
    quarter = QUARTERS[period.kind]
    months = [3 * quarter - 2, 3 * quarter - 1, 3 * quarter]
    parts = [quarter] if breakdown == "quarter" else months
    last = max(parts)
    annual_iki = sa.orm.aliased(Iki)
    quarter_parts = (
        sa.select(
            IkiPart.iki_id,
            sa.func.sum(IkiPart.target_value).label("total"),
            sa.func.avg(IkiPart.target_value).label("mean"),
            sa.func.max(sa.case((IkiPart.part == last, IkiPart.target_value))).label("last"),
        )
        # Only the parts of the IKI being copied (this chunk's), found by their index.
        .join(annual_iki, annual_iki.id == IkiPart.iki_id)
        .join(rhk_map, rhk_map.c.old_id == annual_iki.rhk_id)
        .where(IkiPart.part.in_(parts), IkiPart.target_value.is_not(None))
        .group_by(IkiPart.iki_id)
        .subquery("quarter_parts")
    )
    chosen = sa.case(
        (Iki.accumulation == "average", quarter_parts.c.mean),
        (Iki.accumulation == "last", quarter_parts.c.last),
        else_=quarter_parts.c.total,
    )
    target = sa.case(
        (Iki.target_kind != "number", sa.null()),
        else_=sa.func.coalesce(sa.cast(chosen, Iki.target_value.type), Iki.target_value),
    )
    return target, quarter_parts


def _link_same_quarter(period: Period, new_rhk_ids: list[int]) -> None:
    """Point quarter RHK links at the atasan's RHK of this quarter, where it exists.

    Two targeted statements, whichever of the two SKP opened first: the RHK just
    copied take the atasan's quarter copy of the annual RHK they support, and the
    quarter RHK already linked to an annual RHK just copied take that copy.
    """
    copy = sa.orm.aliased(Rhk)
    copy_appraisal = sa.orm.aliased(Appraisal)
    same_quarter = (
        sa.select(sa.func.min(copy.id))
        .join(copy_appraisal, copy_appraisal.id == copy.appraisal_id)
        .where(copy.source_rhk_id == Rhk.atasan_rhk_id, copy_appraisal.period_id == period.id)
        .scalar_subquery()
    )
    in_period = Rhk.appraisal_id.in_(
        sa.select(Appraisal.id).where(Appraisal.period_id == period.id)
    )
    fresh = sa.orm.aliased(Rhk)
    just_copied = sa.select(fresh.source_rhk_id).where(
        _window(fresh.id, new_rhk_ids), fresh.source_rhk_id.is_not(None)
    )
    for where in (
        (_window(Rhk.id, new_rhk_ids), Rhk.source_rhk_id.is_not(None), in_period),
        (Rhk.atasan_rhk_id.in_(just_copied), in_period),
    ):
        db.session.execute(
            sa.update(Rhk)
            .where(*where, Rhk.atasan_rhk_id.is_not(None), same_quarter.is_not(None))
            .values(atasan_rhk_id=same_quarter)
            .execution_options(synchronize_session=False)
        )
