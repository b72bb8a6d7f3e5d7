"""The next step is always obvious: day-one defects 7 to 12, each seen in headless Chromium.

Each test serves the app over real HTTP on its own SQLite database (as in
tests/test_browser.py) and reads the pages in Indonesian, as the users do.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from app.models import Behaviour, Iki, Rhk
from app.outbox.worker import send_batch
from app.workflow.engine import fire
from tests.factories import make_period, make_team
from tests.test_browser import (
    _serve,
    _sign_in,
    _wait_for,
)
from tests.test_mail_delivery import SmtpServer, text_of
from tests.workflow_helpers import appraisal_in_state

RHK_TEXT = "Terlaksananya administrasi layanan kesehatan primer tepat waktu"


def _by(css: str):
    from selenium.webdriver.common.by import By

    return By.CSS_SELECTOR, css


def _click(chrome, element) -> None:
    """Scroll the element to the middle of the window first (nothing covers it there)."""
    chrome.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    element.click()


def _main(chrome) -> str:
    return chrome.find_element(*_by("main")).text


def _clear_review(appraisal) -> None:
    """No ratings and no umpan balik: the review is still to be done."""
    appraisal.rating_hk = appraisal.rating_pk = appraisal.predikat = None
    appraisal.rating_comment = None
    for iki in db.session.scalars(sa.select(Iki).join(Rhk).where(Rhk.appraisal_id == appraisal.id)):
        iki.feedback = None
    rows = db.session.scalars(sa.select(Behaviour).where(Behaviour.appraisal_id == appraisal.id))
    for row in rows:
        row.feedback = None
    db.session.flush()


def _nips(team) -> dict[str, str]:
    return {key: team[key].employee.nip for key in team if key != "opd"}


# 7. SKP saya and SKP tim ---------------------------------------------------------------


@pytest.fixture
def finished(tmp_path):
    def build():
        team = make_team()
        period = make_period()
        final = appraisal_in_state(team, period, "final")
        final.predikat = "baik"
        waiting = appraisal_in_state(team, period, "supervisor_review", "staf2")
        return {"nips": _nips(team), "final": final.id, "waiting": waiting.id}

    yield from _serve(tmp_path, build)


def test_a_pegawai_reaches_a_finished_skp_and_an_atasan_sees_whose_turn_each_is(
    chrome, finished, tmp_path
):
    base, data = finished
    _sign_in(chrome, base, data["nips"]["staf"])
    chrome.get(base + "/")
    nav = chrome.find_element(*_by("nav")).text
    assert "SKP saya" in nav and "SKP tim" not in nav  # the staf appraises nobody
    _click(chrome, chrome.find_element(*_by("main a[href='/my-skp']")))  # from Beranda
    _wait_for(chrome, "main", "SKP Tahunan 2026")
    row = chrome.find_element(*_by(f"[data-my-skp] [data-appraisal='{data['final']}']"))
    assert "Final" in row.text and "Baik" in row.text
    assert "Anda dapat mengajukan keberatan sampai" in row.text
    pdf = row.find_element(*_by("a[href$='/document.pdf']"))
    assert pdf.get_attribute("href").endswith(f"/appraisals/{data['final']}/document.pdf")
    assert row.find_element(*_by("a[href$='/act/file_objection']"))
    chrome.save_screenshot(str(tmp_path / "my-skp.png"))
    _click(chrome, row.find_element(*_by(f"a[href='/appraisals/{data['final']}']")))
    _wait_for(chrome, "main", "SKP Tahunan 2026")
    assert chrome.current_url.endswith(f"/appraisals/{data['final']}")

    _sign_in(chrome, base, data["nips"]["kasi"])
    chrome.get(base + "/")
    _click(chrome, chrome.find_element(*_by("nav a[href='/team-skp']")))
    _wait_for(chrome, "main", "Rizky Pratama")
    waiting = chrome.find_element(*_by(f"[data-team-skp] [data-appraisal='{data['waiting']}']"))
    assert "Penilaian oleh atasan" in waiting.text
    assert "Menunggu" in waiting.text and "Anda" in waiting.text and "sejak" in waiting.text
    done = chrome.find_element(*_by(f"[data-team-skp] [data-appraisal='{data['final']}']"))
    assert "Dian Anggraini" in done.text and "Final" in done.text
    assert not done.find_elements(*_by("[data-waiting]"))
    chrome.save_screenshot(str(tmp_path / "team-skp.png"))


# 8. The stage box names the next action ---------------------------------------------------


@pytest.fixture
def to_do(tmp_path):
    def build():
        team = make_team()
        period = make_period()
        mine = appraisal_in_state(team, period, "self_assessment")
        for iki in db.session.scalars(sa.select(Iki).join(Rhk).where(Rhk.appraisal_id == mine.id)):
            iki.realisasi_value = iki.realisasi_text = None
        review = appraisal_in_state(team, period, "supervisor_review", "staf2")
        _clear_review(review)
        return {"nips": _nips(team), "mine": mine.id, "review": review.id}

    yield from _serve(tmp_path, build)


def test_the_stage_box_names_the_next_action_and_opens_its_form(chrome, to_do):
    base, data = to_do
    _sign_in(chrome, base, data["nips"]["staf"])
    chrome.get(f"{base}/appraisals/{data['mine']}")
    box = chrome.find_element(*_by("[data-next-action]"))
    assert box.text == "Isi realisasi 1 IKI"
    assert "Tidak ada yang perlu Anda lakukan" not in _main(chrome)
    _click(chrome, box)
    _wait_for(chrome, "main", "Simpan realisasi")
    assert chrome.current_url.endswith(f"/appraisals/{data['mine']}/realisasi")

    _sign_in(chrome, base, data["nips"]["kasi"])
    chrome.get(f"{base}/appraisals/{data['review']}")
    box = chrome.find_element(*_by("[data-next-action]"))
    assert box.text == "Lengkapi umpan balik 1 IKI"
    _click(chrome, box)
    _wait_for(chrome, "main", "Umpan balik")
    assert chrome.current_url.endswith(f"/appraisals/{data['review']}/review")


# 9. Email buttons open the page where the decision is made ---------------------------------

BUTTON = "^{label}: https?://[^/\\s]+(/appraisals/\\d+/from-mail/\\S+)"


@pytest.fixture
def mailed(tmp_path):
    smtp = SmtpServer().start()

    def build():
        current_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, MAIL_TIMEOUT=5)
        team = make_team()
        period, later = make_period(), make_period(2027)
        review = appraisal_in_state(team, period, "self_assessment")
        _clear_review(review)
        fire(review, "submit_assessment", team["staf"], {})
        plan = appraisal_in_state(team, period, "draft", "staf2")
        fire(plan, "submit_plan", team["staf2"], {})
        objection = appraisal_in_state(team, later, "final")
        reasons = "Realisasi saya melampaui target; bukti dukung terlampir lengkap."
        fire(objection, "file_objection", team["staf"], {"comment": reasons})
        db.session.commit()
        send_batch()
        return {
            "nips": _nips(team),
            "emails": {key: team[key].employee.email for key in ("kasi", "kabid")},
            "ids": {"review": review.id, "plan": plan.id, "objection": objection.id},
            "reasons": reasons,
        }

    try:
        for base, data in _serve(tmp_path, build):
            yield base, data, smtp
    finally:
        smtp.stop()


def _button(smtp, address: str, label: str, appraisal_id: int) -> str:
    """The path of the mail button `label` for the appraisal, from the mail as delivered."""
    pattern = re.compile(BUTTON.format(label=re.escape(label)), re.MULTILINE)
    for message in smtp.to(address):
        for path in pattern.findall(text_of(message)):
            if path.startswith(f"/appraisals/{appraisal_id}/"):
                return path
    raise AssertionError(f"no {label!r} button for SKP {appraisal_id} in the mail to {address}")


def _review_page(chrome, base, data):
    """Approving the review: the review page, with the ratings to give and what is missing."""
    review = data["ids"]["review"]
    assert chrome.current_url.endswith(f"/appraisals/{review}/review")
    assert chrome.find_element(*_by("select#rating_hk"))
    assert "Sebelum Anda dapat menyetujui penilaian" in _main(chrome)
    assert chrome.find_element(*_by(f"a[href='/appraisals/{review}/act/return_review']"))
    assert "Penilaian oleh atasan" in chrome.find_element(*_by("main .badge")).text  # unchanged


def _plan_page(chrome, base, data):
    """Approving the plan: the plan itself, with the step's button to its confirmation."""
    plan = data["ids"]["plan"]
    assert chrome.current_url.endswith(f"/appraisals/{plan}/plan")
    assert RHK_TEXT in _main(chrome)
    _click(chrome, chrome.find_element(*_by(f"a[href='/appraisals/{plan}/act/approve_plan']")))
    _wait_for(chrome, "main", "Konfirmasi")


def _objection_page(chrome, base, data):
    """Deciding the keberatan: the reasons filed and the current ratings beside the form."""
    objection = data["ids"]["objection"]
    assert chrome.current_url.endswith(f"/appraisals/{objection}/objection")
    assert data["reasons"] in _main(chrome)
    assert "Sesuai Ekspektasi" in _main(chrome)
    assert chrome.find_element(*_by("select#rating_hk"))


@pytest.mark.parametrize(
    ("who", "label", "key", "check"),
    [
        ("kasi", "Setujui penilaian", "review", _review_page),
        ("kasi", "Setujui rencana SKP", "plan", _plan_page),
        ("kabid", "Putuskan keberatan", "objection", _objection_page),
    ],
)
def test_each_email_button_opens_the_page_where_that_decision_is_made(
    chrome, mailed, tmp_path, who, label, key, check
):
    base, data, smtp = mailed
    _sign_in(chrome, base, data["nips"][who])
    chrome.get(base + _button(smtp, data["emails"][who], label, data["ids"][key]))
    _wait_for(chrome, "main", "SKP")
    check(chrome, base, data)
    chrome.save_screenshot(str(tmp_path / f"mail-{key}.png"))


# 10. The return reason stays in view until the SKP moves on -------------------------------


@pytest.fixture
def returned(tmp_path):
    def build():
        team = make_team()
        period, later = make_period(), make_period(2027)
        realisasi = appraisal_in_state(team, period, "supervisor_review")
        fire(realisasi, "return_review", team["kasi"], {"comment": "Lampirkan laporan Desember."})
        plan = appraisal_in_state(team, period, "plan_review", "staf2")
        fire(plan, "return_plan", team["kasi"], {"comment": "Tambahkan IKI kualitas."})
        review = appraisal_in_state(team, later, "verification")
        fire(review, "return_verification", team["verifikator"], {"comment": "Umpan balik tipis."})
        moved = appraisal_in_state(team, later, "supervisor_review", "staf2")
        fire(moved, "return_review", team["kasi"], {"comment": "Sudah diperbaiki kemudian."})
        fire(moved, "submit_assessment", team["staf2"], {})
        ids = {"realisasi": realisasi.id, "plan": plan.id, "review": review.id, "moved": moved.id}
        return {"nips": _nips(team), "ids": ids}

    yield from _serve(tmp_path, build)


def test_the_return_reason_is_shown_on_the_skp_and_on_the_form_to_fix(chrome, returned, tmp_path):
    base, data = returned
    ids = data["ids"]

    def banner(path: str) -> str:
        chrome.get(base + path)
        return chrome.find_element(*_by("main [data-return-reason]")).text

    _sign_in(chrome, base, data["nips"]["staf"])
    for path in (f"/appraisals/{ids['realisasi']}", f"/appraisals/{ids['realisasi']}/realisasi"):
        text = banner(path)
        assert "Lampirkan laporan Desember." in text and "Kasi Nasution" in text
    chrome.save_screenshot(str(tmp_path / "returned.png"))
    _sign_in(chrome, base, data["nips"]["staf2"])
    assert "Tambahkan IKI kualitas." in banner(f"/appraisals/{ids['plan']}/plan")
    _sign_in(chrome, base, data["nips"]["kasi"])
    assert "Umpan balik tipis." in banner(f"/appraisals/{ids['review']}/review")
    chrome.get(f"{base}/appraisals/{ids['moved']}/review")  # resubmitted since: no banner
    _wait_for(chrome, "main", "Umpan balik")
    assert not chrome.find_elements(*_by("[data-return-reason]"))


# 11. Completeness is checked when the step is submitted ----------------------------------


@pytest.fixture
def incomplete(tmp_path):
    def build():
        team = make_team()
        period = make_period()
        verification = appraisal_in_state(team, period, "verification")
        for iki in db.session.scalars(
            sa.select(Iki).join(Rhk).where(Rhk.appraisal_id == verification.id)
        ):
            iki.feedback = None
        review = appraisal_in_state(team, period, "supervisor_review", "staf2")
        _clear_review(review)
        review.rating_hk = review.rating_pk = "sesuai"  # rated, but no umpan balik
        return {
            "nips": _nips(team),
            "verification": verification.id,
            "review": review.id,
            "opd_page": f"/verification/{period.id}/opd/{team['opd'].id}",
        }

    yield from _serve(tmp_path, build)


def test_an_incomplete_skp_can_be_neither_approved_nor_finalised(chrome, incomplete, tmp_path):
    base, data = incomplete
    _sign_in(chrome, base, data["nips"]["verifikator"])
    chrome.get(base + data["opd_page"])
    _click(chrome, chrome.find_element(*_by(f"#sel-{data['verification']}")))
    _click(chrome, chrome.find_element(*_by("main button[data-primary-action]")))
    _wait_for(chrome, "main", "belum dapat ditetapkan final")
    assert "umpan balik belum diisi" in _main(chrome)
    chrome.save_screenshot(str(tmp_path / "not-finalised.png"))
    chrome.get(f"{base}/appraisals/{data['verification']}")
    assert "Verifikasi BKD" in chrome.find_element(*_by("main .badge")).text

    _sign_in(chrome, base, data["nips"]["kasi"])
    chrome.get(f"{base}/appraisals/{data['review']}")
    _wait_for(chrome, "main", "Penilaian oleh atasan")
    assert not chrome.find_elements(*_by("a[href$='/act/approve_review']"))
    chrome.get(f"{base}/appraisals/{data['review']}/review")
    missing = chrome.find_element(*_by("#review-missing")).text
    assert "Umpan balik belum diisi untuk 1 dari 1 IKI." in missing
    assert "Umpan balik belum diisi untuk 7 dari 7 nilai perilaku kerja." in missing


# 12. The atasan reads their review after final -------------------------------------------


def test_the_atasan_reads_their_review_after_final(chrome, finished, tmp_path):
    base, data = finished
    _sign_in(chrome, base, data["nips"]["kasi"])
    chrome.get(f"{base}/appraisals/{data['final']}/review")
    _wait_for(chrome, "main", "Sudah baik.")
    assert chrome.find_element(*_by("[data-review-readonly]"))
    assert not chrome.find_elements(*_by("main textarea, main select#rating_hk"))
    assert "Sesuai Ekspektasi" in _main(chrome)
    chrome.save_screenshot(str(tmp_path / "review-read-only.png"))
    chrome.get(f"{base}/appraisals/{data['final']}")  # and the SKP page links to it
    assert chrome.find_element(*_by(f"main a[href='/appraisals/{data['final']}/review']"))
