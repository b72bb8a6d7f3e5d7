"""After a step, the page and the mails say what happened and who has it now (`done`)."""

import sqlalchemy as sa

from app.extensions import db
from app.models import OutboxMessage
from app.workflow.engine import fire
from tests.factories import make_period
from tests.queue_helpers import render_outbox
from tests.workflow_helpers import appraisal_in_state


def _subjects(account) -> list[str]:
    render_outbox()  # as the worker does when it sends them
    return list(
        db.session.scalars(
            sa.select(OutboxMessage.subject).where(
                OutboxMessage.recipient == account.employee.email
            )
        )
    )


def _act(browser, appraisal, trigger: str, **data) -> str:
    """Take the step from its confirmation page; the page it lands on."""
    url = f"/appraisals/{appraisal.id}/act/{trigger}"
    response = browser.post(url, {"version": appraisal.version, **data}, token_from=url)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return browser.get(response.headers["Location"]).get_data(as_text=True)


def test_submitting_names_the_atasan_it_went_to_on_the_page_and_in_the_mail(team, browser):
    appraisal = appraisal_in_state(team, make_period(), "self_assessment")
    db.session.commit()
    browser.login(team["staf"].employee.nip)
    page = _act(browser, appraisal, "submit_assessment")
    said = "Penilaian mandiri Dian Anggraini telah diajukan kepada Kasi Nasution, S.Kep."
    assert said in page and "S.Kep.." not in page
    assert "Berhasil" not in page and "Ajukan penilaian mandiri." not in page
    assert _subjects(team["kasi"]) == [f"[SIKAP] SKP Tahunan 2026: {said}"]


def test_approving_the_review_says_it_went_on_to_bkd(team, browser):
    appraisal = appraisal_in_state(team, make_period(), "supervisor_review")
    db.session.commit()
    browser.login(team["kasi"].employee.nip)
    page = _act(browser, appraisal, "approve_review")
    said = "Penilaian SKP Dian Anggraini telah disetujui dan diteruskan ke BKD untuk verifikasi."
    assert said in page
    assert _subjects(team["staf"]) == [f"[SIKAP] SKP Tahunan 2026: {said}"]


def test_the_final_mail_states_the_predikat(team):
    appraisal = appraisal_in_state(team, make_period(), "verification")
    fire(appraisal, "finalise", team["verifikator"], {})
    render_outbox()
    (mail,) = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.recipient == team["staf"].employee.email)
    )
    said = "SKP Dian Anggraini telah ditetapkan final dengan predikat Baik."  # Sesuai/Sesuai
    assert mail.subject == f"[SIKAP] SKP Tahunan 2026: {said}"
    assert "Predikat: Baik" in mail.body_text
    assert "<strong data-predikat>Baik</strong>" in mail.body_html


def test_the_objection_decision_states_the_new_predikat(team, browser):
    appraisal = appraisal_in_state(team, make_period(), "final")
    appraisal.predikat = "baik"
    fire(appraisal, "file_objection", team["staf"], {"comment": "Realisasi melebihi target."})
    db.session.commit()
    browser.login(team["kabid"].employee.nip)
    page = _act(
        browser, appraisal, "decide_objection", rating_hk="di_atas", rating_pk="di_atas",
        comment="Bukti dukung menunjukkan realisasi di atas target.",
    )  # fmt: skip
    said = "Keberatan telah diputuskan; predikat akhir SKP Dian Anggraini: Sangat Baik."
    assert said in page
    assert f"[SIKAP] SKP Tahunan 2026: {said}" in _subjects(team["staf"])


def test_in_english_the_english_text_is_used(team, browser):
    team["staf"].locale = "en"
    appraisal = appraisal_in_state(team, make_period(), "self_assessment")
    db.session.commit()
    browser.login(team["staf"].employee.nip)
    page = _act(browser, appraisal, "submit_assessment")
    assert "The self-assessment of Dian Anggraini has been submitted to Kasi Nasution" in page
