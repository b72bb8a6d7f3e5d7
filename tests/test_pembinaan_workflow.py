"""Pembinaan as a workflow: a final predikat of Kurang or Sangat Kurang opens a case in
workflows/pembinaan.yaml, moved by the same engine (fire), tasks, mails, inbox and audit
trail as an SKP and a complaint."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import (
    Account,
    AuditEvent,
    Iki,
    OutboxMessage,
    PembinaanCase,
    PembinaanNote,
    Rhk,
    Task,
)
from app.models.types import utcnow
from app.outbox.worker import send_batch
from app.pembinaan.services import case_of, open_pembinaan
from app.workflow.audit import verify_chains
from app.workflow.effects import EFFECTS
from app.workflow.engine import engine, fire
from app.workflow.errors import InvalidInput, NotAllowed, StaleState
from tests.factories import make_account, make_employee, make_opd, make_period, make_position
from tests.test_mail_delivery import smtp_fixture, text_of  # noqa: F401
from tests.test_query_budget import _statements
from tests.workflow_helpers import appraisal_in_state

PLAN = "Pendampingan mingguan oleh Kasi; pelatihan pelayanan prima; target laporan tepat waktu."
NOTE = "Laporan Januari tepat waktu; sikap kepada pasien membaik."


def other_opd(team: dict) -> None:
    """A kepala of another OPD (Dinas Pendidikan) beside the team."""
    other = make_opd("DISDIK", "Dinas Pendidikan")
    head = make_position(other, "Kepala Dinas Pendidikan", "jpt")
    team["kadis_b"] = make_account(make_employee("Kadis Pardede", head))


def finalised(team, hk="sesuai", pk="di_bawah", key="staf", year=2026):
    """An annual SKP of `key` rated as given and finalised by BKD (Kurang by default)."""
    appraisal = appraisal_in_state(team, make_period(year), "verification", key)
    appraisal.rating_hk, appraisal.rating_pk = hk, pk
    appraisal.rating_comment = "Perilaku kerja belum sesuai ekspektasi."
    # Each RHK rated as the hasil kerja, so that the rating is the suggested one.
    db.session.execute(sa.update(Rhk).where(Rhk.appraisal_id == appraisal.id).values(rating=hk))
    appraisal.rating_hk_suggested = hk
    db.session.execute(
        sa.update(Iki)
        .where(Iki.rhk_id.in_(sa.select(Rhk.id).where(Rhk.appraisal_id == appraisal.id)))
        .values(feedback="Perlu pendampingan.")
    )
    db.session.commit()
    fire(appraisal, "finalise", team["verifikator"], {})
    db.session.commit()
    return appraisal


def open_tasks(case: PembinaanCase) -> list[Task]:
    return list(
        db.session.scalars(
            sa.select(Task).where(Task.pembinaan_id == case.id, Task.closed_at.is_(None))
        )
    )


def cases() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(PembinaanCase))


def walk_to_monitoring(team, case: PembinaanCase) -> None:
    fire(case, "submit_pembinaan_plan", team["kasi"], {"plan": PLAN})
    fire(case, "agree_pembinaan_plan", team["staf"], {})
    db.session.commit()


def test_a_kurang_predikat_opens_a_case_with_its_task_and_mail_and_closing_is_audited(
    app, team, smtp
):
    appraisal = finalised(team)
    assert appraisal.predikat == "kurang"
    case = case_of(appraisal.id)
    assert (case.workflow, case.state, case.predikat) == ("pembinaan", "rencana", "kurang")
    assert (case.employee_id, case.atasan_id) == (
        team["staf"].employee_id,
        team["kasi"].employee_id,
    )
    (task,) = open_tasks(case)
    assert (task.role, task.assignee_id) == ("atasan", team["kasi"].employee_id)

    send_batch()
    (to_atasan,) = [m for m in smtp.to(team["kasi"].employee.email) if "Pembinaan" in m["Subject"]]
    assert "Dian Anggraini" in to_atasan["Subject"]
    assert f"/pembinaan/{case.id}" in text_of(to_atasan)
    assert task.due_date.strftime("%Y") in text_of(to_atasan)  # the deadline is named
    assert any("Pembinaan" in m["Subject"] for m in smtp.to(team["staf"].employee.email))

    # The plan, the employee's agreement, a monthly note, the proposed and confirmed outcome.
    walk_to_monitoring(team, case)
    assert case.plan == PLAN and case.plan_agreed_at is not None
    (monthly,) = open_tasks(case)
    assert (monthly.role, monthly.state) == ("atasan", "pemantauan")
    assert (monthly.due_date - monthly.opened_at.date()).days in (29, 30, 31)  # a month on
    fire(case, "record_pembinaan_note", team["kasi"], {"note": NOTE})
    db.session.commit()
    (note,) = db.session.scalars(sa.select(PembinaanNote)).all()
    assert (note.note, note.author_id, note.month.day) == (NOTE, team["kasi"].employee_id, 1)
    assert case.state == "pemantauan" and len(open_tasks(case)) == 1
    fire(
        case,
        "propose_pembinaan_outcome",
        team["kasi"],
        {"outcome": "membaik", "comment": "Target tercapai.", "summary": "Target tercapai."},
    )
    db.session.commit()
    (confirm,) = open_tasks(case)
    assert (confirm.role, confirm.assignee_id) == ("kepala_opd", team["kadis"].employee_id)
    fire(
        case,
        "confirm_pembinaan_outcome",
        team["kadis"],
        {"outcome": "membaik", "comment": "Hasil pembinaan: Membaik."},
    )
    db.session.commit()
    assert (case.state, case.outcome) == ("selesai", "membaik")
    assert case.closed_at is not None and open_tasks(case) == []

    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.pembinaan_id == case.id).order_by(AuditEvent.seq)
    ).all()
    assert [e.trigger for e in events] == [
        "open", "submit_pembinaan_plan", "agree_pembinaan_plan", "record_pembinaan_note",
        "propose_pembinaan_outcome", "confirm_pembinaan_outcome",
    ]  # fmt: skip
    closing = events[-1]
    assert closing.actor_id == team["kadis"].employee_id and closing.role == "kepala_opd"
    assert "Membaik" in closing.comment and closing.to_state == "selesai"
    assert all(e.appraisal_id is None and e.complaint_id is None for e in events)
    checked, broken = verify_chains()
    assert broken is None and checked >= len(events)
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "ok:" in result.output

    send_batch()
    closed = [m for m in smtp.to(team["staf"].employee.email) if "Konfirmasi" in m["Subject"]]
    assert closed and "Membaik" in text_of(closed[0])


@pytest.mark.parametrize(
    ("hk", "pk", "opens"),
    [
        ("di_atas", "di_atas", None),  # Sangat Baik
        ("sesuai", "sesuai", None),  # Baik
        ("di_bawah", "sesuai", None),  # Butuh Perbaikan
        ("di_atas", "di_bawah", "kurang"),
        ("di_bawah", "di_bawah", "sangat_kurang"),
    ],
)
def test_only_kurang_and_sangat_kurang_open_a_case(app, team, hk, pk, opens):
    appraisal = finalised(team, hk=hk, pk=pk)
    case = case_of(appraisal.id)
    assert (case.predikat if case else None) == opens


def test_finalising_again_never_opens_a_second_case(app, team):
    appraisal = finalised(team)
    first = case_of(appraisal.id)
    with pytest.raises(NotAllowed):
        fire(appraisal, "finalise", team["verifikator"], {})
    db.session.rollback()
    # The effect run again (as a decided keberatan runs it) finds the case already there.
    EFFECTS["open_pembinaan_case"](appraisal, team["verifikator"], {}, utcnow())
    assert open_pembinaan(appraisal, utcnow()) is first
    db.session.commit()
    assert cases() == 1
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(Task).where(Task.pembinaan_id == first.id)
        )
        == 1
    )


def objected(team, appraisal):
    appraisal.result_received_at = utcnow()  # the employee has read the result
    fire(appraisal, "file_objection", team["staf"], {"comment": "Bukti dukung belum dinilai."})
    db.session.commit()
    return appraisal


def test_a_keberatan_kept_at_kurang_keeps_the_one_case(app, team):
    appraisal = objected(team, finalised(team))
    fire(appraisal, "decide_objection", team["kabid"], {"comment": "Ditolak."})
    db.session.commit()
    assert (appraisal.state, appraisal.predikat) == ("final", "kurang")
    assert cases() == 1


def test_a_keberatan_decided_down_to_kurang_opens_the_case(app, team):
    appraisal = objected(team, finalised(team, hk="sesuai", pk="sesuai"))
    assert cases() == 0
    decision = {"rating_hk": "sesuai", "rating_pk": "di_bawah", "comment": "Perilaku kurang."}
    fire(appraisal, "decide_objection", team["kabid"], decision)
    db.session.commit()
    assert appraisal.predikat == "kurang"
    assert case_of(appraisal.id).atasan_id == team["kasi"].employee_id


def test_the_monthly_task_is_reminded_before_it_is_due_and_when_overdue(app, team, smtp):
    case = case_of(finalised(team).id)
    walk_to_monitoring(team, case)
    (monthly,) = open_tasks(case)
    runner = app.test_cli_runner()
    soon = (monthly.due_date - timedelta(days=2)).isoformat()
    first = runner.invoke(args=["tasks", "remind", "--today", soon])
    assert first.exit_code == 0 and "pembinaan 1" in first.output
    again = runner.invoke(args=["tasks", "remind", "--today", soon])
    assert "pembinaan 0" in again.output  # told once
    late = (monthly.due_date + timedelta(days=1)).isoformat()
    assert "pembinaan 1" in runner.invoke(args=["tasks", "remind", "--today", late]).output
    send_batch()
    reminders = [
        m for m in smtp.to(team["kasi"].employee.email) if "Pemantauan bulanan" in m["Subject"]
    ]
    assert len(reminders) == 2
    assert all(f"/pembinaan/{case.id}" in text_of(m) for m in reminders)


def test_one_note_a_month_and_the_plan_and_outcome_are_required(app, team):
    case = case_of(finalised(team).id)
    with pytest.raises(InvalidInput):
        fire(case, "submit_pembinaan_plan", team["kasi"], {"plan": "  "})
    db.session.rollback()
    walk_to_monitoring(team, case)
    fire(case, "record_pembinaan_note", team["kasi"], {"note": NOTE})
    db.session.commit()
    with pytest.raises(InvalidInput) as refused:
        fire(case, "record_pembinaan_note", team["kasi"], {"note": "Lagi."})
    assert "note" in refused.value.errors
    db.session.rollback()
    with pytest.raises(InvalidInput):
        fire(case, "propose_pembinaan_outcome", team["kasi"], {"outcome": "x", "comment": "y"})
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PembinaanNote)) == 1


def test_every_state_trigger_and_role_of_the_definition(app, team):
    """Every (state, trigger, role) of pembinaan.yaml: allowed exactly when it says."""
    spec = engine().spec("pembinaan")
    actors = {"pegawai": "staf", "atasan": "kasi", "kepala_opd": "kadis", "admin_bkd": "admin"}
    form = {"comment": "x", "plan": PLAN, "note": NOTE, "outcome": "belum_membaik"}
    case = case_of(finalised(team).id)
    for state in spec.states:
        for trigger in spec.triggers:
            transition = spec.transition(state, trigger)
            for role, key in actors.items():
                case.state = state  # placed there directly: the test is of fire()
                db.session.commit()
                if transition is not None and role in transition.roles:
                    event = fire(case, trigger, team[key], form)
                    assert (event.role, case.state) == (role, transition.dest)
                else:
                    with pytest.raises(NotAllowed):
                        fire(case, trigger, team[key], form)
                db.session.rollback()


def test_pages_for_the_atasan_and_the_pegawai_and_404_for_others(app, team, browser):
    other_opd(team)
    case = case_of(finalised(team).id)
    db.session.commit()
    browser.login(team["kasi"].employee.nip)
    inbox = browser.get("/inbox").get_data(as_text=True)
    assert f'data-pembinaan-task="{case.id}"' in inbox
    listing = browser.get("/pembinaan/").get_data(as_text=True)
    assert f'data-pembinaan-row="{case.id}"' in listing and "Dian Anggraini" in listing
    page = browser.get(f"/pembinaan/{case.id}")
    assert page.status_code == 200
    act = f"/pembinaan/{case.id}/act/submit_pembinaan_plan"
    assert act in page.get_data(as_text=True)
    refused = browser.post(act, {"version": case.version, "plan": ""})
    assert refused.status_code == 422 and 'id="plan-error"' in refused.get_data(as_text=True)
    done = browser.post(act, {"version": case.version, "plan": PLAN})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(PembinaanCase, case.id).state == "persetujuan"
    browser.logout()

    browser.login(team["staf"].employee.nip)
    assert f'data-pembinaan-task="{case.id}"' in browser.get("/inbox").get_data(as_text=True)
    page = browser.get(f"/pembinaan/{case.id}").get_data(as_text=True)
    assert PLAN in page and "agree_pembinaan_plan" in page
    agreed = browser.post(f"/pembinaan/{case.id}/act/agree_pembinaan_plan", {"version": 2})
    assert agreed.status_code == 302
    # A stale form (the version seen before) is told who moved the case on.
    again = browser.post(f"/pembinaan/{case.id}/act/agree_pembinaan_plan", {"version": 2})
    assert again.status_code == 303
    browser.logout()

    for outsider in ("staf2", "kadis_b", "verifikator", "kabid"):
        browser.login(team[outsider].employee.nip)
        assert browser.get(f"/pembinaan/{case.id}").status_code == 404
        assert browser.get(f"/pembinaan/{case.id}/act/record_pembinaan_note").status_code == 404
        listing = browser.get("/pembinaan/").get_data(as_text=True)
        assert f'data-pembinaan-row="{case.id}"' not in listing
        browser.logout()
    browser.login(team["kadis"].employee.nip)
    assert browser.get(f"/pembinaan/{case.id}").status_code == 200


def test_the_pages_and_the_inbox_stay_within_the_query_budget(app, team):
    case = case_of(finalised(team).id)
    walk_to_monitoring(team, case)
    fire(case, "record_pembinaan_note", team["kasi"], {"note": NOTE})
    db.session.commit()
    kasi = team["kasi"].employee.nip
    paths = ("/pembinaan/", f"/pembinaan/{case.id}", "/inbox")
    before = {path: _statements(app, kasi, path) for path in paths}
    # More cases, notes and events: the same number of statements.
    case2 = case_of(finalised(team, key="staf2", year=2027).id)
    walk_to_monitoring_of(team, case2, "staf2")
    for month in (2, 3, 4):
        db.session.add(
            PembinaanNote(
                case_id=case.id,
                month=case.opened_at.date().replace(month=month, day=1),
                note=NOTE,
                author_id=team["kasi"].employee_id,
            )
        )
    db.session.commit()
    after = {path: _statements(app, kasi, path) for path in paths}
    for path in paths:
        assert before[path][0] == after[path][0] == 200, path
        assert after[path][1] <= 10, (path, after[path])
        assert before[path][1] == after[path][1], (path, before[path], after[path])


def walk_to_monitoring_of(team, case, key):
    fire(case, "submit_pembinaan_plan", team["kasi"], {"plan": PLAN})
    fire(case, "agree_pembinaan_plan", team[key], {})
    db.session.commit()


@pytest.mark.postgres_only
def test_threads_racing_on_one_case_one_wins(app, team):
    case = case_of(finalised(team).id)
    case_id, actors = case.id, [team["kasi"].id] * 3
    barrier = threading.Barrier(len(actors))
    results: list[str] = []
    lock = threading.Lock()

    def act(account_id: int):
        with app.app_context():
            mine = db.session.get(PembinaanCase, case_id)
            actor = db.session.get(Account, account_id)
            barrier.wait(timeout=30)
            try:
                fire(mine, "submit_pembinaan_plan", actor, {"plan": PLAN}, seen_version=1)
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
    assert sorted(results) == ["stale:submit_pembinaan_plan"] * 2 + ["won"]
    db.session.expire_all()
    assert db.session.get(PembinaanCase, case_id).version == 2
    events = (
        sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.pembinaan_id == case_id)
    )
    assert db.session.scalar(events) == 2  # opened, and the plan submitted once
    mails = (
        sa.select(sa.func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.subject.contains("Ajukan rencana pembinaan"))
    )
    assert db.session.scalar(mails) == 1
