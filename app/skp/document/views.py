"""The Dokumen Evaluasi Kinerja: print-friendly HTML and the PDF, for whoever may see the SKP."""

from flask import abort, current_app, make_response
from flask_login import current_user, login_required

from app.appraisals.queries import get_appraisal
from app.extensions import db, render_quota
from app.models.types import utcnow
from app.outbox.receipt import note_view
from app.skp import bp
from app.skp.document.services import downloadable_pdf, render_html
from app.skp.document.signing import SigningUnavailable, certificate_pem


@bp.route("/appraisals/<int:appraisal_id>/document")
def document(appraisal_id: int):
    """The document, print-friendly; 404 for whoever may not see the SKP."""
    appraisal = get_appraisal(appraisal_id)
    received = note_view(appraisal, current_user, utcnow())
    page = render_html(appraisal, for_screen=True)
    if received:
        db.session.commit()  # the appraisee's first look at the final SKP is its receipt
    return page


@bp.route("/appraisals/<int:appraisal_id>/document.pdf")
@render_quota
def document_pdf(appraisal_id: int):
    """The document as PDF; 404 for whoever may not see the SKP."""
    appraisal = get_appraisal(appraisal_id)
    received = note_view(appraisal, current_user, utcnow())
    response = make_response(downloadable_pdf(appraisal))
    if received:
        db.session.commit()  # the appraisee's first look at the final SKP is its receipt
    response.headers["Content-Type"] = "application/pdf"
    filename = f"dokumen-evaluasi-kinerja-{appraisal.employee.nip}-{appraisal.period_id}.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/documents/certificate.pem")
@login_required
def signing_certificate():
    """The certificate final documents are signed with, to trust it in a PDF reader."""
    try:
        pem = certificate_pem(current_app)
    except SigningUnavailable:
        abort(404)
    response = make_response(pem)
    response.headers["Content-Type"] = "application/x-pem-file"
    response.headers["Content-Disposition"] = 'attachment; filename="sertifikat-sikap.pem"'
    return response
