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

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale

from app.extensions import db
from app.files import render_pdf_html
from app.models import Appraisal, AppraisalCount
from app.models.appraisal import DOCUMENT_PREDIKAT_LABELS, ORG_PREDIKAT_LABELS, PREDIKAT
from app.models.skp import BERAKHLAK, BERAKHLAK_LABELS
from app.skp import scoring
from app.skp.feedback.services import threads
from app.skp.orgkinerja.bands import current_bands
from app.skp.orgkinerja.services import capaian_of
from app.skp.periodic import part_labels
from app.skp.plan.forms import ASPECT_LABELS, PERSPECTIVE_LABELS
from app.skp.review.services import behaviours_by_value, rhks_with_ikis
from app.skp.segments import period_segments

DOCUMENT_LOCALE = "id"


def document_time(appraisal: Appraisal) -> datetime:
    """The date the document speaks for: its finalisation, else its last change (a draft)."""
    moment = appraisal.finalised_at or appraisal.updated_at or appraisal.created_at
    return moment.astimezone(UTC)


def live_facts(appraisal: Appraisal) -> dict:
    """What the document shows of others, as it stands now: the OPD's predikat distribution.

    Read from the dashboard's summary rows (one statement): every employee's
    latest SKP segment of the period in the OPD that has a predikat, whatever its step.
    """
    counts = dict.fromkeys(PREDIKAT, 0)
    if appraisal.opd_id is not None:
        rows = db.session.execute(
            sa.select(AppraisalCount.predikat, sa.func.sum(AppraisalCount.delta))
            .where(
                AppraisalCount.period_id == appraisal.period_id,
                AppraisalCount.opd_id == appraisal.opd_id,
                AppraisalCount.predikat.is_not(None),
            )
            .group_by(AppraisalCount.predikat)
        )
        for predikat, count in rows:
            if predikat in counts:
                counts[predikat] = int(count or 0)
    organisation = None
    if appraisal.opd_id is not None:
        capaian = capaian_of(appraisal.opd_id, appraisal.period_id).get(None)
        if capaian is not None:
            predikat = current_bands().predikat_for(capaian)
            organisation = {"capaian": str(capaian), "predikat": predikat}
    return {
        "opd": appraisal.opd.name if appraisal.opd else None,
        "distribution": counts,
        # The OPD's capaian kinerja organisasi and its predikat (SE MenPANRB 3/2023).
        "organisation": organisation,
    }


def _distribution(facts: dict) -> list[dict]:
    """The distribution as bars: label, count, share of the total (%), bar length (0..1)."""
    counts = facts.get("distribution") or {}
    total = sum(counts.values())
    top = max(counts.values(), default=0)
    return [
        {
            "key": key,
            "label": DOCUMENT_PREDIKAT_LABELS[key],
            "count": counts.get(key, 0),
            "share": round(100 * counts.get(key, 0) / total, 1) if total else 0,
            "length": counts.get(key, 0) / top if top else 0,
        }
        for key in PREDIKAT
    ]


def document_context(appraisal: Appraisal) -> dict:
    """Everything the template shows, loaded in a fixed number of queries."""
    rhks = rhks_with_ikis(appraisal, parts=True)
    facts = appraisal.document_facts or live_facts(appraisal)
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
        "predikat_label": DOCUMENT_PREDIKAT_LABELS.get(appraisal.predikat or ""),
        "predikat_labels": DOCUMENT_PREDIKAT_LABELS,
        "aspect_labels": ASPECT_LABELS,
        "perspective_labels": PERSPECTIVE_LABELS,
        "facts": facts,
        "org_predikat_labels": ORG_PREDIKAT_LABELS,
        "distribution": _distribution(facts),
        # The periodic targets and rencana aksi agreed with an annual plan (read-only once
        # approved). The quarters' capaian are not printed: a quarter may still change
        # after the year is final, and the document's fingerprint must stay reproducible.
        "part_labels": part_labels(appraisal.period.parts),
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
    return render_pdf_html(render_html(appraisal))


def downloadable_pdf(appraisal: Appraisal) -> bytes:
    """The PDF users download: a final document carries the PAdES signature.

    Without a certificate (production not configured yet) the final document is
    served unsigned and the error is logged: the document itself is still right.
    """
    pdf = render_pdf(appraisal)
    if appraisal.finalised_at is None:
        return pdf  # a draft is no official document: nothing to sign
    from app.skp.document.signing import SigningUnavailable, sign_pdf

    try:
        return sign_pdf(pdf, location=current_app.config.get("DOCUMENT_PLACE", "Medan"))
    except SigningUnavailable as error:
        current_app.logger.error("document %s served unsigned: %s", appraisal.id, error)
        return pdf


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def record_document(appraisal: Appraisal) -> str:
    """Read the predikat from the ratings, render the PDF and record its sha256; flushes."""
    appraisal.predikat = scoring.predikat_or_none(appraisal.rating_hk, appraisal.rating_pk)
    db.session.flush()  # the summary rows count this predikat too
    appraisal.document_facts = live_facts(appraisal)
    digest = sha256_hex(render_pdf(appraisal))
    appraisal.document_sha256 = digest
    db.session.flush()
    return digest
