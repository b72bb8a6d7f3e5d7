"""The rencana pengembangan of an SKP: needs, actions, the pegawai's answer, progress.

The atasan records the needs and actions at review; the pegawai answers once
(agrees or comments); either side marks an action done with its JP and a
certificate. Writes flush, never commit; the view commits once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path, PurePath

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Account, Appraisal, Behaviour, Iki, Rhk
from app.models.development import (
    ACTION_KINDS,
    COMPETENCY_KINDS,
    DevelopmentAction,
    DevelopmentNeed,
    DevelopmentPlan,
)
from app.models.types import utcnow
from app.skp.assessment.evidence import KINDS, CheckedFile, UploadRejected, check_upload

COMPETENCY_LABELS = {
    "teknis": _l("Teknis"),
    "manajerial": _l("Manajerial"),
    "sosial_kultural": _l("Sosial kultural"),
}
ACTION_LABELS = {
    "diklat": _l("Diklat"),
    "kursus": _l("Kursus"),
    "seminar": _l("Seminar"),
    "pelatihan_teknis": _l("Pelatihan teknis"),
    "coaching": _l("Coaching"),
    "mentoring": _l("Mentoring"),
    "job_enrichment": _l("Job enrichment"),
    "detasering": _l("Detasering"),
    "e_learning": _l("E-learning"),
}
STATUS_LABELS = {"planned": _l("Planned"), "done": _l("Done"), "cancelled": _l("Cancelled")}
assert set(COMPETENCY_LABELS) == set(COMPETENCY_KINDS) and set(ACTION_LABELS) == set(ACTION_KINDS)

CERTIFICATE_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png")
CERTIFICATE_KINDS = ("pdf", "jpeg", "png")


class PlanStale(Exception):
    """Someone changed or answered the plan (or the action) since the form was shown."""


def plan_of(appraisal: Appraisal) -> DevelopmentPlan | None:
    """The SKP's plan with its needs and actions (three statements), or None."""
    return db.session.scalars(
        sa.select(DevelopmentPlan)
        .where(DevelopmentPlan.appraisal_id == appraisal.id)
        .options(selectinload(DevelopmentPlan.needs), selectinload(DevelopmentPlan.actions))
    ).first()


def _plan_for_edit(appraisal: Appraisal, actor: Account) -> DevelopmentPlan:
    """The SKP's plan, created on the first entry; an edit asks the pegawai to answer anew."""
    plan = plan_of(appraisal)
    if plan is None:
        plan = DevelopmentPlan(
            appraisal_id=appraisal.id,
            employee_id=appraisal.employee_id,
            created_by_id=actor.employee_id,
        )
        db.session.add(plan)
    else:
        # The plan the pegawai agreed to is not the plan any more.
        plan.agreed_at, plan.employee_comment = None, None
        plan.version += 1
    plan.updated_at = utcnow()
    return plan


def review_choices(appraisal: Appraisal) -> tuple[list[str], list[tuple[int, str]]]:
    """The BerAKHLAK values of the SKP's perilaku rows and its IKI (id, text): two statements."""
    values = list(
        db.session.scalars(
            sa.select(Behaviour.value)
            .where(Behaviour.appraisal_id == appraisal.id)
            .order_by(Behaviour.id)
        )
    )
    ikis = db.session.execute(
        sa.select(Iki.id, Iki.text)
        .join(Rhk, Rhk.id == Iki.rhk_id)
        .where(Rhk.appraisal_id == appraisal.id)
        .order_by(Rhk.id, Iki.position, Iki.id)
    )
    return values, [(row.id, row.text) for row in ikis]


def add_need(
    appraisal: Appraisal,
    actor: Account,
    *,
    competency: str,
    description: str,
    behaviour: str | None,
    iki_id: int | None,
) -> DevelopmentNeed:
    """Record a competency gap seen at review."""
    plan = _plan_for_edit(appraisal, actor)
    need = DevelopmentNeed(
        competency=competency, description=description, behaviour=behaviour, iki_id=iki_id
    )
    plan.needs.append(need)
    db.session.flush()
    return need


def add_action(
    appraisal: Appraisal,
    actor: Account,
    *,
    kind: str,
    title: str,
    target_year: int,
    target_quarter: int,
    need_id: int | None,
) -> DevelopmentAction:
    """Propose a development action from the catalogue, by a target quarter."""
    plan = _plan_for_edit(appraisal, actor)
    if need_id is not None and need_id not in {need.id for need in plan.needs}:
        need_id = None
    action = DevelopmentAction(
        employee_id=appraisal.employee_id,
        need_id=need_id,
        kind=kind,
        title=title,
        target_year=target_year,
        target_quarter=target_quarter,
    )
    plan.actions.append(action)
    db.session.flush()
    return action


def remove_item(appraisal: Appraisal, actor: Account, kind: str, item_id: int) -> bool:
    """Remove a need or a still-planned action of the plan; False when there is no such item."""
    plan = plan_of(appraisal)
    if plan is None:
        return False
    items = plan.needs if kind == "need" else [a for a in plan.actions if a.status == "planned"]
    item = next((i for i in items if i.id == item_id), None)
    if item is None:
        return False
    _plan_for_edit(appraisal, actor)
    (plan.needs if kind == "need" else plan.actions).remove(item)
    db.session.flush()
    return True


def answer_plan(plan: DevelopmentPlan, *, agree: bool, comment: str | None, seen: int) -> None:
    """The pegawai's one answer: agreed, or a comment. Raises PlanStale if another came first.

    One UPDATE that matches only the version the pegawai saw, still unanswered: of
    two answers at once, the first to commit wins and the other matches no row.
    """
    now = utcnow()
    result = db.session.execute(
        sa.update(DevelopmentPlan)
        .where(
            DevelopmentPlan.id == plan.id,
            DevelopmentPlan.version == seen,
            DevelopmentPlan.agreed_at.is_(None),
            DevelopmentPlan.employee_comment.is_(None),
        )
        .values(
            agreed_at=now if agree else None,
            employee_comment=None if agree else comment,
            version=DevelopmentPlan.version + 1,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise PlanStale
    db.session.expire(plan)


def check_certificate(filename: str | None, stream) -> CheckedFile:
    """A certificate: PDF, JPEG or PNG by its content, within CERTIFICATE_MAX_BYTES."""
    if PurePath(filename or "").suffix.lower() not in CERTIFICATE_EXTENSIONS:
        raise UploadRejected(_l("Only PDF, JPEG and PNG certificates are accepted."))
    checked = check_upload(filename, stream, current_app.config["CERTIFICATE_MAX_BYTES"])
    if checked.kind not in CERTIFICATE_KINDS:
        raise UploadRejected(_l("Only PDF, JPEG and PNG certificates are accepted."))
    return checked


def certificate_dir() -> Path:
    return Path(current_app.config["EVIDENCE_DIR"]) / "certificates"


def certificate_path(stored: str | None) -> Path | None:
    """Where a stored certificate's bytes are, or None."""
    if not stored:
        return None
    path = certificate_dir() / PurePath(stored).name
    return path if path.is_file() else None


def content_type_of(stored: str) -> str:
    suffix = PurePath(stored).suffix.lower()
    kind = {".pdf": "pdf", ".png": "png"}.get(suffix, "jpeg")
    return KINDS[kind].content_type


def store_certificate(upload: CheckedFile) -> str:
    """Write the checked file under a generated name; the caller discards it if the row fails."""
    directory = certificate_dir()
    directory.mkdir(parents=True, exist_ok=True)
    stored = secrets.token_hex(16) + upload.extension
    with (directory / stored).open("xb") as out:
        out.write(upload.data)
    return stored


def discard_certificate(stored: str | None) -> None:
    if stored:
        (certificate_dir() / PurePath(stored).name).unlink(missing_ok=True)


@dataclass(frozen=True)
class Progress:
    done_on: date
    jp: Decimal
    upload: CheckedFile | None


def mark_done(action: DevelopmentAction, progress: Progress, *, seen: int) -> str | None:
    """Record the action done; returns the stored certificate's name (to discard on failure).

    A versioned UPDATE of the action: a second form on the same version is refused.
    """
    stored = store_certificate(progress.upload) if progress.upload else None
    values = {
        "status": "done",
        "done_on": progress.done_on,
        "jp": progress.jp,
        "version": DevelopmentAction.version + 1,
        "updated_at": utcnow(),
    }
    if progress.upload:
        values |= {
            "certificate_name": progress.upload.filename,
            "certificate_stored": stored,
            "certificate_sha256": progress.upload.sha256,
        }
    try:
        result = db.session.execute(
            sa.update(DevelopmentAction)
            .where(DevelopmentAction.id == action.id, DevelopmentAction.version == seen)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            raise PlanStale
    except Exception:
        discard_certificate(stored)
        raise
    db.session.expire(action)
    return stored


def plan_action(appraisal: Appraisal, action_id: int) -> DevelopmentAction | None:
    """The action if it belongs to this SKP's plan."""
    return db.session.scalars(
        sa.select(DevelopmentAction)
        .join(DevelopmentPlan, DevelopmentPlan.id == DevelopmentAction.plan_id)
        .where(DevelopmentAction.id == action_id, DevelopmentPlan.appraisal_id == appraisal.id)
    ).first()
