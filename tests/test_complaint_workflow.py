"""Pengaduan as a workflow: a complaint response opens a case in workflows/pengaduan.yaml,
moved by the same engine (fire), tasks, mails, reminders and audit trail as an SKP."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.complaints.reminders import send_complaint_reminders
from app.complaints.services import complaint_counts, open_complaint, purge_contacts
from app.extensions import db
from app.models import Account, AuditEvent, Complaint, OutboxMessage, SkmContact, Task
from app.models.types import utcnow
from app.notifications.reminders import send_reminders
from app.outbox.worker import send_batch
from app.workflow.audit import verify_chains
from app.workflow.complaints import add_working_days
from app.workflow.deadlines import local_date
from app.workflow.engine import available, engine, fire
from app.workflow.errors import InvalidInput, NotAllowed, StaleState
from tests.complaint_helpers import make_complaint_response, make_service_unit
from tests.factories import make_account, make_acting, make_employee, make_opd, make_position
from tests.factories import make_team as _make_team
from tests.test_mail_delivery import smtp_fixture, text_of  # noqa: F401

CITIZEN = "warga@example.test"
ANSWER = "Mohon maaf. Mulai Senin loket kedua dibuka pukul 07.30."


def make_team() -> dict:
    """The SKP team (kasi heads the unit layanan, kadis heads DINKES) and a kepala of
    another OPD."""
    team = _make_team()
    other = make_opd("DISDIK", "Dinas Pendidikan")
    head = make_position(other, "Kepala Dinas Pendidikan", "jpt")
    team["kadis_b"] = make_account(make_employee("Kadis Pardede", head))
    return team


def open_case(team, now=None, unit=None, **kwargs) -> Complaint:
    unit = unit or make_service_unit(team)
    complaint = open_complaint(make_complaint_response(unit, now=now, **kwargs), now=now)
    db.session.commit()
    return complaint


def open_tasks(complaint: Complaint) -> list[Task]:
    return list(
        db.session.scalars(
            sa.select(Task).where(Task.complaint_id == complaint.id, Task.closed_at.is_(None))
        )
    )


def test_a_complaint_goes_through_pengaduan_with_every_mail_delivered(app, smtp):
    team = make_team()
    complaint = open_case(team)
    assert (complaint.workflow, complaint.state) == ("pengaduan", "received")
    (task,) = open_tasks(complaint)
    sla = add_working_days(local_date(complaint.opened_at), 5)
    assert (task.role, task.assignee_id) == ("unit_head", team["kasi"].employee_id)
    assert task.due_date == complaint.due_date == sla

    send_batch()
    (to_head,) = smtp.to(team["kasi"].employee.email)
    assert f"#{complaint.id}" in to_head["Subject"]
    assert f"/pengaduan/{complaint.id}" in text_of(to_head)

    fire(complaint, "start_handling", team["kasi"], {})
    fire(complaint, "answer_complaint", team["kasi"], {"answer": ANSWER})
    db.session.commit()
    assert complaint.state == "answered" and complaint.answer == ANSWER
    (review,) = open_tasks(complaint)
    assert (review.role, review.assignee_id) == ("kepala_opd", team["kadis"].employee_id)
    # Five working days from the city's day of the answer (not the server's UTC day).
    assert review.due_date == add_working_days(local_date(complaint.answered_at), 5)
    send_batch()
    (to_citizen,) = smtp.to(CITIZEN)
    assert ANSWER in text_of(to_citizen) and "Budi Warga" in text_of(to_citizen)
    assert "Puskesmas Padang Bulan" in to_citizen["Subject"]
    (to_kadis,) = smtp.to(team["kadis"].employee.email)
    assert "Kirim jawaban" in to_kadis["Subject"]

    # The kepala OPD returns the answer; the unit head answers again; the case closes.
    fire(complaint, "return_answer", team["kadis"], {"comment": "Sebutkan jadwal loketnya."})
    assert complaint.state == "in_progress"
    fire(complaint, "answer_complaint", team["kasi"], {"answer": ANSWER + " Jadwal: 07.30."})
    fire(complaint, "close_complaint", team["kadis"], {})
    db.session.commit()
    assert complaint.state == "closed" and complaint.closed_at is not None
    assert open_tasks(complaint) == []
    # BKD's administrator reopens it: back to the unit head, the retention clock stopped.
    fire(complaint, "reopen_complaint", team["admin"], {"comment": "Warga menghubungi lagi."})
    db.session.commit()
    assert complaint.state == "in_progress" and complaint.closed_at is None
    assert [t.assignee_id for t in open_tasks(complaint)] == [team["kasi"].employee_id]

    send_batch()
    assert len(smtp.to(CITIZEN)) == 2
    assert "Sebutkan jadwal loketnya." in text_of(smtp.to(team["kasi"].employee.email)[1])
    assert len(smtp.to(team["kasi"].employee.email)) == 4  # opened, returned, closed, reopened

    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.complaint_id == complaint.id)
        .order_by(AuditEvent.seq)
    ).all()
    assert [e.trigger for e in events] == [
        "open", "start_handling", "answer_complaint", "return_answer",
        "answer_complaint", "close_complaint", "reopen_complaint",
    ]  # fmt: skip
    assert [e.seq for e in events] == list(range(1, 8))
    assert all(e.appraisal_id is None for e in events)
    assert verify_chains() == (7, None)
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "ok: 7 events verified" in result.output
    day = local_date(complaint.opened_at)  # the city's day, not the server's
    assert complaint_counts(complaint.service_unit_id, day, day) == (1, 1, 1)
    assert complaint_counts(
        complaint.service_unit_id, day + timedelta(days=1), day + timedelta(days=9)
    ) == (0, 0, 0)


def test_only_the_holders_of_a_role_act_and_the_answer_is_required(app):
    team = make_team()
    complaint = open_case(team)
    for outsider in ("staf", "kadis_b", "verifikator"):
        assert available(complaint, team[outsider]) == []
        with pytest.raises(NotAllowed):
            fire(complaint, "start_handling", team[outsider], {})
    with pytest.raises(NotAllowed):
        fire(complaint, "answer_complaint", team["kadis"], {"answer": ANSWER})
    with pytest.raises(InvalidInput):
        fire(complaint, "answer_complaint", team["kasi"], {"answer": "  "})
    db.session.rollback()
    db.session.refresh(complaint)
    assert (complaint.state, complaint.version, complaint.answer) == ("received", 1, None)
    assert [t.trigger for t in available(complaint, team["kasi"])] == [
        "start_handling",
        "answer_complaint",
    ]


def test_a_plt_of_the_unit_head_gets_the_task_and_acts_as_plt(app):
    team = make_team()
    position = team["kasi"].employee.position
    make_acting(position, team["staf2"].employee, date.today() - timedelta(days=1), date.today())
    complaint = open_case(team)
    (task,) = open_tasks(complaint)
    assert task.assignee_id == team["staf2"].employee_id
    event = fire(complaint, "start_handling", team["staf2"], {})
    assert (event.role, event.acting_as) == ("unit_head", "plt")


def test_the_complaint_definition_is_generated_like_the_skp_ones(app):
    """Every (state, trigger, role) of pengaduan.yaml: allowed exactly when it says."""
    spec = engine().spec("pengaduan")
    actors = {"unit_head": "kasi", "kepala_opd": "kadis", "admin_bkd": "admin"}
    team = make_team()
    unit = make_service_unit(team)
    for state in spec.states:
        for trigger in spec.triggers:
            transition = spec.transition(state, trigger)
            for role, key in actors.items():
                complaint = open_case(team, unit=unit)
                complaint.state = state  # placed there directly: the test is of fire()
                db.session.commit()
                if transition is not None and role in transition.roles:
                    event = fire(complaint, trigger, team[key], {"comment": "x", "answer": "y"})
                    assert (event.role, complaint.state) == (role, transition.dest)
                else:
                    with pytest.raises(NotAllowed):
                        fire(complaint, trigger, team[key], {"comment": "x", "answer": "y"})
                db.session.rollback()
                db.session.execute(sa.delete(SkmContact))
                db.session.commit()


def test_reminders_and_escalation_follow_the_sla_on_a_fixed_clock(app, smtp):
    team = make_team()
    monday = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 09:00 in Medan
    complaint = open_case(team, now=monday)
    assert complaint.due_date == date(2026, 3, 9)  # five working days: the weekend skipped

    assert send_complaint_reminders(date(2026, 3, 6)) == 0
    runner = app.test_cli_runner()
    first = runner.invoke(args=["tasks", "remind", "--today", "2026-03-08"])
    assert first.exit_code == 0 and "complaints 1" in first.output  # due tomorrow: the head
    assert send_complaint_reminders(date(2026, 3, 8)) == 0  # said once
    assert send_complaint_reminders(date(2026, 3, 10)) == 2  # overdue, and the kepala OPD
    assert send_complaint_reminders(date(2026, 3, 12)) == 0
    assert send_reminders(date(2026, 3, 10)).total == 0  # the SKP reminders ignore them
    db.session.commit()

    send_batch()
    subjects = [m["Subject"] for m in smtp.to(team["kasi"].employee.email)]
    assert len(subjects) == 3 and "Pengingat" in subjects[1] and "Terlambat" in subjects[2]
    (escalated,) = smtp.to(team["kadis"].employee.email)
    assert team["kasi"].employee.name in escalated["Subject"]
    assert "kepala OPD" in text_of(escalated)


def test_a_kepala_of_another_opd_gets_403_and_only_the_head_and_bkd_see_the_contact(
    app, new_browser
):
    team = make_team()
    complaint = open_case(team)
    page = f"/pengaduan/{complaint.id}"
    seen = {}
    for key in ("kasi", "kadis", "admin", "verifikator", "kadis_b", "staf"):
        browser = new_browser()
        browser.login(team[key].employee.nip)
        response = browser.get(page)
        seen[key] = (response.status_code, CITIZEN in response.get_data(as_text=True))
    assert seen == {
        "kasi": (200, True),
        "kadis": (200, False),
        "admin": (200, True),
        "verifikator": (200, True),
        "kadis_b": (403, False),
        "staf": (403, False),
    }
    other = new_browser()
    other.login(team["kadis_b"].employee.nip)
    act = f"{page}/act/start_handling"
    assert other.get(act).status_code == 403
    assert other.post(act, {"version": 1}).status_code == 403
    listing = other.get("/pengaduan/")
    assert listing.status_code == 200 and page not in listing.get_data(as_text=True)
    head = new_browser()
    head.login(team["kasi"].employee.nip)
    assert page in head.get("/pengaduan/").get_data(as_text=True)
    assert f'data-complaint-task="{complaint.id}"' in head.get("/inbox").get_data(as_text=True)


def test_the_contact_is_deleted_after_closure_and_the_retention_period(app):
    team = make_team()
    complaint = open_case(team)
    reopened = open_complaint(make_complaint_response(complaint.service_unit), now=utcnow())
    closed_at = datetime(2026, 5, 4, 3, 0, tzinfo=UTC)
    for case in (complaint, reopened):
        fire(case, "answer_complaint", team["kasi"], {"answer": ANSWER}, now=closed_at)
        fire(case, "close_complaint", team["kadis"], {}, now=closed_at)
    fire(reopened, "reopen_complaint", team["kadis"], {"comment": "Belum tuntas."}, now=closed_at)
    db.session.commit()
    days = app.config["COMPLAINT_CONTACT_RETENTION_DAYS"]

    assert purge_contacts(closed_at + timedelta(days=days - 1)) == 0
    assert purge_contacts(closed_at + timedelta(days=days + 1)) == 1
    db.session.commit()
    assert db.session.get(SkmContact, complaint.response_id) is None
    assert db.session.get(SkmContact, reopened.response_id) is not None  # still open


def test_the_daily_job_deletes_expired_contacts(app):
    from app.complaints.tasks import purge

    team = make_team()
    complaint = open_case(team)
    long_ago = utcnow() - timedelta(days=app.config["COMPLAINT_CONTACT_RETENTION_DAYS"] + 2)
    fire(complaint, "answer_complaint", team["kasi"], {"answer": ANSWER}, now=long_ago)
    fire(complaint, "close_complaint", team["kadis"], {}, now=long_ago)
    db.session.commit()
    purge(int(utcnow().timestamp()))
    assert db.session.get(SkmContact, complaint.response_id) is None


def test_two_people_closing_at_once_one_wins_the_other_is_told(app, browser):
    team = make_team()
    complaint = open_case(team)
    fire(complaint, "answer_complaint", team["kasi"], {"answer": ANSWER})
    db.session.commit()
    seen = complaint.version
    fire(complaint, "close_complaint", team["kadis"], {}, seen_version=seen)
    db.session.commit()
    with pytest.raises(StaleState) as refused:
        fire(complaint, "close_complaint", team["admin"], {}, seen_version=seen)
    assert refused.value.event.trigger == "close_complaint"
    assert refused.value.event.actor_id == team["kadis"].employee_id

    # Through the page: the form seen before the close says who moved it, nothing saved.
    browser.login(team["admin"].employee.nip)
    answer = browser.post(
        f"/pengaduan/{complaint.id}/act/close_complaint",
        {"version": seen},
        follow_redirects=True,
    )
    text = answer.get_data(as_text=True)
    assert "dr. Kadis Siregar" in text and "pengaduan ini" in text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 3


@pytest.mark.postgres_only
def test_threads_racing_on_one_complaint_one_wins(app):
    team = make_team()
    complaint = open_case(team)
    complaint_id, actors = complaint.id, [team["kasi"].id, team["kasi"].id, team["kasi"].id]
    barrier = threading.Barrier(len(actors))
    results: list[str] = []
    lock = threading.Lock()

    def act(account_id: int):
        with app.app_context():
            mine = db.session.get(Complaint, complaint_id)
            actor = db.session.get(Account, account_id)
            barrier.wait(timeout=30)
            try:
                fire(mine, "start_handling", actor, {}, seen_version=1)
                db.session.commit()
                outcome = "won"
            except StaleState as error:
                db.session.rollback()
                outcome = f"stale:{error.event.trigger}"
            finally:
                db.session.remove()
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=act, args=(a,)) for a in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == ["stale:start_handling", "stale:start_handling", "won"]
    db.session.expire_all()
    assert db.session.get(Complaint, complaint_id).version == 2
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 1
    )  # the opening mail only: start_handling mails nobody


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("subject: complaint", "subject: citizen"), "unknown subject 'citizen'"),
        (
            ("task: unit_head\n    due_days: 5 ", "task: appraiser\n    due_days: 5 "),
            "unknown role",
        ),
        (("roles: [kepala_opd, admin_bkd]", "roles: [appraisee]"), "unknown role 'appraisee'"),
        (("task: kepala_opd", "task: admin_bkd"), "unknown role 'admin_bkd' for task"),
        (("Pengaduan telah ditutup.", '"Pengaduan {employee} ditutup."'), "unknown {employee}"),
    ],
)
def test_a_definition_is_checked_against_its_subjects_roles(app, tmp_path, change, message):
    from app.workflow.registry import load_definition
    from app.workflow.spec import WorkflowError
    from tests.test_workflow_spec import WORKFLOWS

    text = (WORKFLOWS / "pengaduan.yaml").read_text(encoding="utf-8")
    old, new = change
    assert old in text
    broken = tmp_path / "pengaduan.yaml"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(WorkflowError) as error:
        load_definition(broken)
    assert message in str(error.value)
