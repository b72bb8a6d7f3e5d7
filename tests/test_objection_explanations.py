"""The atasan pejabat penilai asks both sides to explain before deciding (PP 30/2019 Pasal 59).

A joint step: request_explanation opens a task for the appraiser and one for
the appraisee; each answers in their own form; when both have (or the due date
passed and the decider goes on) the keberatan is back with the decider, whose
page shows the answers; the decision states its reasons and is final.
"""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Appraisal, OutboxMessage, Task
from app.models.types import utcnow
from app.workflow.engine import available, fire
from app.workflow.errors import GuardFailed, NotAllowed
from tests.factories import make_period
from tests.queue_helpers import render_outbox
from tests.workflow_helpers import appraisal_in_state, snapshot

REASONS = "Realisasi saya melebihi target dan bukti dukung sudah lengkap."
QUESTION = "Mohon jelaskan dasar penilaian perilaku kerja dan bukti dukung yang ada."
FROM_APPRAISEE = "Bukti dukung kegiatan bulan Juni sudah saya unggah tepat waktu."
FROM_APPRAISER = "Bukti dukung bulan Juni diunggah setelah penilaian saya selesai."


@pytest.fixture
def objected(team):
    appraisal = appraisal_in_state(team, make_period(), "final")
    appraisal.predikat = "baik"
    fire(appraisal, "file_objection", team["staf"], {"comment": REASONS})
    db.session.commit()
    return appraisal


def fresh(appraisal_id: int) -> Appraisal:
    db.session.expire_all()
    return db.session.get(Appraisal, appraisal_id)


def open_tasks(appraisal_id: int) -> list[Task]:
    return list(
        db.session.scalars(
            sa.select(Task)
            .where(Task.appraisal_id == appraisal_id, Task.closed_at.is_(None))
            .order_by(Task.role)
        )
    )


def act(browser, appraisal_id: int, trigger: str, comment: str):
    appraisal = fresh(appraisal_id)
    return browser.post(
        f"/appraisals/{appraisal_id}/act/{trigger}",
        {"version": appraisal.version, "comment": comment},
    )


def test_asking_for_explanations_gives_both_parties_a_task_and_a_mail(team, objected, browser):
    browser.login(team["kabid"].employee.nip)
    assert act(browser, objected.id, "request_explanation", QUESTION).status_code == 302
    appraisal = fresh(objected.id)
    assert appraisal.state == "objection_explanation"
    tasks = open_tasks(objected.id)
    assert [(t.role, t.assignee_id) for t in tasks] == [
        ("appraisee", team["staf"].employee_id),
        ("appraiser", team["kasi"].employee_id),
    ]
    assert all(t.due_date == (utcnow() + timedelta(days=7)).date() for t in tasks)
    render_outbox()  # as the worker does when it sends them
    mailed = set(
        db.session.scalars(
            sa.select(OutboxMessage.recipient).where(
                OutboxMessage.body_text.contains(QUESTION[:30])
                | OutboxMessage.subject.contains("explan")
                | OutboxMessage.subject.contains("enjelas")
            )
        )
    )
    assert {team["staf"].employee.email, team["kasi"].employee.email} <= mailed
    # The decider waits: the page shows the question and no decision form yet.
    page = browser.get(f"/appraisals/{objected.id}/objection").get_data(as_text=True)
    assert QUESTION in page
    assert "data-explanations-due" in page
    assert 'name="rating_hk"' not in page


def test_both_answers_return_the_keberatan_to_the_decider_and_show_on_the_decision_page(
    team, objected, browser, new_browser
):
    fire(objected, "request_explanation", team["kabid"], {"comment": QUESTION})
    db.session.commit()
    employee = new_browser()
    employee.login(team["staf"].employee.nip)
    # The appraisee's next step, on the SKP page: their explanation.
    page = employee.get(f"/appraisals/{objected.id}").get_data(as_text=True)
    assert f"/appraisals/{objected.id}/act/explain_objection" in page
    assert "data-next-action" in page
    assert act(employee, objected.id, "explain_objection", FROM_APPRAISEE).status_code == 302
    appraisal = fresh(objected.id)
    assert appraisal.state == "objection_explanation"  # the appraiser has not answered yet
    assert [t.role for t in open_tasks(objected.id)] == ["appraiser"]
    # Answered once: nothing more for the appraisee at this step.
    assert "explain_objection" not in [t.trigger for t in available(appraisal, team["staf"])]
    before = snapshot(appraisal.id)
    with pytest.raises(NotAllowed):
        fire(appraisal, "explain_objection", team["staf"], {"comment": FROM_APPRAISEE})
    assert snapshot(appraisal.id) == before
    db.session.rollback()
    page = employee.get(f"/appraisals/{objected.id}").get_data(as_text=True)
    assert "data-next-action" not in page  # answered: nothing more to do here

    appraiser = new_browser()
    appraiser.login(team["kasi"].employee.nip)
    assert act(appraiser, objected.id, "explain_objection", FROM_APPRAISER).status_code == 302
    appraisal = fresh(objected.id)
    assert appraisal.state == "objection"
    [task] = open_tasks(objected.id)
    assert (task.role, task.assignee_id) == ("appraiser_superior", team["kabid"].employee_id)

    browser.login(team["kabid"].employee.nip)
    page = browser.get(f"/appraisals/{objected.id}/objection").get_data(as_text=True)
    assert FROM_APPRAISEE in page and FROM_APPRAISER in page
    assert 'data-explanation="appraisee"' in page and 'data-explanation="appraiser"' in page
    # The decision states its reasons: without them it is refused and nothing changes.
    url = f"/appraisals/{objected.id}/objection"
    refused = browser.post(url, {"version": appraisal.version, "comment": ""})
    assert refused.status_code == 422
    assert fresh(objected.id).state == "objection"
    decided = browser.post(
        url, {"version": appraisal.version, "comment": "Penjelasan kedua pihak sudah dibaca."}
    )
    assert decided.status_code == 302
    assert fresh(objected.id).state == "final"


def test_after_the_due_date_the_decider_goes_on_without_the_missing_answer(team, objected):
    fire(objected, "request_explanation", team["kabid"], {"comment": QUESTION})
    fire(objected, "explain_objection", team["staf"], {"comment": FROM_APPRAISEE})
    due = open_tasks(objected.id)[0].due_date
    on_time = utcnow().replace(hour=5) + timedelta(days=(due - utcnow().date()).days)
    assert "end_explanation" not in [t.trigger for t in available(objected, team["kabid"], on_time)]
    with pytest.raises(GuardFailed):
        fire(objected, "end_explanation", team["kabid"], {}, now=on_time)
    fire(objected, "end_explanation", team["kabid"], {}, now=on_time + timedelta(days=1))
    assert objected.state == "objection"
    [task] = open_tasks(objected.id)
    assert task.role == "appraiser_superior"


def test_only_the_decider_may_ask_for_explanations(team, objected):
    for who in ("staf", "kasi", "verifikator"):
        with pytest.raises(NotAllowed):
            fire(objected, "request_explanation", team[who], {"comment": QUESTION})
