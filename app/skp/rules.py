"""The SKP's guards, effects and forms, registered with the workflow engine by import.

app/plugins.py imports this module before the definitions are loaded; the
definitions name what is registered here (guards plan_complete,
realisasi_complete, ratings_complete, objection_window_open, first_objection;
effects apply_objection_decision and record_document; forms objection and
objection_decision).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from app.models import Account, Appraisal
from app.skp.assessment.services import realisasi_missing
from app.skp.document import services as document
from app.skp.objection import services as objection
from app.skp.objection.forms import ObjectionDecisionForm, ObjectionForm
from app.skp.plan.services import plan_problems
from app.skp.review import services as review
from app.workflow.deadlines import OBJECTION_DAYS
from app.workflow.effects import effect
from app.workflow.forms import register_form
from app.workflow.guards import guard

register_form("objection", ObjectionForm)
register_form("objection_decision", ObjectionDecisionForm)


@guard("plan_complete")
def plan_complete(appraisal: Appraisal, actor: Account, now: datetime) -> str | None:
    """A plan may be submitted with a UTAMA RHK, IKI with targets, and (non-JPT) atasan links."""
    problems = plan_problems(appraisal)
    return " ".join(problems) if problems else None


@guard("realisasi_complete")
def realisasi_complete(appraisal: Appraisal, actor: Account, now: datetime) -> str | None:
    """A self-assessment may be submitted once every IKI has its realisasi."""
    return realisasi_missing(appraisal)


@guard("ratings_complete")
def ratings_complete(appraisal: Appraisal, actor: Account, now: datetime) -> str | None:
    """Both ratings chosen, and a comment when either is Di Bawah Ekspektasi."""
    problem = review.ratings_problem(appraisal)
    if problem == "ratings":
        return str(_l("Choose both ratings, hasil kerja and perilaku kerja, first."))
    if problem == "comment":
        return str(_l("A Di Bawah Ekspektasi rating needs a comment."))
    return None


@effect("apply_objection_decision")
def apply_objection_decision(
    appraisal: Appraisal, actor: Account, form: Mapping, now: datetime
) -> None:
    """The decision's new ratings, if any, with the predikat recomputed and the change audited."""
    objection.apply_decision(appraisal, actor, form, now)


@effect("record_document")
def record_document(appraisal: Appraisal, actor: Account, form: Mapping, now: datetime) -> None:
    """Render the Dokumen Evaluasi Kinerja as it stands now and record its sha256."""
    document.record_document(appraisal)


@guard("objection_window_open")
def objection_window_open(appraisal: Appraisal, actor: Account, now: datetime) -> str | None:
    """Keberatan may be filed within 14 days of finalisation."""
    if appraisal.finalised_at is None:
        return str(_l("This appraisal has not been finalised yet."))
    if now > appraisal.finalised_at + timedelta(days=OBJECTION_DAYS):
        return str(
            _l(
                "An objection can only be filed within %(days)d days of finalisation.",
                days=OBJECTION_DAYS,
            )
        )
    return None


@guard("first_objection")
def first_objection(appraisal: Appraisal, actor: Account, now: datetime) -> str | None:
    """Keberatan is filed once: the superior's decision on it is final."""
    if objection.objection_event(appraisal) is not None:
        return str(_l("An objection was already decided for this SKP; that decision is final."))
    return None
