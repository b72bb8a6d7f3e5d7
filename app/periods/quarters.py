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
    "direction", "tolerance", "accumulation", "service_unit_id",
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
    target = _quarter_target(period, breakdown)
    db.session.execute(
        sa.insert(Iki).from_select(
            ["rhk_id", *IKI_PLAN_COLUMNS, "target_value", "source_iki_id"],
            sa.select(rhk_map.c.new_id, *columns, target, Iki.id)
            .join(rhk_map, rhk_map.c.old_id == Iki.rhk_id)
            .order_by(Iki.rhk_id, Iki.position, Iki.id),
        )
    )
    _link_same_quarter(
        period, [(r.id, new_id, r.atasan_rhk_id) for r, new_id in zip(rhks, new_ids, strict=True)]
    )
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


def _quarter_target(period: Period, breakdown: str) -> sa.ColumnElement:
    """The quarter's target of the annual IKI being copied (a column of the copying SELECT).

    With quarterly targets the quarter's part is its target; with monthly ones the
    quarter's three months are summed, averaged or the last taken, by the IKI's
    accumulation. An annual IKI without periodic targets (a plan from before them)
    lends the quarter its annual target, as before. Correlated lookups on the
    (iki_id, part) unique index, one per IKI copied: a join to a grouped subquery was
    planned on stale statistics after the bulk inserts and read all of iki_part for
    every chunk.
    """
    quarter = QUARTERS[period.kind]
    months = [3 * quarter - 2, 3 * quarter - 1, 3 * quarter]
    parts = [quarter] if breakdown == "quarter" else months
    of_this_iki = (IkiPart.iki_id == Iki.id, IkiPart.target_value.is_not(None))
    last = (
        sa.select(IkiPart.target_value)
        .where(*of_this_iki, IkiPart.part == max(parts))
        .scalar_subquery()
    )
    if len(parts) == 1:
        chosen = last
    else:
        in_quarter = (*of_this_iki, IkiPart.part.in_(parts))
        total = sa.select(sa.func.sum(IkiPart.target_value)).where(*in_quarter)
        mean = sa.select(sa.func.avg(IkiPart.target_value)).where(*in_quarter)
        chosen = sa.case(
            (Iki.accumulation == "average", mean.scalar_subquery()),
            (Iki.accumulation == "last", last),
            else_=total.scalar_subquery(),
        )
    return sa.case(
        (Iki.target_kind != "number", sa.null()),
        else_=sa.func.coalesce(sa.cast(chosen, Iki.target_value.type), Iki.target_value),
    )


def _link_same_quarter(period: Period, copied: list[tuple[int, int, int | None]]) -> None:
    """Point quarter RHK links at the atasan's RHK of this quarter, where it exists.

    `copied` holds (annual RHK id, its quarter copy's id, the annual link) of the RHK
    just copied. Whichever of the two SKP opened first: the copies take the atasan's
    quarter copy of the annual RHK they support, and quarter RHK already linked to an
    annual RHK copied now take that copy. Plain lookups on indexed columns, filtered
    here, then one UPDATE through the primary key: right after the bulk inserts the planner's
    statistics are stale, and a correlated subquery over the period's appraisals then
    runs once per row (quadratic).
    """
    copy_of: dict[int, int] = {}
    for source, new_id, _ in copied:
        copy_of[source] = min(new_id, copy_of.get(source, new_id))
    new_ids = {new_id for _, new_id, _ in copied}
    earlier = {link for _, _, link in copied if link is not None and link not in copy_of}
    copy = sa.orm.aliased(Rhk)
    for batch in _batches(earlier):
        for copy_id, source, period_id in db.session.execute(
            sa.select(copy.id, copy.source_rhk_id, Appraisal.period_id)
            .join(Appraisal, Appraisal.id == copy.appraisal_id)
            .where(copy.source_rhk_id.in_(batch))
        ):
            if period_id == period.id:
                copy_of[source] = min(copy_id, copy_of.get(source, copy_id))
    updates = {
        new_id: copy_of[link] for _, new_id, link in copied if link is not None and link in copy_of
    }
    for batch in _batches({source for source, _, _ in copied}):
        for rhk_id, link, period_id in db.session.execute(
            sa.select(Rhk.id, Rhk.atasan_rhk_id, Appraisal.period_id)
            .join(Appraisal, Appraisal.id == Rhk.appraisal_id)
            .where(Rhk.atasan_rhk_id.in_(batch))
        ):
            if period_id == period.id and rhk_id not in new_ids:
                updates[rhk_id] = copy_of[link]
    if updates:
        # One UPDATE joined to the pairs as VALUES (a CTE, as in the IKI copy): the
        # planner knows their number and goes through the primary key; an executemany
        # was one round trip per row.
        links = _id_map("links", updates.items())
        db.session.execute(
            sa.update(Rhk)
            .add_cte(links)
            .where(Rhk.id == links.c.old_id)
            .values(atasan_rhk_id=links.c.new_id)
            .execution_options(synchronize_session=False)
        )


def _batches(ids: set[int], size: int = 1000) -> list[list[int]]:
    """`ids` in sorted lists of at most `size` (an IN list each, read through an index)."""
    ordered = sorted(ids)
    return [ordered[start : start + size] for start in range(0, len(ordered), size)]
