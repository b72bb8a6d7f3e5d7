"""Self-assessment: realisasi per IKI, and what blocks submitting it. Services flush only."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import Account, Appraisal, Evidence, Iki, Rhk
from app.workflow.locking import hold_version


def blank(column) -> sa.ColumnElement[bool]:
    """SQL for a text column that is empty or only spaces."""
    return sa.func.coalesce(sa.func.trim(column), "") == ""


def missing_realisasi_clause() -> sa.ColumnElement[bool]:
    """SQL for Iki.has_realisasi being false."""
    return sa.or_(
        sa.and_(Iki.target_kind == "number", Iki.realisasi_value.is_(None)),
        sa.and_(Iki.target_kind != "number", blank(Iki.realisasi_text)),
    )


def realisasi_missing(appraisal: Appraisal) -> str | None:
    """Why the self-assessment cannot be submitted yet, or None when every IKI has realisasi."""
    total, missing = db.session.execute(
        sa.select(
            sa.func.count(Iki.id),
            sa.func.count(Iki.id).filter(missing_realisasi_clause()),
        )
        .join(Rhk, Rhk.id == Iki.rhk_id)
        .where(Rhk.appraisal_id == appraisal.id)
    ).one()
    if total == 0:
        return str(_l("The plan has no IKI to record realisasi for."))
    if missing:
        return str(
            _l(
                "Realisasi is missing for %(count)d of %(total)d IKI.",
                count=missing,
                total=total,
            )
        )
    return None


def evidence_missing(appraisal: Appraisal) -> str | None:
    """Why the self-assessment cannot be submitted for want of bukti dukung, naming the IKI.

    Every IKI of an RHK UTAMA needs bukti dukung (a file or a link) or a written
    reason why there is none; realisasi is based on bukti dukung (PermenPANRB
    6/2022, Lampiran: evaluasi kinerja, realisasi berdasarkan bukti dukung).
    """
    has_evidence = sa.select(Evidence.id).where(Evidence.iki_id == Iki.id).exists()
    names = list(
        db.session.scalars(
            sa.select(Iki.text)
            .join(Rhk, Rhk.id == Iki.rhk_id)
            .where(
                Rhk.appraisal_id == appraisal.id,
                Rhk.group_ == "utama",
                # A unit layanan's IKM page is the bukti dukung of an IKI bound to it.
                Iki.service_unit_id.is_(None),
                ~has_evidence,
                sa.func.coalesce(sa.func.trim(Iki.evidence_reason), "") == "",
            )
            .order_by(Rhk.position, Rhk.id, Iki.position, Iki.id)
        )
    )
    return _evidence_message(names) if names else None


def assessment_problems(rows: list[Rhk]) -> list[str]:
    """What submitting still lacks, from plan rows loaded with their IKI and evidence (no query).

    The same rules as the guards realisasi_complete and evidence_complete.
    """
    ikis = [iki for rhk in rows for iki in rhk.ikis]
    found = []
    if not ikis:
        return [str(_l("The plan has no IKI to record realisasi for."))]
    missing = sum(not iki.has_realisasi for iki in ikis)
    if missing:
        found.append(
            str(
                _l(
                    "Realisasi is missing for %(count)d of %(total)d IKI.",
                    count=missing,
                    total=len(ikis),
                )
            )
        )
    names = [
        iki.text
        for rhk in rows
        if rhk.group_ == "utama"
        for iki in rhk.ikis
        if iki.service_unit_id is None
        and not iki.evidence
        and not (iki.evidence_reason or "").strip()
    ]
    if names:
        found.append(_evidence_message(names))
    return found


def _evidence_message(names: list[str]) -> str:
    return str(
        _l(
            "Bukti dukung is missing for the IKI UTAMA %(names)s: add a file or a link, "
            "or write why there is none.",
            names=", ".join(f"“{name}”" for name in names),
        )
    )


def save_realisasi(
    appraisal: Appraisal,
    actor: Account,
    values: dict[int, Decimal | str | None],
    *,
    seen_version: int,
    reasons: dict[int, str | None] | None = None,
    prefilled: dict[int, Decimal] | None = None,
    changes: dict[int, str | None] | None = None,
    bound: dict[int, Decimal | None] | None = None,
) -> None:
    """Record the realisasi typed for each IKI (by id); blank clears it. Saving is allowed anytime.

    A number goes to IKI with a numeric target, text to qualitative ones; ids
    that are not this appraisal's IKI are ignored. `reasons` holds why an IKI has
    no bukti dukung (by id; blank clears it). `prefilled` holds the annual realisasi
    pre-filled from the quarters and `changes` why the pegawai typed another value
    (the form requires it); the reason is kept only while the value differs.
    `bound` holds the realisasi of IKI bound to a unit layanan (its IKM, or None
    without responses, app/skp/assessment/skm.py): recorded whatever was typed.
    """
    reasons = reasons or {}
    values = {**values, **(bound or {})}
    prefilled, changes = prefilled or {}, changes or {}
    hold_version(appraisal, seen_version)
    ikis = db.session.scalars(
        sa.select(Iki).join(Rhk, Rhk.id == Iki.rhk_id).where(Rhk.appraisal_id == appraisal.id)
    )
    for iki in ikis:
        if iki.id in reasons:
            iki.evidence_reason = (reasons[iki.id] or "").strip() or None
        if iki.id not in values:
            continue
        value = values[iki.id]
        if iki.target_kind == "number":
            iki.realisasi_value = value if isinstance(value, Decimal) else None
            iki.realisasi_text = None
            if iki.id in prefilled:
                differs = iki.realisasi_value not in (None, prefilled[iki.id])
                iki.realisasi_reason = (changes.get(iki.id) or None) if differs else None
        else:
            iki.realisasi_text = value if isinstance(value, str) and value else None
            iki.realisasi_value = None
    db.session.flush()
