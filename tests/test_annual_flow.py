"""One pegawai's whole annual SKP over HTTP with CSRF on, every return path included.

Each person uses their own browser and only the pages a person would: the plan
editor, the action forms, ekspektasi, realisasi with a bukti dukung upload, the
review, verification, and at the end the Dokumen Evaluasi Kinerja as a PDF.
"""

import io
import re

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from app.appraisals.services import open_appraisal
from app.extensions import db
from app.models import Appraisal, AuditEvent, Evidence, Iki, Rhk
from app.models.skp import BERAKHLAK
from tests.factories import make_period, make_team
from tests.skp_helpers import atasan_rhk
from tests.test_evidence import png_bytes
from tests.test_skp_document import pdf_text, rendered_sha256
from tests.test_skp_plan import valid_plan


def _fresh(appraisal_id: int) -> Appraisal:
    db.session.expire_all()
    return db.session.get(Appraisal, appraisal_id)


def test_the_whole_annual_flow_over_http_ends_with_the_pdf(app, new_browser):
    team = make_team()
    appraisal = open_appraisal(team["staf"].employee, make_period())
    link = atasan_rhk(appraisal).id  # the kasi's own SKP has an RHK to link to
    db.session.commit()
    url = f"/appraisals/{appraisal.id}"
    people = {}
    for key in ("staf", "kasi", "verifikator"):
        people[key] = new_browser()
        people[key].login(team[key].employee.nip)

    def version() -> str:
        return str(_fresh(appraisal.id).version)

    def act(who: str, trigger: str, **data) -> None:
        response = people[who].post(f"{url}/act/{trigger}", {"version": version(), **data})
        assert response.status_code == 302, (who, trigger, response.status_code)

    def state() -> str:
        return _fresh(appraisal.id).state

    # The plan: written in the editor, submitted, returned with a reason, resubmitted.
    plan = valid_plan(_fresh(appraisal.id), str(link)) | {"op": "save"}
    assert people["staf"].post(f"{url}/plan", plan).status_code == 303
    act("staf", "submit_plan")
    act("kasi", "return_plan", comment="Tambahkan satuan yang lebih jelas.")
    assert state() == "draft"
    plan = valid_plan(_fresh(appraisal.id), str(link)) | {"op": "save"}
    rhk_id = db.session.scalar(sa.select(Rhk.id).where(Rhk.appraisal_id == appraisal.id))
    iki_id = db.session.scalar(sa.select(Iki.id).where(Iki.rhk_id == rhk_id))
    plan |= {"rhks-0-id": str(rhk_id), "rhks-0-ikis-0-id": str(iki_id)}
    plan["rhks-0-ikis-0-target_unit"] = "laporan bulanan"
    assert people["staf"].post(f"{url}/plan", plan).status_code == 303
    act("staf", "submit_plan")

    # Ekspektasi khusus pimpinan, then approval.
    expectations = {"version": version(), "akuntabel": "Laporan tepat waktu setiap bulan"}
    assert people["kasi"].post(f"{url}/expectations", expectations).status_code == 303
    act("kasi", "approve_plan")
    assert state() == "self_assessment"

    # Realisasi with a bukti dukung file; submitted, returned, resubmitted.
    iki = db.session.scalars(sa.select(Iki).join(Rhk).where(Rhk.appraisal_id == appraisal.id)).one()
    realisasi = {"version": version(), f"iki_{iki.id}": "12"}
    assert people["staf"].post(f"{url}/realisasi", realisasi).status_code == 303
    fields = MultiDict(
        {
            "csrf_token": people["staf"].csrf_token(),
            "version": version(),
            "file": FileStorage(io.BytesIO(png_bytes()), filename="laporan.png"),
        }
    )
    boundary, body = encode_multipart(fields)
    upload = people["staf"].client.post(
        f"{url}/iki/{iki.id}/evidence/file",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        headers={"Accept": "text/html"},
    )
    assert upload.status_code in (302, 303)
    assert db.session.scalar(sa.select(sa.func.count(Evidence.id))) == 1
    act("staf", "submit_assessment")
    act("kasi", "return_review", comment="Lampirkan laporan bulan Desember.")
    assert state() == "self_assessment"
    act("staf", "submit_assessment")

    # The review, BKD's return to the appraiser, the review again, finalisation.
    review = {"version": version(), "rating_hk": "di_atas", "rating_pk": "di_atas"}
    review[f"iki_{iki.id}"] = "Melampaui target dengan dokumentasi rapi."
    # Each RHK is rated; the hasil kerja rating follows what they suggest (issue 13).
    review[f"rhk_{iki.rhk_id}"] = "di_atas"
    # Umpan balik on every BerAKHLAK value too: approving checks the review is complete.
    review |= {f"pk_{value}": "Konsisten dan dapat diandalkan." for value in BERAKHLAK}
    assert people["kasi"].post(f"{url}/review", review).status_code == 302
    act("kasi", "approve_review")
    act("verifikator", "return_verification", comment="Umpan balik perilaku belum diisi.")
    assert state() == "supervisor_review"
    review["version"] = version()
    assert people["kasi"].post(f"{url}/review", review).status_code == 302
    act("kasi", "approve_review")
    act("verifikator", "finalise")

    final = _fresh(appraisal.id)
    assert (final.state, final.predikat) == ("final", "sangat_baik")
    triggers = db.session.scalars(
        sa.select(AuditEvent.trigger)
        .where(AuditEvent.appraisal_id == appraisal.id)
        .order_by(AuditEvent.seq)
    ).all()
    assert triggers == [
        "submit_plan", "return_plan", "submit_plan", "approve_plan",
        "submit_assessment", "return_review", "submit_assessment",
        "approve_review", "return_verification", "approve_review", "finalise",
    ]  # fmt: skip

    pdf = people["staf"].get(f"{url}/document.pdf").data
    assert pdf.startswith(b"%PDF")
    assert rendered_sha256(pdf) == final.document_sha256
    text = re.sub(r"\s+", " ", pdf_text(pdf))
    assert "Sangat Baik" in text
    assert team["staf"].employee.nip in text
    assert "laporan bulanan" in text
