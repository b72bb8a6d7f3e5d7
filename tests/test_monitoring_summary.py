"""The monitor's figures read from summary rows equal the plain grouped queries, always."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.appraisals.services import reassign_appraiser
from app.dashboard import progress_counts, summary
from app.extensions import db
from app.inbox import services as inbox
from app.models import (
    Appraisal,
    Employee,
    Opd,
    OpenTaskCount,
    Period,
    Position,
    ProgressCount,
    Task,
    Unit,
)
from app.models.types import utcnow
from app.monitoring import progress
from app.periods.exclusions import exclude
from app.periods.opening import PeriodOpener
from app.periods.segments import start_segment
from app.workflow.engine import fire
from app.workflow.errors import StaleState
from app.workflow.tasks import open_task_of
from tests import monitoring_reference as reference
from tests.factories import make_employee, make_opd, make_period, make_position
from tests.test_dashboard_counts import OPERATIONS, _apply, _delete
from tests.workflow_helpers import appraisal_in_state

FAR = timedelta(days=400)  # a "today" when every open task is overdue


def _unit(opd: Opd, name: str) -> Unit:
    unit = Unit(opd_id=opd.id, name=name)
    db.session.add(unit)
    db.session.flush()
    return unit


def _grow(team: dict, other: Opd, size: int) -> None:
    """`size` more staff under the kasi and the kabid, and `size` in the other OPD."""
    opd = team["opd"]
    kasi, kabid = team["kasi"].employee.position, team["kabid"].employee.position
    units = db.session.scalars(sa.select(Unit).where(Unit.opd_id == opd.id).order_by(Unit.id))
    primer, sekretariat = list(units)[:2]
    head = db.session.scalar(
        sa.select(Position).where(Position.opd_id == other.id, Position.parent_id.is_(None))
    )
    start = db.session.scalar(sa.select(sa.func.count(Employee.id)))
    for n in range(start, start + size):
        post = make_position(opd, f"Pelaksana {n}", "pelaksana", kasi if n % 3 else kabid)
        post.unit_id = primer.id if n % 3 else (sekretariat.id if n % 2 else None)
        make_employee(f"Staf {n:03d}", post)
        make_employee(f"Guru {n:03d}", make_position(other, f"Guru {n}", "fungsional", head))
    db.session.flush()


@pytest.fixture
def city(team):
    """The team's OPD in units, a second OPD, a few more staff in each."""
    opd = team["opd"]
    primer, sekretariat = _unit(opd, "Seksi Pelayanan Primer"), _unit(opd, "Sekretariat")
    for key in ("kasi", "staf"):
        team[key].employee.position.unit_id = primer.id
    team["kabid"].employee.position.unit_id = sekretariat.id
    other = make_opd("DISDIK", "Dinas Pendidikan", "dinas")
    make_employee("Kadis Pendidikan", make_position(other, "Kepala Dinas Pendidikan", "jpt"))
    _grow(team, other, 6)
    db.session.commit()
    return team, other


def _appraisal(employee_id: int, period: Period) -> Appraisal:
    return db.session.scalars(
        sa.select(Appraisal)
        .where(Appraisal.employee_id == employee_id, Appraisal.period_id == period.id)
        .order_by(Appraisal.segment.desc())
    ).first()


def _staff(prefix: str, index: int) -> Employee:
    """The index-th employee whose name starts with `prefix` (Staf, Guru), by id."""
    query = sa.select(Employee).where(Employee.name.startswith(prefix)).order_by(Employee.id)
    return db.session.scalars(query).all()[index]


def _live_year(team: dict, other: Opd) -> Period:
    """A period opened, moved through several steps, claimed, reassigned, cut, deleted."""
    period = make_period()
    # Two SKP with complete content: one at verification, one a draft to submit.
    verifying = appraisal_in_state(team, period, "verification", "staf")
    drafting = appraisal_in_state(team, period, "draft", "staf2")
    PeriodOpener(period).run()
    fire(drafting, "submit_plan", team["staf2"], {})  # the engine: a task closed, one opened
    inbox.claim(open_task_of(verifying), team["verifikator"])  # the group task gets a holder
    # A task that has waited since last month (its day moves group).
    waiting = open_task_of(drafting)
    waiting.opened_at -= timedelta(days=30)
    waiting.due_date = date.today()
    # Reassignment: a restructure puts a staff post under the kabid; BKD re-points it.
    moved = _staff("Staf ", 1)  # under the kasi
    moved.position.parent_id = team["kabid"].employee.position_id
    db.session.flush()
    appraisal = _appraisal(moved.id, period)
    assert reassign_appraiser(appraisal, team["admin"], seen_version=appraisal.version)
    # An exclusion from planning (tugas belajar).
    excluded = _staff("Staf ", 2)
    exclude(excluded, period, "cltn", period.start_date, period.end_date, team["admin"])
    # A move mid-period: the first segment is cut short, the next one starts.
    mover = _staff("Staf ", 4)
    mover.position = make_position(
        team["opd"], "Analis Baru", "fungsional", team["kasi"].employee.position
    )
    mover.position.unit_id = team["kasi"].employee.position.unit_id
    db.session.flush()
    start_segment(mover, period, date(2026, 7, 1), team["admin"])
    # A position moves to another unit (all its appraisals with it).
    team["staf"].employee.position.unit_id = None
    # Deletes: an appraisal with its rows, and one open task.
    _delete(_appraisal(_staff("Guru ", 5).id, period).id)
    assert _appraisal(_staff("Guru ", 5).id, period) is None
    db.session.execute(
        sa.delete(Task).where(Task.id == open_task_of(_appraisal(_staff("Guru ", 3).id, period)).id)
    )
    # The other OPD's head verified by a verifier nobody has claimed yet.
    db.session.flush()
    db.session.commit()
    return period


def _holders_key(h: progress.Holder) -> tuple:
    return (-h.waiting, h.oldest_since, h.name or "", h.role, h.employee_id or 0)


def _same_holders(got: list, expected: list, limit: int) -> None:
    # Ties in (waiting, oldest, name) are in no fixed order, in the reference too.
    assert [_holders_key(h)[:3] for h in got] == [_holders_key(h)[:3] for h in expected]
    if len(expected) < limit:
        assert sorted(got, key=_holders_key) == sorted(expected, key=_holders_key)


def _assert_equal_to_the_reference(team: dict, other: Opd, period: Period) -> None:
    for today in (date.today(), date.today() + timedelta(days=1), date.today() + FAR):
        assert progress.city_rows(period, today) == reference.reference_city_rows(period, today)
        for opd_id in (team["opd"].id, other.id):
            assert progress.opd_rows(period, opd_id, today) == reference.reference_opd_rows(
                period, opd_id, today
            )
        for key in ("kadis", "kabid", "kasi", "staf"):
            atasan = team[key].employee_id
            assert progress.team_rows(period, atasan, today) == reference.reference_team_rows(
                period, atasan, today
            )
        team_ids = progress.team_appraisers(team["kabid"].employee_id)
        for where in ({}, {"opd_id": team["opd"].id}, {"appraiser_ids": team_ids}):
            for limit in (20, 3):
                _same_holders(
                    progress.holders(period, today, limit=limit, **where),
                    reference.reference_holders(period, today, limit=limit, **where),
                    limit,
                )


def test_every_figure_equals_the_reference_after_a_real_year(app, city):
    team, other = city
    period = _live_year(team, other)
    rows = progress.opd_rows(period, team["opd"].id, date.today())
    # The sequence did what it says: units, the waiting task, the group task claimed.
    assert {row.label for row in rows} >= {"Seksi Pelayanan Primer", "Sekretariat", ""}
    held = progress.holders(period, date.today() + FAR, opd_id=team["opd"].id)
    assert any(h.name == "Verifikator Harahap" and h.role == "verifikator_bkd" for h in held)
    assert any(h.oldest_since <= date.today() - timedelta(days=30) for h in held)
    _assert_equal_to_the_reference(team, other, period)
    assert progress_counts.drift() == []


def test_compaction_keeps_every_figure(app, city):
    team, other = city
    period = _live_year(team, other)
    before, after = progress_counts.compact()
    summary.compact()
    db.session.commit()
    assert before > after > 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProgressCount)) == len(
        progress_counts.summed(ProgressCount)
    )
    _assert_equal_to_the_reference(team, other, period)
    assert progress_counts.drift() == []


def test_drift_is_found_and_repaired_by_the_command(app, city):
    team, other = city
    period = _live_year(team, other)
    unit = db.session.scalar(sa.select(Unit.id).where(Unit.name == "Sekretariat"))
    db.session.add(
        ProgressCount(
            period_id=period.id, opd_id=team["opd"].id, unit_id=unit, state="final", delta=4
        )
    )
    db.session.execute(sa.delete(OpenTaskCount).where(OpenTaskCount.role == "verifikator_bkd"))
    db.session.commit()
    found = {(d.table, d.summary, d.actual) for d in progress_counts.drift()}
    assert ("progress_count", 4, 0) in found and ("open_task_count", 0, 1) in found
    runner = app.test_cli_runner()
    checked = runner.invoke(args=["dashboard", "counts"])
    assert checked.exit_code == 1 and "progress_count" in checked.output
    fixed = runner.invoke(args=["dashboard", "counts", "--repair", "--compact"])
    assert fixed.exit_code == 0 and "(repaired)" in fixed.output
    db.session.expire_all()
    assert progress_counts.drift() == []
    assert runner.invoke(args=["dashboard", "counts"]).output.strip() == "summary rows are exact"
    _assert_equal_to_the_reference(team, other, period)


def test_the_schedule_compacts_the_monitor_rows_too(app, city):
    from datetime import UTC, datetime

    from tests.queue_helpers import run_schedule_at

    team, other = city
    period = _live_year(team, other)
    sums = progress_counts.summed(OpenTaskCount)
    ran = run_schedule_at(app, datetime(2026, 3, 9, 10, 5, tzinfo=UTC).timestamp())
    assert "dashboard.compact_counts" in ran
    rows = db.session.scalar(sa.select(sa.func.count()).select_from(OpenTaskCount))
    assert rows == len(sums) and progress_counts.summed(OpenTaskCount) == sums
    _assert_equal_to_the_reference(team, other, period)


def _statements(call) -> list[str]:
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    db.session.commit()
    db.session.expire_all()
    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    return seen


def _calls(team: dict, period: Period) -> dict:
    # The period is loaded before counting: a page has it already.
    period = db.session.get(Period, period.id)
    today = date.today() + FAR
    kabid = team["kabid"].employee_id
    return {
        "city": lambda: progress.city_rows(period, today),
        "opd": lambda: progress.opd_rows(period, team["opd"].id, today),
        "team": lambda: progress.team_rows(period, kabid, today),
        "holders": lambda: progress.holders(period, today, opd_id=team["opd"].id),
    }


def test_statements_stay_the_same_when_the_city_and_its_history_grow(app, city):
    team, other = city
    period = _live_year(team, other)
    small = {name: _statements(call) for name, call in _calls(team, period).items()}
    # Three times the organisation, and a second period of history, all finished.
    _grow(team, other, 12)
    past = make_period(2025)
    PeriodOpener(past).run()
    db.session.execute(sa.update(Task).where(Task.closed_at.is_(None)).values(closed_at=utcnow()))
    db.session.execute(
        sa.update(Appraisal).where(Appraisal.period_id == past.id).values(state="final")
    )
    PeriodOpener(period).run()
    db.session.commit()
    large = {name: _statements(call) for name, call in _calls(team, period).items()}
    for name, statements in small.items():
        assert len(large[name]) == len(statements), name
        # Summary rows, not the appraisals, are grouped.
        assert not [s for s in statements if re.search(r"\bFROM appraisal\b(?!_)", s)], name
    _assert_equal_to_the_reference(team, other, period)


TASK_OPERATIONS = st.one_of(
    OPERATIONS,
    st.tuples(st.just("claim"), st.integers(0, 99), st.booleans()),
    st.tuples(st.just("unit"), st.integers(0, 99), st.booleans()),
    st.tuples(st.just("close"), st.integers(0, 99)),
)


def _apply_task_op(op: tuple, team: dict) -> None:
    kind, index, *rest = op
    tasks = db.session.scalars(sa.select(Task).order_by(Task.id)).all()
    if kind == "unit":  # a position moves to another unit (or to none)
        positions = db.session.scalars(sa.select(Position).order_by(Position.id)).all()
        units = db.session.scalars(sa.select(Unit.id).order_by(Unit.id)).all()
        positions[index % len(positions)].unit_id = units[index % len(units)] if rest[0] else None
    elif tasks and kind == "claim":  # a holder taken or given back
        task = tasks[index % len(tasks)]
        task.claimed_by_id = team["verifikator"].employee_id if rest[0] else None
    elif tasks and kind == "close":
        tasks[index % len(tasks)].closed_at = utcnow()
    db.session.flush()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(TASK_OPERATIONS, min_size=1, max_size=10), keep=st.booleans())
def test_the_monitor_rows_equal_a_recount_after_any_writes(app, city, operations, keep):
    team, other = city
    periods = list(db.session.scalars(sa.select(Period).order_by(Period.id)))
    if not periods:
        periods = [make_period(2026), make_period(2026, "tw1", "skp_periodic")]
    opds = [team["opd"].id, other.id]
    for op in operations:
        try:
            if op[0] in ("claim", "unit", "close"):
                _apply_task_op(op, team)
            else:
                _apply(op, periods, opds, team["admin"])
        except StaleState:
            db.session.rollback()
    assert progress_counts.drift() == []
    db.session.commit() if keep else db.session.rollback()
    assert progress_counts.drift() == []


def test_history_adds_finished_years_and_leaves_this_years_figures(app, city):
    from app.seed.history import seed_history

    team, other = city
    period = _live_year(team, other)
    today = date.today() + FAR
    before = (progress.city_rows(period, today), progress.opd_rows(period, other.id, today))
    employees = sum(summary.recount(period.id).values())
    excluded = 1  # the exclusion above: a latest segment, not counted, but copied
    assert "History:" in seed_history(2, this_year=2026)
    assert seed_history(2, this_year=2026).startswith("History: 0 ")  # idempotent
    past = db.session.scalars(sa.select(Period).where(Period.year < 2026)).all()
    assert sorted((p.year, p.kind) for p in past) == sorted(
        (year, kind) for year in (2024, 2025) for kind in ("annual", "tw1", "tw2", "tw3", "tw4")
    )
    assert {p.status for p in past} == {"closed"}
    finals = summary.summed()
    for p in past:
        counts = [(key[2:], n) for key, n in finals.items() if key[0] == p.id]
        assert sum(n for _, n in counts) == employees + excluded
        assert {state for (state, _), _ in counts} == {"final"}
        assert None not in {predikat for (_, predikat), _ in counts}
    assert summary.drift() == [] and progress_counts.drift() == []
    assert (progress.city_rows(period, today), progress.opd_rows(period, other.id, today)) == before
