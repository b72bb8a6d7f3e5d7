"""Penetapan predikat kinerja: sign the OPD's predikat list, render it, check its fingerprint.

The kepala OPD signs when calibration is done: every employee of the OPD whose
latest SKP segment of the period has a predikat, with the organisation predikat
the pattern was read against. The list is stored as signed and rendered to a
deterministic PDF (its metadata date is the signing time) whose sha256 is
recorded; the download carries the PAdES signature of final documents.

Services flush and never commit.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale

from app.extensions import db
from app.files import render_pdf_html
from app.models import Account, Appraisal, Employee, Opd, PenetapanPredikat, Period, Position, Unit
from app.models.appraisal import DOCUMENT_PREDIKAT_LABELS, ORG_PREDIKAT_LABELS, latest_segment
from app.models.types import utcnow
from app.skp.document.services import DOCUMENT_LOCALE, sha256_hex
from app.skp.verification.services import org_predikat


class NothingToSign(ValueError):
    """No employee of the OPD has a predikat for the period yet."""


def _rows(opd_id: int, period_id: int) -> list[dict]:
    result = db.session.execute(
        sa.select(
            Employee.nip,
            Employee.name,
            Appraisal.position_name,
            Unit.name,
            Appraisal.predikat,
            Appraisal.state,
        )
        .select_from(Appraisal)
        .join(Employee, Employee.id == Appraisal.employee_id)
        .outerjoin(Position, Position.id == Employee.position_id)
        .outerjoin(Unit, Unit.id == Position.unit_id)
        .where(
            Appraisal.opd_id == opd_id,
            Appraisal.period_id == period_id,
            Appraisal.predikat.is_not(None),
            latest_segment(),
        )
        .order_by(Employee.name, Employee.nip)
    )
    keys = ("nip", "name", "position", "unit", "predikat", "state")
    return [dict(zip(keys, row, strict=True)) for row in result]


def sign_penetapan(opd: Opd, period: Period, actor: Account) -> PenetapanPredikat:
    """Record the OPD's predikat list as the kepala OPD signs it now; flushes."""
    rows = _rows(opd.id, period.id)
    if not rows:
        raise NothingToSign
    penetapan = PenetapanPredikat(
        opd_id=opd.id,
        period_id=period.id,
        signed_by_id=actor.employee_id,
        signed_at=utcnow().replace(microsecond=0),
        org_predikat=org_predikat(opd.id, period.id),
        rows=rows,
        sha256="",
    )
    db.session.add(penetapan)
    db.session.flush()
    penetapan.sha256 = sha256_hex(render_penetapan(penetapan))
    db.session.flush()
    return penetapan


def latest_penetapan(opd_id: int, period_id: int) -> PenetapanPredikat | None:
    return db.session.scalars(
        sa.select(PenetapanPredikat)
        .where(PenetapanPredikat.opd_id == opd_id, PenetapanPredikat.period_id == period_id)
        .order_by(PenetapanPredikat.signed_at.desc(), PenetapanPredikat.id.desc())
        .limit(1)
    ).first()


def render_penetapan(penetapan: PenetapanPredikat) -> bytes:
    """The penetapan as PDF bytes, the same for the same record."""
    moment = penetapan.signed_at.astimezone(UTC)
    counts: dict[str, int] = {}
    for row in penetapan.rows:
        counts[row["predikat"]] = counts.get(row["predikat"], 0) + 1
    with force_locale(DOCUMENT_LOCALE):
        html = render_template(
            "calibration/penetapan.html",
            penetapan=penetapan,
            period=db.session.get(Period, penetapan.period_id),
            predikat_labels=DOCUMENT_PREDIKAT_LABELS,
            org_labels=ORG_PREDIKAT_LABELS,
            counts=counts,
            moment=moment,
            metadata_date=_metadata_date(moment),
            place=current_app.config.get("DOCUMENT_PLACE", "Medan"),
        )
    return render_pdf_html(html)


def _metadata_date(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
