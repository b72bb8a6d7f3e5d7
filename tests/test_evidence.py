"""Bukti dukung: uploads checked by content, stored outside static, downloaded only by viewers."""

import hashlib
import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from app.extensions import db
from app.models import Appraisal, Evidence, Iki, Rhk
from app.workflow.engine import fire
from config import Config, TestingConfig
from tests.factories import (
    make_account,
    make_employee,
    make_opd,
    make_period,
    make_position,
)
from tests.workflow_helpers import appraisal_in_state

MB = 1024 * 1024


def pdf_bytes() -> bytes:
    """A minimal one-page PDF 1.4 document."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def png_bytes() -> bytes:
    """A 1x1 PNG: the signature, IHDR, IDAT and IEND chunks."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def jpeg_bytes() -> bytes:
    return (
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        + b"\x00" * 64
        + b"\xff\xd9"
    )


def office_bytes(folder: str, main: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        package.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        package.writestr(f"{folder}/{main}", '<?xml version="1.0"?><root/>')
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    return office_bytes("xl", "workbook.xml")


def docx_bytes() -> bytes:
    return office_bytes("word", "document.xml")


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("readme.txt", "hello")
    return buffer.getvalue()


def the_iki(appraisal) -> Iki:
    return db.session.scalars(
        sa.select(Iki).join(Rhk).where(Rhk.appraisal_id == appraisal.id)
    ).first()


def upload_url(appraisal, kind="file") -> str:
    return f"/appraisals/{appraisal.id}/iki/{the_iki(appraisal).id}/evidence/{kind}"


def upload(browser, appraisal, content: bytes, name: str, version: int | None = None):
    """Post a file as a browser would, the body built in memory.

    (The test client would spool a large body to a temporary file it never closes.)
    """
    fields = MultiDict(
        {
            "csrf_token": browser.csrf_token(),
            "version": str(appraisal.version if version is None else version),
            "file": FileStorage(io.BytesIO(content), filename=name),
        }
    )
    boundary, body = encode_multipart(fields)
    return browser.client.post(
        upload_url(appraisal),
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        headers={"Accept": "text/html"},
    )


def evidence_rows() -> list[Evidence]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Evidence).order_by(Evidence.id)))


def stored_files(directory: Path) -> list[Path]:
    return sorted(directory.iterdir()) if directory.exists() else []


ACCEPTED = [
    ("pdf", pdf_bytes, "Laporan bulanan.pdf", "application/pdf"),
    ("png", png_bytes, "foto kegiatan.PNG", "image/png"),
    ("jpeg", jpeg_bytes, "foto.jpg", "image/jpeg"),
    ("jpeg-long", jpeg_bytes, "foto.jpeg", "image/jpeg"),
    (
        "xlsx",
        xlsx_bytes,
        "rekap.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "docx",
        docx_bytes,
        "notulen.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
]


@pytest.mark.parametrize(
    ("case", "make", "name", "mimetype"), ACCEPTED, ids=[a[0] for a in ACCEPTED]
)
def test_accepted_files_are_stored_outside_static_with_their_sha256(
    app, team, assessing, evidence_dir, browser, case, make, name, mimetype
):
    content = make()
    browser.login(team["staf"].employee.nip)
    assert upload(browser, assessing, content, name).status_code == 302
    [row] = evidence_rows()
    assert (row.kind, row.filename, row.size, row.content_type) == (
        "file",
        name,
        len(content),
        mimetype,
    )
    assert row.sha256 == hashlib.sha256(content).hexdigest()
    extension = Path(name).suffix.lower()
    assert re.fullmatch(r"[0-9a-f]{32}" + re.escape(extension), row.stored_name)
    [stored] = stored_files(evidence_dir)
    assert stored.name == row.stored_name and stored.read_bytes() == content
    static = Path(app.static_folder).resolve()
    assert not stored.resolve().is_relative_to(static)


def test_configured_evidence_folders_are_outside_static(app):
    static = Path(app.static_folder).resolve()
    for config in (Config, TestingConfig):
        assert not Path(config.EVIDENCE_DIR).resolve().is_relative_to(static)
    assert Config.EVIDENCE_MAX_BYTES == 10 * MB


REFUSED = [
    ("png named pdf", png_bytes(), "laporan.pdf"),
    ("pdf named docx", pdf_bytes(), "laporan.docx"),
    ("docx named xlsx", docx_bytes(), "rekap.xlsx"),
    ("plain zip named docx", plain_zip(), "notulen.docx"),
    ("exe", b"MZ\x90\x00" + b"\x00" * 60, "setup.exe"),
    ("html", b"<html><script>alert(1)</script></html>", "bukti.html"),
    ("pdf named exe", pdf_bytes(), "laporan.exe"),
    ("no extension", pdf_bytes(), "laporan"),
    ("text named pdf", b"just some text", "catatan.pdf"),
    ("empty", b"", "kosong.pdf"),
    ("11 MB", b"%PDF-1.4\n" + b"0" * (11 * MB), "besar.pdf"),
]


@pytest.mark.parametrize(("case", "content", "name"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_files_get_a_message_on_the_field_and_nothing_is_written(
    team, assessing, evidence_dir, browser, case, content, name
):
    browser.login(team["staf"].employee.nip)
    response = upload(browser, assessing, content, name)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    iki = the_iki(assessing)
    assert re.search(rf'id="file-{iki.id}"[^>]*is-invalid|is-invalid[^>]*id="file-{iki.id}"', page)
    assert "invalid-feedback" in page
    assert evidence_rows() == []
    assert stored_files(evidence_dir) == []


def test_missing_file_is_refused_on_the_field(team, assessing, evidence_dir, browser):
    browser.login(team["staf"].employee.nip)
    response = browser.post(upload_url(assessing), {"version": assessing.version})
    assert response.status_code == 422 and "invalid-feedback" in response.get_data(as_text=True)
    assert evidence_rows() == []


def test_request_over_12_mb_gets_the_413_page(team, assessing, evidence_dir, browser):
    browser.login(team["staf"].employee.nip)
    response = upload(browser, assessing, b"%PDF-1.4\n" + b"0" * (13 * MB), "besar.pdf")
    assert response.status_code == 413
    assert "<html" in response.get_data(as_text=True)
    assert evidence_rows() == [] and stored_files(evidence_dir) == []


def test_the_message_names_the_lie(team, assessing, evidence_dir, browser):
    team["staf"].locale = "en"
    db.session.commit()
    browser.login(team["staf"].employee.nip)
    page = upload(browser, assessing, png_bytes(), "laporan.pdf").get_data(as_text=True)
    assert "named .pdf but its content is PNG" in page


# --- download ---------------------------------------------------------------------------------


@pytest.fixture
def stored(team, assessing, evidence_dir, new_browser):
    staf = new_browser()
    staf.login(team["staf"].employee.nip)
    assert upload(staf, assessing, pdf_bytes(), "Laporan <Mei>.pdf").status_code == 302
    [row] = evidence_rows()
    return row


def download_url(appraisal, evidence) -> str:
    return f"/appraisals/{appraisal.id}/evidence/{evidence.id}"


@pytest.mark.parametrize("who", ["staf", "kasi", "kabid", "verifikator", "admin", "kadis"])
def test_those_who_see_the_appraisal_download_it_as_an_attachment(
    team, assessing, stored, browser, who
):
    browser.login(team[who].employee.nip)
    response = browser.get(download_url(assessing, stored))
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.mimetype == "application/pdf"
    assert response.get_data() == pdf_bytes()
    response.close()


@pytest.mark.parametrize("who", ["staf2", "other_atasan", "anonymous"])
def test_others_cannot_download(team, assessing, stored, browser, new_browser, who):
    owner = new_browser()
    owner.login(team["staf"].employee.nip)
    with owner.get(download_url(assessing, stored)) as mine:
        assert mine.get_data() == pdf_bytes()
    if who == "other_atasan":
        opd = make_opd("DISDIK", "Dinas Pendidikan", "dinas")
        team[who] = make_account(make_employee("Kasi Lain", make_position(opd, "Kasi", "pengawas")))
    if who != "anonymous":
        browser.login(team[who].employee.nip)
    response = browser.get(download_url(assessing, stored))
    assert response.status_code in (403, 404)
    assert response.get_data() != pdf_bytes()


def test_evidence_is_not_reachable_through_another_appraisal(team, assessing, stored, browser):
    other = appraisal_in_state(team, make_period(2027), "self_assessment", employee_key="staf2")
    db.session.commit()
    browser.login(team["kasi"].employee.nip)  # appraiser of both
    assert browser.get(download_url(other, stored)).status_code == 404


# --- links, removal, permissions -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://drive.example.go.id/laporan?id=12", True),
        ("http://intranet.pemkomedan.go.id/x", True),
        ("javascript:alert(1)", False),
        ("ftp://example.com/file.pdf", False),
        ("https://", False),
        ("bukan tautan", False),
        ("https://example.com/a b", False),
        ("", False),
        ("https://example.com/" + "a" * 2000, False),
    ],
)
def test_links_must_be_http_or_https(team, assessing, evidence_dir, browser, url, ok):
    browser.login(team["staf"].employee.nip)
    response = browser.post(
        upload_url(assessing, "link"), {"version": assessing.version, "url": url}
    )
    rows = evidence_rows()
    if ok:
        assert response.status_code == 302
        assert [(r.kind, r.url) for r in rows] == [("link", url)]
    else:
        assert response.status_code == 422
        assert "invalid-feedback" in response.get_data(as_text=True)
        assert rows == []


def test_appraisee_removes_evidence_during_self_assessment(
    team, assessing, stored, evidence_dir, browser
):
    browser.login(team["staf"].employee.nip)
    assert stored_files(evidence_dir)
    response = browser.post(
        f"/appraisals/{assessing.id}/evidence/{stored.id}/remove", {"version": assessing.version}
    )
    assert response.status_code == 303
    assert evidence_rows() == [] and stored_files(evidence_dir) == []


@pytest.mark.parametrize("who", ["kasi", "verifikator", "admin"])
def test_others_cannot_add_or_remove_evidence(team, assessing, stored, evidence_dir, browser, who):
    browser.login(team[who].employee.nip)
    remove = browser.post(
        f"/appraisals/{assessing.id}/evidence/{stored.id}/remove", {"version": assessing.version}
    )
    assert remove.status_code == 403
    assert upload(browser, assessing, pdf_bytes(), "lain.pdf").status_code == 403
    assert len(evidence_rows()) == 1 and len(stored_files(evidence_dir)) == 1


def test_evidence_is_frozen_once_the_self_assessment_is_submitted(
    team, assessing, stored, evidence_dir, browser
):
    browser.login(team["staf"].employee.nip)
    appraisal = db.session.get(Appraisal, assessing.id)
    fire(appraisal, "submit_assessment", team["staf"], {})
    db.session.commit()
    remove = browser.post(
        f"/appraisals/{assessing.id}/evidence/{stored.id}/remove", {"version": appraisal.version}
    )
    assert remove.status_code == 403
    late = upload(browser, assessing, pdf_bytes(), "terlambat.pdf", version=1)
    assert late.status_code == 303  # a form from before the submit: told, nothing written
    assert len(evidence_rows()) == 1 and len(stored_files(evidence_dir)) == 1
    page = browser.get(f"/appraisals/{assessing.id}/realisasi").get_data(as_text=True)
    assert "/evidence/file" not in page and "/remove" not in page
    assert download_url(assessing, stored) in page  # still downloadable
