"""Past years of finished appraisals (`flask seed-demo --employees N --history-years Y`).

For each of the Y years before this one: the annual period and Triwulan I-IV,
closed, and for each of them one final SKP per employee who has one this year
(same OPD, position and appraiser), with ratings and the predikat the matrix
reads from them, spread deterministically (mostly Baik, a few of each other).
25,000 employees and five years give 625,000 appraisals: the scale at which
DESIGN.md §7 wants the pages as fast as with none.

Written set-based, one INSERT ... SELECT per period from this year's appraisals:
the rows never leave the server, which beats even COPY (app/seed/skm_city.py),
where every row crosses the connection. The summary triggers (appraisal_count,
progress_count) run once per statement on PostgreSQL, grouping the 25,000 rows
into a few hundred deltas; the deltas are then compacted. Idempotent: a period
(year, kind) that exists is left alone.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import Appraisal, Period
from app.models.appraisal import latest_segment

QUARTERS = {"tw1": (1, 3), "tw2": (4, 6), "tw3": (7, 9), "tw4": (10, 12)}
QUARTER_NAMES = {"tw1": "I", "tw2": "II", "tw3": "III", "tw4": "IV"}
# (hasil kerja, perilaku kerja, predikat) by a hash of employee and period out of 20:
# 3 Sangat Baik, 13 Baik, 2 Butuh Perbaikan, 1 Kurang, 1 Sangat Kurang.
SPREAD = (
    (3, "di_atas", "di_atas", "sangat_baik"),
    (16, "sesuai", "sesuai", "baik"),
    (18, "di_bawah", "sesuai", "butuh_perbaikan"),
    (19, "sesuai", "di_bawah", "kurang"),
    (20, "di_bawah", "di_bawah", "sangat_kurang"),
)


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _period(year: int, kind: str) -> Period | None:
    """The closed period (year, kind), created; None if it existed already."""
    if db.session.scalar(sa.select(Period.id).where(Period.year == year, Period.kind == kind)):
        return None
    if kind == "annual":
        start, end, name = date(year, 1, 1), date(year, 12, 31), f"SKP Tahunan {year}"
    else:
        first, last = QUARTERS[kind]
        start = date(year, first, 1)
        end = date(year + (last == 12), last % 12 + 1, 1) - timedelta(days=1)
        name = f"Triwulan {QUARTER_NAMES[kind]} {year}"
    period = Period(
        name=name,
        year=year,
        kind=kind,
        start_date=start,
        end_date=end,
        plan_deadline=min(start + timedelta(days=30), end),
        assessment_deadline=end + timedelta(days=15),
        status="closed",
        workflow="skp_annual" if kind == "annual" else "skp_periodic",
    )
    db.session.add(period)
    db.session.flush()
    return period


def _fill(period: Period, source: int) -> int:
    """One final appraisal per employee with a current one in `source`; how many."""
    done = datetime.combine(period.end_date + timedelta(days=20), datetime.min.time(), UTC)
    slot = (Appraisal.employee_id * 37 + period.id * 11) % 20
    hk, pk, predikat = (
        sa.case(*[(slot < bound, sa.literal(row[i])) for bound, *row in SPREAD[:-1]],
                else_=sa.literal(SPREAD[-1][i + 1]))
        for i in range(3)
    )  # fmt: skip
    columns = {
        "employee_id": Appraisal.employee_id,
        "period_id": sa.literal(period.id),
        "segment": sa.literal(1),
        "start_date": sa.literal(period.start_date),
        "end_date": sa.literal(period.end_date),
        "position_id": Appraisal.position_id,
        "position_name": Appraisal.position_name,
        "opd_id": Appraisal.opd_id,
        "appraiser_id": Appraisal.appraiser_id,
        "appraiser_acting": Appraisal.appraiser_acting,
        "workflow": sa.literal(period.workflow),
        "state": sa.literal("final"),
        "version": sa.literal(6),
        "finalised_at": sa.literal(done, Appraisal.finalised_at.type),
        "result_received_at": sa.literal(done, Appraisal.result_received_at.type),
        "rating_hk": hk,
        "rating_pk": pk,
        "predikat": predikat,
        "rated_by_id": Appraisal.appraiser_id,
        "created_at": sa.literal(done, Appraisal.created_at.type),
        "updated_at": sa.literal(done, Appraisal.updated_at.type),
    }
    query = sa.select(*columns.values()).where(Appraisal.period_id == source, latest_segment())
    result = db.session.execute(sa.insert(Appraisal).from_select(list(columns), query))
    return result.rowcount


def seed_history(years: int, *, this_year: int | None = None) -> str:
    """Add `years` past years of finished appraisals, committing per year; a line to print."""
    from app.dashboard import progress_counts, summary

    this_year = this_year or date.today().year
    source = db.session.scalar(
        sa.select(Period.id)
        .where(Period.kind == "annual", Period.year == this_year)
        .order_by(Period.id)
    )
    if source is None:
        return f"History: no annual period {this_year} to copy the employees from."
    started, added = time.perf_counter(), 0
    for year in range(this_year - years, this_year):
        for kind in ("annual", *QUARTERS):
            period = _period(year, kind)
            if period is not None:
                added += _fill(period, source)
        db.session.commit()
        _progress(f"  history {year}: {added:,} appraisals so far")
    summary.compact()
    progress_counts.compact()
    db.session.commit()
    seconds = time.perf_counter() - started
    return f"History: {added:,} finished appraisals in {years} past years ({seconds:.1f} s)."
