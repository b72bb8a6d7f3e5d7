"""Appraisal counts per (period, OPD, state, predikat): read from summary rows, never a scan.

What is counted: one per employee, by their latest SKP segment (the one running
to the period's end; earlier segments were cut short by a move), leaving out the
employees excluded from planning (tugas belajar, CLTN, ...), as the dashboard
always counted (app.models.appraisal.latest_segment, app.periods.exclusions).

How it is kept exact: triggers on appraisal, planning_exclusion and period write
the change into appraisal_count in the same transaction as the change itself
(migration 7c3f9a1d2e84). Triggers rather than calls in each service because
appraisal rows are written from many places (engine.fire via
workflow.locking.versioned_update, the bulk INSERT ... SELECT of period opening,
segments cutting the previous one short, ratings setting predikat, keberatan
decisions, reassignment, seeds and test factories, deletes): a trigger cannot be
forgotten by the next writer. On PostgreSQL they are statement-level with
transition tables, so opening 5,000 appraisals in one INSERT adds a handful of
grouped rows, not 5,000; on SQLite (development) they are row-level.

Why insert-only deltas rather than UPDATE counters: a counter row per (period,
OPD, state) stays locked from a step's UPDATE until its commit, so every step of
the same OPD and state queues behind the one before; and two steps crossing
(A: draft -> plan_review while B: plan_review -> draft) lock the same two rows
in opposite orders and deadlock. Measured with bench/dashboard_counts (8
writers stepping random appraisals of one 200,000-appraisal OPD, 10 ms of other
work inside each transaction, a loaded 2-core machine; docs/scale.md):

    insert-only deltas             ~560-600 steps/s, p50 13-14 ms, p95 16-18 ms
    counters, rows in fixed order  ~175 steps/s,     p50 35 ms,    p95 117-120 ms
    counters, rows in step order   ~7-8 steps/s,     p95 3 s, 25-29 deadlocks in 15 s

A delta row is a plain INSERT: no row is shared, nothing waits
(tests/test_dashboard_counts.py runs two steps of one OPD at once, each holding
its transaction open until the other has written). The price is on the read:
it sums the group's rows, the compacted ones (a few dozen per OPD) plus the
deltas since; 50,000 uncompacted rows of one OPD took 49 ms, a compacted OPD
0.2-0.5 ms. `compact()` folds them into one row per group every minute (the
`dashboard.compact_counts` periodic task), which bounds the deltas by a
minute's steps. `drift()` and `repair()` compare with a fresh recount and
insert the correcting deltas (`flask dashboard counts [--repair] [--compact]`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa

from app.extensions import db
from app.models import Appraisal, AppraisalCount, PlanningExclusion
from app.models.appraisal import latest_segment

Key = tuple[int, int | None, str, str | None]  # period, OPD, state, predikat


@dataclass(frozen=True)
class Drift:
    """A group whose summary differs from the recount."""

    period_id: int
    opd_id: int | None
    state: str
    predikat: str | None
    summary: int
    actual: int


def opd_counts(period_id: int, opd_id: int) -> dict[tuple[str, str | None], int]:
    """The OPD's counts per (state, predikat) in the period: one statement over its summary rows."""
    rows = db.session.execute(
        sa.select(AppraisalCount.state, AppraisalCount.predikat, sa.func.sum(AppraisalCount.delta))
        .where(AppraisalCount.period_id == period_id, AppraisalCount.opd_id == opd_id)
        .group_by(AppraisalCount.state, AppraisalCount.predikat)
        .having(sa.func.sum(AppraisalCount.delta) != 0)
    )
    return {(state, predikat): int(count) for state, predikat, count in rows}


def recount(period_id: int | None = None) -> Counter[Key]:
    """The counts from the appraisal rows themselves (the scan the summary saves)."""
    columns = [Appraisal.period_id, Appraisal.opd_id, Appraisal.state, Appraisal.predikat]
    excluded = sa.exists().where(
        PlanningExclusion.employee_id == Appraisal.employee_id,
        PlanningExclusion.period_id == Appraisal.period_id,
    )
    query = sa.select(*columns, sa.func.count()).where(latest_segment(), ~excluded)
    if period_id is not None:
        query = query.where(Appraisal.period_id == period_id)
    return Counter({tuple(key): n for *key, n in db.session.execute(query.group_by(*columns))})


def summed(period_id: int | None = None) -> Counter[Key]:
    """The counts the summary rows give."""
    columns = [
        AppraisalCount.period_id,
        AppraisalCount.opd_id,
        AppraisalCount.state,
        AppraisalCount.predikat,
    ]
    query = sa.select(*columns, sa.func.sum(AppraisalCount.delta))
    if period_id is not None:
        query = query.where(AppraisalCount.period_id == period_id)
    rows = db.session.execute(query.group_by(*columns))
    return Counter({tuple(key): int(n) for *key, n in rows if n})


def _hold_writers() -> None:
    # On PostgreSQL, wait for the transactions that wrote deltas and keep new ones
    # out until our commit, so that the recount and the sum see the same changes
    # (the triggers' INSERT takes ROW EXCLUSIVE, which SHARE ROW EXCLUSIVE blocks).
    # SQLite has one writer at a time anyway.
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("LOCK TABLE appraisal_count IN SHARE ROW EXCLUSIVE MODE"))


def drift(period_id: int | None = None) -> list[Drift]:
    """Every group whose summary differs from a fresh recount (none, if the triggers held)."""
    _hold_writers()
    actual, summary = recount(period_id), summed(period_id)
    return [
        Drift(*key, summary=summary[key], actual=actual[key])
        for key in sorted(set(actual) | set(summary), key=repr)
        if actual[key] != summary[key]
    ]


def repair(period_id: int | None = None) -> list[Drift]:
    """Insert the deltas that make the summary equal the recount; return what was wrong."""
    found = drift(period_id)
    if found:
        db.session.execute(
            sa.insert(AppraisalCount),
            [
                {
                    "period_id": d.period_id,
                    "opd_id": d.opd_id,
                    "state": d.state,
                    "predikat": d.predikat,
                    "delta": d.actual - d.summary,
                }
                for d in found
            ],
        )
    db.session.flush()
    return found


def compact() -> tuple[int, int]:
    """Fold the delta rows into one row per non-zero group; returns (rows before, rows after).

    The DELETE ... RETURNING sums exactly the rows it removed: deltas committed
    meanwhile by others are not among them and stay as they are. Flushes.
    """
    removed = db.session.execute(
        sa.delete(AppraisalCount).returning(
            AppraisalCount.period_id,
            AppraisalCount.opd_id,
            AppraisalCount.state,
            AppraisalCount.predikat,
            AppraisalCount.delta,
        )
    ).all()
    totals: Counter[Key] = Counter()
    for *key, delta in removed:
        totals[tuple(key)] += delta
    rows = [
        {"period_id": k[0], "opd_id": k[1], "state": k[2], "predikat": k[3], "delta": n}
        for k, n in totals.items()
        if n
    ]
    if rows:
        db.session.execute(sa.insert(AppraisalCount), rows)
    db.session.flush()
    return len(removed), len(rows)
