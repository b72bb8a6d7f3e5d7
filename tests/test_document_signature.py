"""The PAdES signature on final documents: it verifies, one changed byte breaks it.

Checked with pyHanko's own validator against the app's certificate (a self-signed
one, made for the tests), as a reader would: the signature is intact and chains
to the trusted certificate; a byte changed anywhere in the signed content makes it
invalid; another certificate does not vouch for it. The PDF as rendered stays the
file's first revision, so the fingerprint recorded at finalisation still matches.
"""

from __future__ import annotations

import hashlib
import logging

import pytest

from app.extensions import db
from app.models import Appraisal
from app.skp.document import signing
from app.workflow.engine import fire
from config import ProductionConfig
from tests.test_skp_document import rated


@pytest.fixture(autouse=True)
def _quiet_validator():
    # pyHanko logs a traceback for every untrusted chain it is shown on purpose here.
    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)


def _final_pdf(team, browser) -> tuple[Appraisal, bytes]:
    appraisal = rated(team)
    fire(appraisal, "finalise", team["verifikator"], {})
    db.session.commit()
    browser.login(team["staf"].employee.nip)
    response = browser.get(f"/appraisals/{appraisal.id}/document.pdf")
    assert response.status_code == 200
    return db.session.get(Appraisal, appraisal.id), response.data


def _other_certificate(tmp_path) -> bytes:
    from pyhanko.sign import signers

    path = tmp_path / "other.p12"
    signing._create_self_signed(path, None)
    other = signers.SimpleSigner.load_pkcs12(str(path), passphrase=None)
    from asn1crypto import pem

    return pem.armor("CERTIFICATE", other.signing_cert.dump())


def test_a_final_document_is_signed_and_verifies_against_the_certificate(app, team, browser):
    appraisal, pdf = _final_pdf(team, browser)
    result = signing.verify_pdf(pdf, [signing.certificate_pem(app)])
    assert result.signed and result.intact and result.trusted and result.valid, result
    assert "Pemerintah Kota Medan" in result.signer
    # The rendered document is the signed file's first revision: the fingerprint holds.
    assert result.original_sha256 == appraisal.document_sha256
    assert hashlib.sha256(pdf).hexdigest() != appraisal.document_sha256  # it is signed


def test_changing_one_byte_of_the_signed_content_fails_verification(app, team, browser):
    _, pdf = _final_pdf(team, browser)
    at = pdf.index(b"/Producer")  # a byte in the rendered content that keeps the PDF readable
    tampered = pdf[:at] + b"/Xroducer" + pdf[at + len(b"/Producer") :]
    assert len(tampered) == len(pdf) and tampered != pdf
    result = signing.verify_pdf(tampered, [signing.certificate_pem(app)])
    assert result.signed and not result.intact and not result.valid


def test_another_certificate_does_not_vouch_for_the_document(team, browser, tmp_path):
    _, pdf = _final_pdf(team, browser)
    result = signing.verify_pdf(pdf, [_other_certificate(tmp_path)])
    assert result.intact and not result.trusted and not result.valid


def test_a_draft_document_is_not_signed(app, team, browser):
    appraisal = rated(team)
    browser.login(team["staf"].employee.nip)
    pdf = browser.get(f"/appraisals/{appraisal.id}/document.pdf").data
    assert pdf.startswith(b"%PDF")
    result = signing.verify_pdf(pdf, [signing.certificate_pem(app)])
    assert not result.signed


def test_flask_documents_verify_names_the_skp_and_refuses_a_tampered_file(
    app, team, browser, tmp_path
):
    appraisal, pdf = _final_pdf(team, browser)
    good, bad = tmp_path / "good.pdf", tmp_path / "bad.pdf"
    good.write_bytes(pdf)
    at = pdf.index(b"/Producer")
    bad.write_bytes(pdf[:at] + b"/Xroducer" + pdf[at + 9 :])
    runner = app.test_cli_runner()

    result = runner.invoke(args=["documents", "verify", str(good)])
    assert result.exit_code == 0, result.output
    assert f"NIP {team['staf'].employee.nip}" in result.output
    assert appraisal.document_sha256 in result.output

    result = runner.invoke(args=["documents", "verify", str(bad)])
    assert result.exit_code == 1
    assert "INVALID: the signed content was changed" in result.output


def test_the_certificate_is_served_to_signed_in_users(app, team, browser):
    browser.login(team["staf"].employee.nip)
    response = browser.get("/documents/certificate.pem")
    assert response.status_code == 200
    assert response.data == signing.certificate_pem(app)
    assert response.data.startswith(b"-----BEGIN CERTIFICATE-----")


def test_without_a_certificate_the_final_document_is_served_unsigned(
    app, team, browser, monkeypatch
):
    # The app is shared by the session's tests: both changes are undone afterwards.
    monkeypatch.setitem(app.config, "DOCUMENT_SIGNING_P12", None)
    monkeypatch.delitem(app.extensions, signing.EXTENSION_KEY, raising=False)
    appraisal, pdf = _final_pdf(team, browser)
    assert hashlib.sha256(pdf).hexdigest() == appraisal.document_sha256
    assert browser.get("/documents/certificate.pem").status_code == 404


def test_production_refuses_a_certificate_path_that_names_no_file(monkeypatch, tmp_path):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "x" * 40)
    monkeypatch.setattr(ProductionConfig, "SQLALCHEMY_DATABASE_URI", "postgresql://x/y")
    monkeypatch.setattr(ProductionConfig, "DOCUMENT_SIGNING_P12", str(tmp_path / "none.p12"))
    monkeypatch.setattr(ProductionConfig, "DOCUMENT_SIGNING_SELF_SIGNED", False)
    with pytest.raises(RuntimeError, match="DOCUMENT_SIGNING_P12 names no file"):
        ProductionConfig.validate()
