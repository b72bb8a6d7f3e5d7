"""The Dokumen Evaluasi Kinerja: PDF and print view, who may read it, the recorded sha256."""

import io
import re

import pytest
import sqlalchemy as sa
from flask import current_app
from pypdf import PdfReader

from app.extensions import db
from app.models import Appraisal, Behaviour, Iki, Rhk
from app.skp.document import services as document
from app.skp.document import signing
from app.workflow.engine import fire
from tests.factories import (
    make_account,
    make_employee,
    make_opd,
    make_period,
    make_position,
)
from tests.workflow_helpers import appraisal_in_state


def rated(team, state="verification", workflow="skp_annual", hk="di_atas", pk="di_atas"):
    """An appraisal at `state` with ratings, umpan balik and one ekspektasi."""
    period = make_period(workflow=workflow, kind="annual" if workflow == "skp_annual" else "tw1")
    appraisal = appraisal_in_state(team, period, state)
    appraisal.rating_hk, appraisal.rating_pk = hk, pk
    # Each RHK rated as the hasil kerja, so that the rating is the suggested one.
    db.session.execute(sa.update(Rhk).where(Rhk.appraisal_id == appraisal.id).values(rating=hk))
    appraisal.rating_hk_suggested = hk
    iki = db.session.scalars(sa.select(Iki).join(Rhk).where(Rhk.appraisal_id == appraisal.id)).one()
    iki.feedback = "Laporan selalu tepat waktu."
    behaviour = db.session.scalars(
        sa.select(Behaviour).where(
            Behaviour.appraisal_id == appraisal.id, Behaviour.value == "kolaboratif"
        )
    ).one()
    behaviour.expectation = "Aktif dalam tim lintas seksi."
    db.session.commit()
    return appraisal


def rendered_sha256(pdf: bytes) -> str:
    """The sha256 of the document as rendered: the signed file's first revision."""
    result = signing.verify_pdf(pdf, [signing.certificate_pem(current_app)])
    assert result.valid, result
    return result.original_sha256


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_finalising_records_the_sha256_of_a_pdf_that_renders_the_same_again(team, browser):
    appraisal = rated(team)
    team["verifikator"].locale = "en"  # the document is Indonesian whoever finalises it
    fire(appraisal, "finalise", team["verifikator"], {})
    db.session.commit()
    recorded = db.session.get(Appraisal, appraisal.id).document_sha256
    assert re.fullmatch(r"[0-9a-f]{64}", recorded)
    assert db.session.get(Appraisal, appraisal.id).predikat == "sangat_baik"

    browser.login(team["staf"].employee.nip)
    response = browser.get(f"/appraisals/{appraisal.id}/document.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert rendered_sha256(response.data) == recorded


def test_the_pdf_holds_the_predikat_the_nip_and_the_content(team, browser):
    appraisal = rated(team)
    fire(appraisal, "finalise", team["verifikator"], {})
    db.session.commit()
    browser.login(team["staf"].employee.nip)
    text = pdf_text(browser.get(f"/appraisals/{appraisal.id}/document.pdf").data)
    squashed = re.sub(r"\s+", " ", text)
    assert "DOKUMEN EVALUASI KINERJA PEGAWAI" in squashed
    assert "Sangat Baik" in squashed
    assert team["staf"].employee.nip in squashed
    assert team["kasi"].employee.nip in squashed  # the pejabat penilai
    assert "Di Atas Ekspektasi" in squashed
    assert "Laporan selalu tepat waktu." in squashed
    assert "Aktif dalam tim lintas seksi." in squashed
    assert "Kolaboratif" in squashed and "Berorientasi Pelayanan" in squashed


@pytest.mark.parametrize(
    ("hk", "pk", "words"),
    [
        ("sesuai", "sesuai", "Baik"),
        ("di_bawah", "sesuai", "Butuh Perbaikan"),
        ("sesuai", "di_bawah", "Kurang/Misconduct"),  # the regulation's label
        ("di_bawah", "di_bawah", "Sangat Kurang"),
    ],
)
def test_the_predikat_is_printed_in_indonesian_words(team, hk, pk, words):
    appraisal = rated(team, hk=hk, pk=pk)
    appraisal.rating_comment = "Perlu pembinaan."
    fire(appraisal, "finalise", team["verifikator"], {})
    html = document.render_html(appraisal)
    assert re.search(r'<div class="predikat">\s*' + words + r"\s*</div>", html)


def test_the_print_view_is_the_same_document(team, browser):
    appraisal = rated(team)
    fire(appraisal, "finalise", team["verifikator"], {})
    db.session.commit()
    browser.login(team["kasi"].employee.nip)
    page = browser.get(f"/appraisals/{appraisal.id}/document").get_data(as_text=True)
    assert "DOKUMEN EVALUASI KINERJA PEGAWAI" in page
    assert team["staf"].employee.nip in page and "Sangat Baik" in page
    assert f"/appraisals/{appraisal.id}/document.pdf" in page  # the toolbar
    assert 'class="draft"' not in page


def test_a_document_before_finalisation_is_marked_as_a_draft(team, browser):
    appraisal = rated(team, state="supervisor_review")
    browser.login(team["kasi"].employee.nip)
    page = browser.get(f"/appraisals/{appraisal.id}/document").get_data(as_text=True)
    assert 'class="draft"' in page


def test_the_periodic_evaluation_records_its_document_when_approved(team):
    appraisal = rated(team, state="supervisor_review", workflow="skp_periodic")
    fire(appraisal, "approve_review", team["kasi"], {})
    db.session.commit()
    assert appraisal.state == "final"
    assert document.sha256_hex(document.render_pdf(appraisal)) == appraisal.document_sha256


def test_a_decided_objection_records_the_new_document(team):
    appraisal = rated(team)
    fire(appraisal, "finalise", team["verifikator"], {})
    first = appraisal.document_sha256
    fire(appraisal, "file_objection", team["staf"], {"comment": "Alasan keberatan yang jelas."})
    fire(
        appraisal, "decide_objection", team["kabid"], {"comment": "Diubah.", "rating_pk": "sesuai"}
    )
    db.session.commit()
    assert appraisal.predikat == "baik"
    assert appraisal.document_sha256 != first
    assert document.sha256_hex(document.render_pdf(appraisal)) == appraisal.document_sha256


def _other_opd_atasan(team):
    opd = make_opd("DISDIK", "Dinas Pendidikan", "dinas")
    head = make_position(opd, "Kepala Dinas Pendidikan", "jpt")
    kabid = make_position(opd, "Kepala Bidang SD", "administrator", head)
    make_employee("Staf Disdik", make_position(opd, "Staf SD", "pelaksana", kabid))
    return make_account(make_employee("Kabid Disdik", kabid))


@pytest.mark.parametrize("suffix", ["document", "document.pdf"])
@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("staf", True),  # the appraisee
        ("kasi", True),  # the appraiser
        ("verifikator", True),
        ("staf2", False),  # another pegawai of the same unit
        ("other_atasan", False),  # an atasan in another OPD
        (None, False),  # anonymous
    ],
)
def test_who_may_read_the_document(team, client, browser, who, allowed, suffix):
    appraisal = rated(team, state="final")
    if who == "other_atasan":
        team[who] = _other_opd_atasan(team)
        db.session.commit()
    if who is None:
        response = client.get(f"/appraisals/{appraisal.id}/{suffix}")
    else:
        browser.login(team[who].employee.nip)
        response = browser.get(f"/appraisals/{appraisal.id}/{suffix}")
    if allowed:
        assert response.status_code == 200
    else:
        assert response.status_code in (403, 404)
        assert not response.data.startswith(b"%PDF")
        assert team["staf"].employee.nip.encode() not in response.data


def test_an_unknown_appraisal_has_no_document(team, browser):
    browser.login(team["staf"].employee.nip)
    assert browser.get("/appraisals/999999/document.pdf").status_code == 404


def _version(appraisal_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Appraisal, appraisal_id).version


def test_the_evaluation_half_of_the_flow_over_http_ends_with_the_pdf(team, new_browser):
    appraisal = rated(team, state="supervisor_review")
    appraisal.rating_hk = appraisal.rating_pk = None
    db.session.commit()
    iki = db.session.scalars(sa.select(Iki).join(Rhk).where(Rhk.appraisal_id == appraisal.id)).one()
    people = {}
    for key in ("staf", "kasi", "kabid", "verifikator"):
        people[key] = new_browser()
        people[key].login(team[key].employee.nip)
    url = f"/appraisals/{appraisal.id}"

    def act(who, trigger, **data):
        response = people[who].post(
            f"{url}/act/{trigger}", {"version": _version(appraisal.id), **data}
        )
        assert response.status_code == 302, (who, trigger)

    review = {"version": _version(appraisal.id), "rating_hk": "sesuai", "rating_pk": "di_atas"}
    review[f"iki_{iki.id}"] = "Baik sekali."
    review[f"rhk_{iki.rhk_id}"] = "sesuai"  # the RHK rating the hasil kerja rating follows
    assert people["kasi"].post(f"{url}/review", review).status_code == 302
    act("kasi", "approve_review")
    act("verifikator", "return_verification", comment="Umpan balik perilaku belum lengkap.")
    review["version"] = _version(appraisal.id)
    assert people["kasi"].post(f"{url}/review", review).status_code == 302
    act("kasi", "approve_review")
    act("verifikator", "finalise")
    act("staf", "file_objection", comment="Hasil kerja saya melebihi target yang ditetapkan.")
    response = people["kabid"].post(
        f"{url}/objection",
        {"version": _version(appraisal.id), "rating_hk": "di_atas", "comment": "Diterima."},
    )
    assert response.status_code == 302

    db.session.expire_all()
    final = db.session.get(Appraisal, appraisal.id)
    assert (final.state, final.predikat) == ("final", "sangat_baik")
    pdf = people["staf"].get(f"{url}/document.pdf").data
    assert rendered_sha256(pdf) == final.document_sha256
    text = re.sub(r"\s+", " ", pdf_text(pdf))
    assert "Sangat Baik" in text and team["staf"].employee.nip in text
