"""SKP segments after a mid-year move: two segments, their appraisers, the combined result."""

import threading
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.appraisals.services import SegmentEnded, reassign_appraiser
from app.extensions import db
from app.models import Account, Appraisal, AuditEvent, Employee, OutboxMessage, Period, Rhk, Task
from app.models.types import utcnow
from app.periods.deadlines import find_appraisal
from app.periods.opening import PeriodOpener
from app.periods.segments import SegmentRefused, start_segment
from app.skp.combined import combine_predikat
from app.skp.segments import period_segments
from tests.factories import make_period, make_position

JULY_1 = date(2026, 7, 1)


def _segments(employee_id: int, period_id: int) -> list[Appraisal]:
    return list(
        db.session.scalars(
            sa.select(Appraisal)
            .where(Appraisal.employee_id == employee_id, Appraisal.period_id == period_id)
            .order_by(Appraisal.segment)
        )
    )


def _open_tasks(appraisal: Appraisal) -> list[Task]:
    return list(
        db.session.scalars(
            sa.select(Task).where(Task.appraisal_id == appraisal.id, Task.closed_at.is_(None))
        )
    )


@pytest.fixture
def moved(team):
    """The staf, with an open 2026 SKP (atasan: kasi), moved on 1 July to a post under the kabid."""
    period = make_period(2026)
    PeriodOpener(period).run()
    staf = team["staf"].employee
    kabid_position = team["kabid"].employee.position
    staf.position = make_position(team["opd"], "Analis Kebijakan", "fungsional", kabid_position)
    db.session.flush()
    return period, staf


def test_a_mutasi_on_1_july_gives_two_segments_with_the_right_appraisers(app, team, moved):
    period, staf = moved
    before = _segments(staf.id, period.id)
    assert [(s.segment, s.appraiser_id) for s in before] == [(1, team["kasi"].employee_id)]
    old_tasks = [(t.id, t.assignee_id) for t in _open_tasks(before[0])]

    result = start_segment(staf, period, JULY_1, team["admin"])

    first, second = _segments(staf.id, period.id)
    assert (first.start_date, first.end_date) == (date(2026, 1, 1), date(2026, 6, 30))
    assert (second.start_date, second.end_date) == (JULY_1, date(2026, 12, 31))
    # The old segment stays with the atasan of those months; the new one has the new atasan.
    assert first.appraiser_id == team["kasi"].employee_id
    assert second.appraiser_id == team["kabid"].employee_id
    assert (second.segment, second.position_name, second.state) == (2, "Analis Kebijakan", "draft")
    assert first.position_name == "Pengadministrasi Perkantoran"
    assert result.segment.id == second.id
    # The old segment's open task is untouched; the new one has its first task and mail.
    assert [(t.id, t.assignee_id) for t in _open_tasks(first)] == old_tasks
    (task,) = _open_tasks(second)
    assert (task.role, task.assignee_id, task.state) == ("appraisee", staf.id, "draft")
    # The period's plan deadline is past by July: the new plan gets its own time.
    assert task.due_date >= max(period.plan_deadline, date.today())
    mails = db.session.scalars(
        sa.select(OutboxMessage.recipient).where(OutboxMessage.body_text.contains(f"/{second.id}"))
    ).all()
    assert mails == [staf.email]
    triggers = dict(
        db.session.execute(
            sa.select(AuditEvent.appraisal_id, AuditEvent.trigger).where(
                AuditEvent.appraisal_id.in_([first.id, second.id])
            )
        ).all()
    )
    assert triggers == {first.id: "close_segment", second.id: "start_segment"}


def test_the_period_result_combines_the_segments_and_both_appear_on_the_document(
    app, team, moved, browser
):
    period, staf = moved
    start_segment(staf, period, JULY_1, team["admin"])
    first, second = _segments(staf.id, period.id)
    first.predikat, second.predikat = "baik", "butuh_perbaikan"
    db.session.commit()

    found = period_segments(second)
    assert [s.id for s in found.segments] == [first.id, second.id]
    expected = combine_predikat([("baik", 181), ("butuh_perbaikan", 184)])
    assert found.combined == expected == "butuh_perbaikan"  # the longer half weighs more

    browser.login(staf.nip)
    for appraisal in (first, second):
        page = browser.get(f"/appraisals/{appraisal.id}/document").get_data(as_text=True)
        assert "Analis Kebijakan" in page and "Pengadministrasi Perkantoran" in page
        assert team["kasi"].employee.name in page and team["kabid"].employee.name in page
        assert f"segmen {appraisal.segment} dari 2" in page
        assert "data-combined-predikat>Butuh Perbaikan<" in page
    detail = browser.get(f"/appraisals/{second.id}").get_data(as_text=True)
    assert "segmen 2 dari 2" in detail and "data-combined-predikat>Butuh Perbaikan<" in detail


def test_a_single_segment_shows_no_segment_table(app, team, browser):
    period = make_period(2026)
    PeriodOpener(period).run()
    (only,) = _segments(team["staf"].employee_id, period.id)
    db.session.commit()
    assert period_segments(only) is None
    browser.login(team["staf"].employee.nip)
    page = browser.get(f"/appraisals/{only.id}/document").get_data(as_text=True)
    assert "data-segments" not in page


def test_opening_again_after_a_move_adds_nothing(app, team, moved):
    period, staf = moved
    start_segment(staf, period, JULY_1, team["admin"])
    appraisals = db.session.scalar(sa.select(sa.func.count()).select_from(Appraisal))
    counts = PeriodOpener(period).run()
    assert counts.created == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Appraisal)) == appraisals


@pytest.mark.parametrize(
    ("move", "message"),
    [
        (date(2027, 1, 5), "dalam periode"),
        (date(2025, 12, 31), "dalam periode"),
        (date(2026, 1, 1), "setelah awal segmen"),
    ],
)
def test_bad_move_dates_are_refused_and_nothing_is_written(app, team, moved, move, message):
    period, staf = moved
    with pytest.raises(SegmentRefused) as refused:
        start_segment(staf, period, move, team["admin"])
    assert message in refused.value.message
    assert len(_segments(staf.id, period.id)) == 1
    assert _segments(staf.id, period.id)[0].end_date == date(2026, 12, 31)


def test_a_date_before_the_current_segment_start_is_refused(app, team, moved):
    period, staf = moved
    start_segment(staf, period, JULY_1, team["admin"])
    with pytest.raises(SegmentRefused):
        start_segment(staf, period, date(2026, 5, 1), team["admin"])
    assert len(_segments(staf.id, period.id)) == 2


def test_an_employee_without_an_skp_in_an_open_period_is_refused(app, team):
    period = make_period(2026)  # open, but never opened for anyone
    with pytest.raises(SegmentRefused):
        start_segment(team["staf"].employee, period, JULY_1, team["admin"])
    closed = make_period(2027, status="closed")
    with pytest.raises(SegmentRefused):
        start_segment(team["staf"].employee, closed, date(2027, 7, 1), team["admin"])


def test_a_second_admin_with_a_stale_form_is_told(app, team, moved):
    period, staf = moved
    start_segment(staf, period, JULY_1, team["admin"], seen_segment=1)
    with pytest.raises(SegmentRefused) as refused:
        start_segment(staf, period, date(2026, 8, 1), team["admin"], seen_segment=1)
    assert "Orang lain" in refused.value.message and "segmen 2" in refused.value.message
    assert len(_segments(staf.id, period.id)) == 2


@pytest.mark.postgres_only
def test_two_admins_starting_a_segment_at_once_exactly_one_wins(app, team, moved):
    period, staf = moved
    db.session.commit()
    ids = (period.id, staf.id, team["admin"].id)
    barrier = threading.Barrier(2)
    results: list[str] = []
    lock = threading.Lock()

    def act(day: int):
        with app.app_context(), app.test_request_context():
            mine = db.session.get(Period, ids[0])
            employee = db.session.get(Employee, ids[1])
            actor = db.session.get(Account, ids[2])
            db.session.scalars(sa.select(Appraisal).where(Appraisal.employee_id == ids[1])).all()
            barrier.wait(timeout=30)  # both have read segment 1 before either writes
            try:
                start_segment(employee, mine, date(2026, 7, day), actor, seen_segment=1)
                db.session.commit()
                outcome = "won"
            except SegmentRefused:
                db.session.rollback()
                outcome = "told"
            finally:
                db.session.remove()
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=act, args=(day,)) for day in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == ["told", "won"]
    db.session.expire_all()
    assert [s.segment for s in _segments(ids[1], ids[0])] == [1, 2]


def test_the_new_segment_task_is_due_after_the_move(app, team, moved):
    period, staf = moved
    now = datetime(2026, 7, 1, 2, tzinfo=utcnow().tzinfo)
    result = start_segment(staf, period, JULY_1, team["admin"], now=now)
    (task,) = _open_tasks(result.segment)
    assert task.due_date >= JULY_1 + timedelta(days=1)


def test_an_ended_segment_keeps_its_appraiser_when_the_admin_reassigns(app, team, moved):
    period, staf = moved
    start_segment(staf, period, JULY_1, team["admin"])
    first, _second = _segments(staf.id, period.id)
    with pytest.raises(SegmentEnded):
        reassign_appraiser(first, team["admin"], seen_version=first.version)
    assert first.appraiser_id == team["kasi"].employee_id


def test_my_skp_lists_both_segments_with_their_dates(app, team, moved, browser):
    period, staf = moved
    start_segment(staf, period, JULY_1, team["admin"])
    db.session.commit()
    browser.login(staf.nip)
    page = browser.get("/my-skp").get_data(as_text=True)
    assert 'data-segment="1"' in page and 'data-segment="2"' in page


def test_find_appraisal_by_nip_gives_the_latest_segment(app, team, moved):
    period, staf = moved
    result = start_segment(staf, period, JULY_1, team["admin"])
    assert find_appraisal(period.id, staf.nip).id == result.segment.id


def test_a_quarter_after_the_move_copies_the_new_jabatan_plan(app, team, moved):
    period, staf = moved
    result = start_segment(staf, period, JULY_1, team["admin"])
    for segment, text in (
        (result.previous, "RHK jabatan lama"),
        (result.segment, "RHK jabatan baru"),
    ):
        segment.state = "self_assessment"  # both plans approved
        db.session.add(Rhk(appraisal_id=segment.id, group_="utama", position=1, text=text))
    db.session.flush()
    quarter = make_period(kind="tw3", workflow="skp_periodic", status="draft")
    quarter.start_date, quarter.end_date = JULY_1, date(2026, 9, 30)
    db.session.flush()
    PeriodOpener(quarter).run()
    (copy,) = _segments(staf.id, quarter.id)
    texts = db.session.scalars(sa.select(Rhk.text).where(Rhk.appraisal_id == copy.id)).all()
    assert texts == ["RHK jabatan baru"]
    assert copy.appraiser_id == team["kabid"].employee_id
