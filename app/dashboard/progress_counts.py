"""The monitor's summary rows: what they key, why, and their recount, repair and compaction.

What the monitor reads (app.monitoring.progress): per OPD, per unit and per
appraiser, how many SKP stand in each step, how many open tasks are past due,
since when the oldest waits, and who holds them. Each figure is read from rows
of insert-only deltas, kept by triggers in the same transaction as the change
(migration 9d4a6e2c7b15), never from the appraisals themselves:

- the city view: appraisal_count (period, OPD, state, predikat; app.dashboard.summary),
  at most a few hundred rows per period once compacted;
- `progress_count` (period, OPD, unit, appraiser, state): counted like
  appraisal_count (one per employee, their latest segment, not excluded from
  planning). An OPD view reads its OPD's rows (index on period, OPD), a team view
  its appraisers' (index on period, appraiser): once compacted, about one row per
  appraiser and step, because an appraiser's staff sit in one unit or two.
  The unit is the appraisal's position's unit, and the appraiser the one on the
  appraisal, as the reference queries read them;
- `open_task_count` (period, OPD, unit, appraiser, holder, role, opened_on,
  due_on): the open tasks of appraisals (a pengaduan's tasks are not counted),
  of every segment, as the reference does: who holds them (`holders`). The days
  are kept, not an overdue flag, because "overdue" changes with the date and
  not with a write: overdue is the sum where due_on < today, the oldest wait the
  least opened_on whose group is non-zero. The holder is coalesce(claimed_by,
  assignee): None for a group task nobody has claimed. At a period's opening
  every appraisee holds one task, so this is about one row per open task: the
  city's holders sum the period's open tasks (bounded by the period, not by the
  years of history, but tens of milliseconds for 25,000 open tasks);
- `task_day_count` (period, OPD, unit, appraiser, opened_on, due_on): the same
  tasks summed over holder and role, written by the same triggers in the same
  statements. Overdue and the oldest wait per OPD, unit or appraiser read this:
  about one row per appraiser and day (25,000 open tasks at opening: ~800 rows),
  where open_task_count would give one per appraisee.

Every read filters on the period first, so the cost is the same at 25,000
appraisals as at 625,000 (five years): closed periods add rows nobody reads.

Why triggers, not calls in the services: appraisals and tasks are written from
many places (engine.fire, period opening's INSERT ... SELECT, segments,
reassignment, claims, seeds, deletes); a trigger cannot be forgotten. The
appraisal's keys that group its open tasks (OPD, appraiser, position) move
them when they change; a position moving to another unit moves the counts of
its appraisals in every period (the reference reads the position's unit as it
is now), found through the index on appraisal.position_id. Whatever the
triggers cannot see (rows written with triggers disabled, a restore of one
table) shows as drift: `drift()` compares with a fresh recount and `repair()`
inserts the correcting deltas (`flask dashboard counts [--repair]`).
Why deltas and compaction: as for appraisal_count (app.dashboard.summary): no
row is shared between writers, and `compact()` folds them every minute.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa

from app.extensions import db
from app.models import (
    Appraisal,
    OpenTaskCount,
    PlanningExclusion,
    Position,
    ProgressCount,
    Task,
    TaskDayCount,
)
from app.models.appraisal import latest_segment

PROGRESS_KEYS = ("period_id", "opd_id", "unit_id", "appraiser_id", "state")
TASK_KEYS = (
    "period_id",
    "opd_id",
    "unit_id",
    "appraiser_id",
    "holder_id",
    "role",
    "opened_on",
    "due_on",
)
DAY_KEYS = ("period_id", "opd_id", "unit_id", "appraiser_id", "opened_on", "due_on")
TABLES = {ProgressCount: PROGRESS_KEYS, OpenTaskCount: TASK_KEYS, TaskDayCount: DAY_KEYS}


@dataclass(frozen=True)
class Drift:
    """A group of a summary table whose sum differs from the recount."""

    table: str
    key: tuple
    summary: int
    actual: int


def _opened_on() -> sa.ColumnElement:
    # The UTC day of the naive-UTC timestamp, as the triggers compute it.
    if db.session.get_bind().dialect.name == "postgresql":
        return sa.cast(Task.opened_at, sa.Date)
    return sa.func.date(Task.opened_at, type_=sa.Date)


def recount_progress(period_id: int | None = None) -> Counter[tuple]:
    """progress_count's groups from the appraisals themselves (the scan the summary saves)."""
    columns = [
        Appraisal.period_id,
        Appraisal.opd_id,
        Position.unit_id,
        Appraisal.appraiser_id,
        Appraisal.state,
    ]
    excluded = sa.exists().where(
        PlanningExclusion.employee_id == Appraisal.employee_id,
        PlanningExclusion.period_id == Appraisal.period_id,
    )
    query = (
        sa.select(*columns, sa.func.count())
        .select_from(Appraisal)
        .outerjoin(Position, Position.id == Appraisal.position_id)
        .where(latest_segment(), ~excluded)
    )
    if period_id is not None:
        query = query.where(Appraisal.period_id == period_id)
    return Counter({tuple(key): n for *key, n in db.session.execute(query.group_by(*columns))})


def recount_tasks(period_id: int | None = None) -> Counter[tuple]:
    """open_task_count's groups from the open tasks and their appraisals."""
    columns = [
        Appraisal.period_id,
        Appraisal.opd_id,
        Position.unit_id,
        Appraisal.appraiser_id,
        sa.func.coalesce(Task.claimed_by_id, Task.assignee_id),
        Task.role,
        _opened_on(),
        Task.due_date,
    ]
    query = (
        sa.select(*columns, sa.func.count())
        .select_from(Task)
        .join(Appraisal, Appraisal.id == Task.appraisal_id)
        .outerjoin(Position, Position.id == Appraisal.position_id)
        .where(Task.closed_at.is_(None))
    )
    if period_id is not None:
        query = query.where(Appraisal.period_id == period_id)
    return Counter({tuple(key): n for *key, n in db.session.execute(query.group_by(*columns))})


def recount_days(period_id: int | None = None) -> Counter[tuple]:
    """task_day_count's groups: the open tasks' groups summed over holder and role."""
    days: Counter[tuple] = Counter()
    for key, n in recount_tasks(period_id).items():
        days[key[:4] + key[6:]] += n
    return days


RECOUNT = {
    ProgressCount: recount_progress,
    OpenTaskCount: recount_tasks,
    TaskDayCount: recount_days,
}


def summed(model: type, period_id: int | None = None) -> Counter[tuple]:
    """The non-zero groups the summary table `model` gives."""
    columns = [getattr(model, key) for key in TABLES[model]]
    query = sa.select(*columns, sa.func.sum(model.delta))
    if period_id is not None:
        query = query.where(model.period_id == period_id)
    rows = db.session.execute(query.group_by(*columns))
    return Counter({tuple(key): int(n) for *key, n in rows if n})


def _hold_writers() -> None:
    # As app.dashboard.summary: on PostgreSQL, wait for the writers of deltas and keep
    # new ones out until our commit, so that the recount and the sums see the same rows.
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            sa.text(
                "LOCK TABLE progress_count, open_task_count, task_day_count"
                " IN SHARE ROW EXCLUSIVE MODE"
            )
        )


def drift(period_id: int | None = None) -> list[Drift]:
    """Every group of either table whose sum differs from a fresh recount (none, if exact)."""
    _hold_writers()
    found = []
    for model, recount in RECOUNT.items():
        actual, summary = recount(period_id), summed(model, period_id)
        found += [
            Drift(model.__tablename__, key, summary[key], actual[key])
            for key in sorted(set(actual) | set(summary), key=repr)
            if actual[key] != summary[key]
        ]
    return found


def repair(period_id: int | None = None) -> list[Drift]:
    """Insert the deltas that make both tables equal the recount; return what was wrong."""
    found = drift(period_id)
    for model, keys in TABLES.items():
        rows = [
            {**dict(zip(keys, d.key, strict=True)), "delta": d.actual - d.summary}
            for d in found
            if d.table == model.__tablename__
        ]
        if rows:
            db.session.execute(sa.insert(model), rows)
    db.session.flush()
    return found


def compact() -> tuple[int, int]:
    """Fold both tables' deltas into one row per non-zero group; (rows before, rows after).

    As app.dashboard.summary.compact: the DELETE ... RETURNING sums exactly the rows
    it removed, so deltas committed meanwhile stay as they are. Flushes.
    """
    before = after = 0
    for model, keys in TABLES.items():
        columns = [getattr(model, key) for key in keys]
        removed = db.session.execute(sa.delete(model).returning(*columns, model.delta)).all()
        totals: Counter[tuple] = Counter()
        for *key, delta in removed:
            totals[tuple(key)] += delta
        rows = [{**dict(zip(keys, k, strict=True)), "delta": n} for k, n in totals.items() if n]
        if rows:
            db.session.execute(sa.insert(model), rows)
        before, after = before + len(removed), after + len(rows)
    db.session.flush()
    return before, after
