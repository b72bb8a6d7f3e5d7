"""Quotas (go-live finding 12): bukti dukung per IKI and per SKP, and renders per user.

One IKI took eleven files with no limit, and PDF rendering and exports could be
asked for without end. Each limit answers with a message and stores nothing.
"""

import pytest

from app.extensions import db
from tests.factories import make_period
from tests.test_evidence import evidence_rows, pdf_bytes, stored_files, upload, upload_url
from tests.workflow_helpers import appraisal_in_state


def _add_link(browser, appraisal, n: int):
    return browser.post(
        upload_url(appraisal, "link"),
        {"version": appraisal.version, "url": f"https://drive.example.go.id/laporan-{n}"},
    )


def test_an_iki_takes_at_most_the_configured_number_of_bukti_dukung(
    app, team, assessing, browser, monkeypatch
):
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_PER_IKI", 3)
    browser.login(team["staf"].employee.nip)
    for n in range(3):
        assert _add_link(browser, assessing, n).status_code == 302
    refused = _add_link(browser, assessing, 3)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "sudah memiliki 3 bukti dukung" in page
    assert len(evidence_rows()) == 3


def test_the_files_of_one_skp_stay_within_their_total(
    app, team, assessing, browser, evidence_dir, monkeypatch
):
    one = len(pdf_bytes())
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_BYTES_PER_APPRAISAL", one + one // 2)
    browser.login(team["staf"].employee.nip)
    assert upload(browser, assessing, pdf_bytes(), "laporan-1.pdf").status_code == 302
    refused = upload(browser, assessing, pdf_bytes(), "laporan-2.pdf")
    assert refused.status_code == 422
    assert "melebihi" in refused.get_data(as_text=True)
    assert len(evidence_rows()) == 1
    assert len(stored_files(evidence_dir)) == 1  # the refused file was never written


@pytest.fixture
def final_skp(team):
    appraisal = appraisal_in_state(team, make_period(2026), "final")
    db.session.commit()
    return appraisal


def test_pdf_renders_are_limited_per_user(app, team, final_skp, browser, new_browser, monkeypatch):
    monkeypatch.setitem(app.config, "RENDER_RATE_LIMIT", "2 per minute")
    browser.login(team["staf"].employee.nip)
    url = f"/appraisals/{final_skp.id}/document.pdf"
    assert [browser.get(url).status_code for _ in range(3)] == [200, 200, 429]
    # Another user (from the same address) has their own quota.
    other = new_browser()
    other.login(team["kasi"].employee.nip)
    assert other.get(url).status_code == 200
    # Looking at the document on screen is no render.
    assert browser.get(f"/appraisals/{final_skp.id}/document").status_code == 200
