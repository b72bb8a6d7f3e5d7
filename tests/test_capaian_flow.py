"""Capaian, RHK ratings and the suggested hasil kerja rating on the pages; bukti dukung guard.

Issue 13, "Capaian per IKI and the hasil kerja rating": each acceptance item below
fails without the feature.
"""

import re
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from app.extensions import db
from app.models import Appraisal, Evidence, Iki, Rhk
from app.skp.document import services as document
from app.workflow.engine import fire
from app.workflow.errors import GuardFailed
from tests.factories import make_period
from tests.workflow_helpers import appraisal_in_state


def _rhks(appraisal) -> list[Rhk]:
    return list(db.session.scalars(sa.select(Rhk).where(Rhk.appraisal_id == appraisal.id)))


def _ikis(appraisal) -> list[Iki]:
    return list(
        db.session.scalars(
            sa.select(Iki).join(Rhk).where(Rhk.appraisal_id == appraisal.id).order_by(Iki.id)
        )
    )


def _add_rhk(appraisal, group: str, rating: str | None = None) -> Rhk:
    rhk = Rhk(appraisal_id=appraisal.id, group_=group, position=5, text=f"RHK {group}")
    rhk.rating = rating
    rhk.ikis = [
        Iki(
            text=f"IKI {group}",
            aspect="kuantitas",
            target_kind="number",
            target_value=Decimal(10),
            target_unit="laporan",
            realisasi_value=Decimal(10),
            feedback="Baik.",
            evidence_reason="Diperiksa langsung.",
        )
    ]
    db.session.add(rhk)
    db.session.flush()
    return rhk


@pytest.fixture
def in_review(team):
    """An SKP in review with two RHK (the minimal UTAMA and a TAMBAHAN), not rated yet."""
    appraisal = appraisal_in_state(team, make_period(), "supervisor_review")
    _add_rhk(appraisal, "tambahan")
    for rhk in _rhks(appraisal):
        rhk.rating = None
    appraisal.rating_hk = appraisal.predikat = appraisal.rating_hk_suggested = None
    db.session.commit()
    return appraisal


def _review(appraisal, ratings: dict[str, str], **fields) -> dict:
    data = {"version": appraisal.version, "rating_pk": "sesuai", "rating_comment": ""}
    for rhk in _rhks(appraisal):
        data[f"rhk_{rhk.id}"] = ratings[rhk.group_]
    data.update(fields)
    return data


def _stored(appraisal_id):
    db.session.expire_all()
    row = db.session.get(Appraisal, appraisal_id)
    ratings = sorted((r.group_, r.rating) for r in _rhks(row))
    return row.rating_hk, row.rating_hk_suggested, row.rating_hk_reason, ratings


def test_another_rating_than_the_suggestion_without_a_reason_is_refused(team, in_review, browser):
    browser.login(team["kasi"].employee.nip)
    url = f"/appraisals/{in_review.id}/review"
    # Both RHK above expectation: SIKAP suggests di atas; the atasan chooses sesuai.
    data = _review(in_review, {"utama": "di_atas", "tambahan": "di_atas"}, rating_hk="sesuai")
    response = browser.post(url, data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "SIKAP menyarankan “Di Atas Ekspektasi”" in page and "tuliskan alasannya" in page
    assert _stored(in_review.id) == (None, None, None, [("tambahan", None), ("utama", None)])


def test_with_a_reason_it_is_stored_shown_to_the_verifikator_and_printed(
    team, in_review, browser, new_browser
):
    browser.login(team["kasi"].employee.nip)
    reason = "Target RHK ditetapkan terlalu rendah pada awal tahun."
    data = _review(
        in_review,
        {"utama": "di_atas", "tambahan": "di_atas"},
        rating_hk="sesuai",
        rating_hk_reason=reason,
    )
    assert browser.post(f"/appraisals/{in_review.id}/review", data).status_code == 302
    assert _stored(in_review.id) == (
        "sesuai",
        "di_atas",
        reason,
        [("tambahan", "di_atas"), ("utama", "di_atas")],
    )
    db.session.expire_all()
    appraisal = db.session.get(Appraisal, in_review.id)
    appraisal.state = "verification"  # what approve_review does; its guard is tested below
    db.session.commit()
    verifier = new_browser()
    verifier.login(team["verifikator"].employee.nip)
    page = verifier.get(f"/appraisals/{in_review.id}/verification").get_data(as_text=True)
    assert 'data-suggested="di_atas"' in page and reason in page
    html = document.render_html(appraisal)
    assert reason in html and "Saran rating hasil kerja" in html


def test_the_suggested_rating_needs_no_reason_and_a_stale_reason_is_not_shown(
    team, in_review, browser
):
    browser.login(team["kasi"].employee.nip)
    data = _review(
        in_review,
        {"utama": "di_bawah", "tambahan": "sesuai"},
        rating_hk="sesuai",
        rating_hk_reason="Tidak perlu.",
    )
    # One UTAMA below of two RHK (half: not most) -> sesuai, as chosen.
    assert browser.post(f"/appraisals/{in_review.id}/review", data).status_code == 302
    assert _stored(in_review.id)[:3] == ("sesuai", "sesuai", "Tidak perlu.")
    db.session.expire_all()
    appraisal = db.session.get(Appraisal, in_review.id)
    assert appraisal.rating_hk_override_reason is None
    assert "Tidak perlu." not in document.render_html(appraisal)


def test_approving_the_review_needs_every_rhk_rated(team, in_review):
    appraisal = in_review
    appraisal.rating_hk, appraisal.rating_pk = "sesuai", "sesuai"
    with force_locale("en"), pytest.raises(GuardFailed) as refused:
        fire(appraisal, "approve_review", team["kasi"], {})
    assert "2 of 2 are not rated yet" in refused.value.message
    db.session.rollback()


def test_approving_a_rating_against_the_suggestion_without_reason_is_refused(team, in_review):
    appraisal = in_review
    for rhk in _rhks(appraisal):
        rhk.rating = "di_bawah"
    appraisal.rating_hk, appraisal.rating_pk = "sesuai", "sesuai"
    with force_locale("en"), pytest.raises(GuardFailed) as refused:
        fire(appraisal, "approve_review", team["kasi"], {})
    assert "suggests “Di Bawah Ekspektasi”" in refused.value.message
    db.session.rollback()


def test_the_review_page_shows_capaian_rhk_ratings_and_bukti_dukung(team, in_review, browser):
    iki = _ikis(in_review)[0]
    iki.realisasi_value = iki.target_value * Decimal("1.25")
    db.session.add(
        Evidence(
            iki_id=iki.id,
            kind="link",
            url="https://example.org/laporan",
            uploaded_by_id=team["staf"].employee.id,
        )
    )
    db.session.commit()
    browser.login(team["kasi"].employee.nip)
    page = browser.get(f"/appraisals/{in_review.id}/review").get_data(as_text=True)
    assert re.search(rf'data-capaian="{iki.id}">125 %', page)
    assert "https://example.org/laporan" in page
    assert page.count('name="rhk_') == 2


def test_a_qualitative_iki_is_marked_by_the_atasan(team, in_review, browser):
    iki = _ikis(in_review)[0]
    iki.direction = "quality"
    db.session.commit()
    browser.login(team["kasi"].employee.nip)
    data = _review(
        in_review,
        {"utama": "sesuai", "tambahan": "sesuai"},
        rating_hk="sesuai",
        **{f"mark_{iki.id}": "di_atas"},
    )
    assert browser.post(f"/appraisals/{in_review.id}/review", data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Iki, iki.id).quality_mark == "di_atas"
    page = browser.get(f"/appraisals/{in_review.id}/review").get_data(as_text=True)
    assert re.search(rf'data-capaian="{iki.id}">Di Atas Ekspektasi', page)


@pytest.fixture
def assessing(team, evidence_dir):
    appraisal = appraisal_in_state(team, make_period(), "self_assessment")
    for iki in _ikis(appraisal):
        iki.evidence_reason = None
    db.session.commit()
    return appraisal


def test_submitting_without_bukti_dukung_or_reason_is_refused_naming_the_iki(team, assessing):
    iki = _ikis(assessing)[0]
    with force_locale("id"), pytest.raises(GuardFailed) as refused:
        fire(assessing, "submit_assessment", team["staf"], {})
    assert f"“{iki.text}”" in refused.value.message
    assert "Bukti dukung belum ada untuk IKI UTAMA" in refused.value.message
    db.session.rollback()
    assert db.session.get(Appraisal, assessing.id).state == "self_assessment"


def test_a_tambahan_iki_needs_no_bukti_dukung(team, assessing):
    rhk = _add_rhk(assessing, "tambahan")
    rhk.ikis[0].evidence_reason = None
    _ikis(assessing)[0].evidence_reason = "Diserahkan langsung."
    fire(assessing, "submit_assessment", team["staf"], {})
    assert assessing.state == "supervisor_review"


def test_a_link_as_bukti_dukung_lets_it_be_submitted(team, assessing):
    db.session.add(
        Evidence(
            iki_id=_ikis(assessing)[0].id,
            kind="link",
            url="https://example.org/bukti",
            uploaded_by_id=team["staf"].employee.id,
        )
    )
    fire(assessing, "submit_assessment", team["staf"], {})
    assert assessing.state == "supervisor_review"


def test_the_reason_is_written_on_the_realisasi_page_beside_the_capaian(team, assessing, browser):
    iki = _ikis(assessing)[0]
    browser.login(team["staf"].employee.nip)
    url = f"/appraisals/{assessing.id}/realisasi"
    page = browser.get(url).get_data(as_text=True)
    assert f'name="reason_{iki.id}"' in page
    assert re.search(rf'data-capaian="{iki.id}">100 %', page)  # realisasi 12 of target 12
    data = {
        "version": assessing.version,
        f"iki_{iki.id}": "6",
        f"reason_{iki.id}": "Laporan asli diserahkan langsung kepada atasan.",
    }
    assert browser.post(url, data).status_code == 303
    db.session.expire_all()
    saved = db.session.get(Iki, iki.id)
    assert saved.evidence_reason == "Laporan asli diserahkan langsung kepada atasan."
    page = browser.get(url).get_data(as_text=True)
    assert re.search(rf'data-capaian="{iki.id}">50 %', page)
    fire(db.session.get(Appraisal, assessing.id), "submit_assessment", team["staf"], {})


def test_the_document_prints_the_capaian(team, assessing):
    iki = _ikis(assessing)[0]
    iki.direction, iki.target_value, iki.realisasi_value = "lower", Decimal(10), Decimal(8)
    db.session.flush()
    html = document.render_html(assessing)
    assert re.search(rf'data-capaian="{iki.id}">125 %', html)
    iki.realisasi_value = Decimal(0)
    html = document.render_html(assessing)
    assert "realisasi 0: tidak ada rasio" in html


def test_the_realisasi_page_says_which_iki_utama_lacks_bukti_dukung(team, assessing, browser):
    iki = _ikis(assessing)[0]
    browser.login(team["staf"].employee.nip)
    page = browser.get(f"/appraisals/{assessing.id}/realisasi").get_data(as_text=True)
    banner = re.search(r'id="realisasi-missing">([^<]*)<', page).group(1)
    assert "Bukti dukung belum ada untuk IKI UTAMA" in banner and iki.text in banner


def test_a_keberatan_decision_that_changes_the_rating_drops_the_appraisers_reason(team):
    appraisal = appraisal_in_state(team, make_period(), "objection")
    for rhk in _rhks(appraisal):
        rhk.rating = "di_atas"
    appraisal.rating_hk, appraisal.rating_hk_suggested = "sesuai", "di_atas"
    appraisal.rating_hk_reason = "Target terlalu rendah."
    db.session.commit()
    assert appraisal.rating_hk_override_reason == "Target terlalu rendah."
    fire(
        appraisal,
        "decide_objection",
        team["kabid"],
        {"comment": "Keberatan diterima sebagian.", "rating_hk": "di_bawah"},
    )
    assert appraisal.rating_hk_reason is None and appraisal.rating_hk_override_reason is None
