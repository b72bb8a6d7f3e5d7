"""The Dokumen Evaluasi Kinerja: one HTML template, shown for printing or rendered to PDF.

The document is an official Indonesian paper, so it is always rendered in
Indonesian, whoever asks. The PDF is deterministic: its metadata dates are the
finalisation time (not the rendering time), so re-rendering an unchanged
appraisal gives the same bytes, and the sha256 recorded at finalisation can be
checked against a fresh render. (A change to the template, the translations or
WeasyPrint itself changes the bytes of later renders, not the recorded hash.)
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from flask import current_app, render_template
from flask_babel import force_locale

from app.extensions import db
from app.models import Appraisal
from app.models.skp import BERAKHLAK, BERAKHLAK_LABELS
from app.skp import scoring
from app.skp.feedback.services import threads
from app.skp.review.services import behaviours_by_value, rhks_with_ikis
from app.skp.segments import period_segments

DOCUMENT_LOCALE = "id"


def document_time(appraisal: Appraisal) -> datetime:
    """The date the document speaks for: its finalisation, else its last change (a draft)."""
    moment = appraisal.finalised_at or appraisal.updated_at or appraisal.created_at
    return moment.astimezone(UTC)


def document_context(appraisal: Appraisal) -> dict:
    """Everything the template shows, loaded in a fixed number of queries."""
    rhks = rhks_with_ikis(appraisal)
    behaviours = behaviours_by_value(appraisal)
    moment = document_time(appraisal)
    return {
        "appraisal": appraisal,
        "employee": appraisal.employee,
        "appraiser": appraisal.appraiser,
        "period": appraisal.period,
        "groups": [
            ("UTAMA", [r for r in rhks if r.group_ == "utama"]),
            ("TAMBAHAN", [r for r in rhks if r.group_ == "tambahan"]),
        ],
        "behaviours": [(BERAKHLAK_LABELS[v], behaviours.get(v)) for v in BERAKHLAK],
        # Umpan balik berkelanjutan per IKI, printed in the appendix: part of the evidence.
        "threads": threads(appraisal.id),
        "rating_labels": scoring.RATING_LABELS,
        "predikat_label": scoring.PREDIKAT_LABELS.get(appraisal.predikat or ""),
        "predikat_labels": scoring.PREDIKAT_LABELS,
        # After a mid-period move: every segment and the period's combined predikat.
        "segments": period_segments(appraisal),
        "is_final": appraisal.finalised_at is not None,
        "moment": moment,
        "metadata_date": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "place": current_app.config.get("DOCUMENT_PLACE", "Medan"),
    }


def render_html(appraisal: Appraisal, *, for_screen: bool = False) -> str:
    """The document as HTML; `for_screen` adds the print toolbar (hidden when printing)."""
    with force_locale(DOCUMENT_LOCALE):
        return render_template(
            "skp/document.html", for_screen=for_screen, **document_context(appraisal)
        )


def render_pdf(appraisal: Appraisal) -> bytes:
    """The document as PDF bytes, the same for the same appraisal content."""
    # Imported here: WeasyPrint is heavy, and `flask workflow check` loads this module.
    from weasyprint import HTML

    return HTML(string=render_html(appraisal), url_fetcher=_fetch_nothing).write_pdf()


def _fetch_nothing(url: str, *args, **kwargs):
    # The template is self-contained; whatever a user typed must not make the renderer
    # read a file or call a server.
    raise ValueError(f"the document loads nothing from outside: {url}")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def record_document(appraisal: Appraisal) -> str:
    """Read the predikat from the ratings, render the PDF and record its sha256; flushes."""
    appraisal.predikat = scoring.predikat_or_none(appraisal.rating_hk, appraisal.rating_pk)
    digest = sha256_hex(render_pdf(appraisal))
    appraisal.document_sha256 = digest
    db.session.flush()
    return digest
