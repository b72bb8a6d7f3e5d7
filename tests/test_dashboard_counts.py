"""The dashboard's summary rows stay equal to a recount, whatever writes the appraisals."""

import contextlib
import threading
from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from app.dashboard import summary
from app.dashboard.services import opd_progress
from app.extensions import db
from app.models import Account, Appraisal, AppraisalCount, Employee, Period, PlanningExclusion
from app.models.types import utcnow
from app.periods.exclusions import exclude
from app.periods.opening import PeriodOpener
from app.periods.segments import SegmentRefused, current_segment, start_segment
from app.workflow.engine import engine, fire
from app.workflow.errors import StaleState
from app.workflow.locking import move_state, versioned_update
from tests.factories import make_employee, make_opd, make_period, make_position
from tests.workflow_helpers import appraisal_in_state

PREDIKAT = (None, "sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang")


def _exact(period_id: int | None = None) -> None:
    assert summary.summed(period_id) == summary.recount(period_id)
    assert summary.drift(period_id) == []


@pytest.fixture
def city(team):
    """The team's OPD plus a second one, with a few more employees in each."""
    other = make_opd("DISDIK", "Dinas Pendidikan", "dinas")
    head = make_position(other, "Kepala Dinas Pendidikan", "jpt")
    make_employee("Kadis Pendidikan", head)
    for n in range(4):
        make_employee(f"Guru {n}", make_position(other, f"Guru {n}", "fungsional", head))
        make_employee(
            f"Staf {n}",
            make_position(
                team["opd"], f"Pelaksana {n}", "pelaksana", team["kasi"].employee.position
            ),
        )
    db.session.commit()
    return team, other


def _pick(index: int) -> Appraisal | None:
    rows = db.session.scalars(sa.select(Appraisal).order_by(Appraisal.id)).all()
    return rows[index % len(rows)] if rows else None


OPERATIONS = st.one_of(
    st.tuples(st.just("open"), st.integers(0, 2)),
    st.tuples(st.just("move"), st.integers(0, 99), st.integers(0, 99)),
    st.tuples(st.just("rate"), st.integers(0, 99), st.sampled_from(PREDIKAT)),
    st.tuples(st.just("reassign"), st.integers(0, 99), st.booleans()),
    st.tuples(st.just("segment"), st.integers(0, 99), st.integers(1, 60)),
    st.tuples(st.just("exclude"), st.integers(0, 99), st.booleans()),
    st.tuples(st.just("delete"), st.integers(0, 99)),
    st.tuples(st.just("period_end"), st.integers(0, 2), st.integers(-3, 3)),
)


def _delta_rows() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AppraisalCount))


def _delete(appraisal_id: int) -> None:
    """Delete the appraisal and the rows that point at it, where the database allows it."""
    try:
        with db.session.begin_nested():
            for table in reversed(db.metadata.sorted_tables):
                for fk in table.foreign_keys:
                    if fk.column is Appraisal.__table__.c.id:
                        db.session.execute(table.delete().where(fk.parent == appraisal_id))
            db.session.execute(sa.delete(Appraisal).where(Appraisal.id == appraisal_id))
    except sa.exc.DBAPIError:  # a foreign key, or the append-only audit trail, refuses
        pass


def _apply(op: tuple, periods: list[Period], opds: list[int], admin: Account) -> None:
    kind, index, *rest = op
    if kind == "open":
        # Period opening's bulk INSERT ... SELECT (a third period opens nothing new).
        PeriodOpener(periods[index % len(periods)]).run()
        return
    if kind == "period_end":  # the period's last day moves: which segment runs to it changes
        period = periods[index % len(periods)]
        period.end_date += timedelta(days=rest[0])
        db.session.flush()
        return
    appraisal = _pick(index)
    if appraisal is None:
        return
    if kind == "move":  # the engine's own UPDATE (engine.fire -> move_state)
        states = list(engine().spec(appraisal.workflow).states)
        dest = states[rest[0] % len(states)]
        move_state(appraisal, appraisal.state, dest, appraisal.version, utcnow(), final=False)
    elif kind == "rate":  # a review's rating or a keberatan decision sets the predikat
        versioned_update(appraisal, appraisal.version, {"predikat": rest[0]}, bump=False)
    elif kind == "reassign":  # the appraisal moves to another OPD (or to none)
        target = opds[1] if appraisal.opd_id == opds[0] else opds[0]
        versioned_update(appraisal, appraisal.version, {"opd_id": target if rest[0] else None})
    elif kind == "segment":
        employee = db.session.get(Employee, appraisal.employee_id)
        current = current_segment(employee.id, appraisal.period_id)
        if current.end_date != appraisal.period.end_date:
            return  # its later segment was deleted above: nothing runs to the period's end
        move = current.start_date + timedelta(days=rest[0])
        with contextlib.suppress(SegmentRefused):
            start_segment(employee, appraisal.period, move, admin)
    elif kind == "exclude":
        found = db.session.scalar(
            sa.select(PlanningExclusion).filter_by(
                employee_id=appraisal.employee_id, period_id=appraisal.period_id
            )
        )
        if found is not None:
            db.session.delete(found)
        elif rest[0]:
            period = appraisal.period
            employee = db.session.get(Employee, appraisal.employee_id)
            exclude(employee, period, "cltn", period.start_date, period.end_date, admin)
    elif kind == "delete":
        _delete(appraisal.id)
    db.session.flush()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(OPERATIONS, min_size=1, max_size=12), keep=st.booleans())
def test_summary_equals_a_recount_after_any_writes(app, city, operations, keep):
    team, other = city
    periods = list(db.session.scalars(sa.select(Period).order_by(Period.id)))
    if not periods:
        periods = [make_period(2026), make_period(2026, "tw1", "skp_periodic")]
    opds = [team["opd"].id, other.id]
    for op in operations:
        written = _delta_rows()
        try:
            _apply(op, periods, opds, team["admin"])
        except StaleState:
            db.session.rollback()
        if _delta_rows() != written:  # --hypothesis-show-statistics: which kinds count
            event(f"{op[0]} wrote deltas")
    _exact()
    # A rolled-back transaction takes its deltas with it; a committed one keeps them.
    db.session.commit() if keep else db.session.rollback()
    _exact()


def test_the_dashboard_counts_follow_real_steps_and_exclusions(app, team):
    # (Filling the SKP also gives the kasi an appraisal: the counts are compared, not fixed.)
    period = make_period()
    draft = appraisal_in_state(team, period, "draft")
    appraisal_in_state(team, period, "final", employee_key="staf2")
    db.session.commit()
    before = Counter(opd_progress(period, team["opd"].id).by_state)
    fire(draft, "submit_plan", team["staf"], {})
    db.session.commit()
    after = Counter(opd_progress(period, team["opd"].id).by_state)
    assert after - before == Counter(plan_review=1) and before - after == Counter(draft=1)
    versioned_update(draft, draft.version, {"predikat": "baik"}, bump=False)
    assert opd_progress(period, team["opd"].id).predikat["baik"] == 1
    # Excluded from planning: no longer counted at all (nor their predikat).
    staf, admin = team["staf"].employee, team["admin"]
    exclude(staf, period, "cltn", period.start_date, period.end_date, admin)
    progress = opd_progress(period, team["opd"].id)
    assert Counter(progress.by_state) == before - Counter(draft=1)
    assert progress.predikat["baik"] == 0
    _exact()


def test_drift_is_found_repaired_and_reported_by_the_command(app, team):
    period = make_period()
    appraisal_in_state(team, period, "draft")
    appraisal_in_state(team, period, "final", employee_key="staf2")
    db.session.commit()
    expected = opd_progress(period, team["opd"].id).by_state
    # Corrupt the summary behind the triggers' back.
    db.session.add(
        AppraisalCount(period_id=period.id, opd_id=team["opd"].id, state="draft", delta=5)
    )
    db.session.execute(sa.delete(AppraisalCount).where(AppraisalCount.state == "final"))
    db.session.commit()
    assert {(d.state, d.summary, d.actual) for d in summary.drift()} == {
        ("draft", 6, 1),
        ("final", 0, 1),
    }
    runner = app.test_cli_runner()
    checked = runner.invoke(args=["dashboard", "counts"])
    assert checked.exit_code == 1 and "summary 6, actual 1" in checked.output
    fixed = runner.invoke(args=["dashboard", "counts", "--repair", "--compact"])
    assert fixed.exit_code == 0 and "(repaired)" in fixed.output
    assert "2 group(s) drifted, repaired" in fixed.output
    db.session.expire_all()
    _exact()
    assert runner.invoke(args=["dashboard", "counts"]).output.strip() == "summary rows are exact"
    assert opd_progress(period, team["opd"].id).by_state == expected


def test_compaction_folds_the_deltas_and_keeps_the_counts(app, team):
    period = make_period()
    appraisals = [appraisal_in_state(team, period, "draft", key) for key in ("staf", "staf2")]
    for appraisal in appraisals:
        for dest in ("plan_review", "draft", "plan_review"):
            move_state(appraisal, appraisal.state, dest, appraisal.version, utcnow(), final=False)
    db.session.commit()
    rows = db.session.scalar(sa.select(sa.func.count()).select_from(AppraisalCount))
    counts = summary.opd_counts(period.id, team["opd"].id)
    assert counts[("plan_review", None)] == 2
    before, after = summary.compact()
    db.session.commit()
    assert before == rows > after == len(summary.summed())
    assert summary.opd_counts(period.id, team["opd"].id) == counts
    _exact()


@pytest.mark.postgres_only
def test_two_steps_in_one_opd_at_once_both_succeed_without_waiting(app, team):
    period = make_period()
    ids = [appraisal_in_state(team, period, "draft", key).id for key in ("staf", "staf2")]
    actors = [team["staf"].id, team["staf2"].id]
    db.session.commit()
    # Each holds its transaction open until the other has written too: with a shared
    # counter row the second UPDATE would wait for the first commit, and the barrier
    # would time out.
    barrier = threading.Barrier(2, timeout=20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def act(appraisal_id: int, account_id: int) -> None:
        with app.app_context(), app.test_request_context():
            try:
                appraisal = db.session.get(Appraisal, appraisal_id)
                fire(appraisal, "submit_plan", db.session.get(Account, account_id), {})
                barrier.wait()
                db.session.commit()
                outcome = "done"
            except threading.BrokenBarrierError:
                db.session.rollback()
                outcome = "waited"
            finally:
                db.session.remove()
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=act, args=pair) for pair in zip(ids, actors, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert outcomes == ["done", "done"]
    db.session.expire_all()
    by_state = opd_progress(period, team["opd"].id).by_state
    assert by_state["plan_review"] == 2 and "draft" not in by_state
    _exact()


def test_the_schedule_compacts_the_deltas_every_minute(app, team):
    from datetime import UTC, datetime

    from tests.queue_helpers import run_schedule_at

    period = make_period()
    appraisal = appraisal_in_state(team, period, "draft")
    for dest in ("plan_review", "draft", "plan_review"):
        move_state(appraisal, appraisal.state, dest, appraisal.version, utcnow(), final=False)
    db.session.commit()
    counts, rows = summary.summed(), _delta_rows()
    ran = run_schedule_at(app, datetime(2026, 3, 9, 10, 5, tzinfo=UTC).timestamp())
    assert "dashboard.compact_counts" in ran
    assert _delta_rows() == len(counts) < rows and summary.summed() == counts


def _progress_statements(period: Period, opd_id: int) -> list[str]:
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    db.session.commit()
    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        opd_progress(period, opd_id)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    return seen


def test_the_counts_take_the_same_statements_whatever_the_opds_size(app, city):
    from tests.test_query_budget import BUDGET, _statements

    team, _ = city
    period = make_period()
    appraisal_in_state(team, period, "draft")
    small = _progress_statements(period, team["opd"].id)
    page_small = _statements(app, team["kadis"].employee.nip, "/dashboard")
    kasi = team["kasi"].employee.position
    for n in range(40):
        make_employee(
            f"Pelaksana Baru {n}", make_position(team["opd"], f"Baru {n}", "pelaksana", kasi)
        )
    PeriodOpener(period).run()
    large = _progress_statements(period, team["opd"].id)
    assert len(summary.recount(period.id)) and len(large) == len(small)
    # The per-state and predikat counts no longer group the OPD's appraisal rows.
    assert not [s for s in large if "GROUP BY appraisal." in s]
    assert _statements(app, team["kadis"].employee.nip, "/dashboard") == page_small
    assert page_small[1] <= BUDGET
