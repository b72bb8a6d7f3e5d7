"""The review's guard and the effects of finalisation and of the objection decision.

Registered by import (app/skp/rules.py imports this module); workflow
definitions name them: guard ratings_complete on approve_review, effects
apply_objection_decision and record_document on the steps that end in final.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from flask_babel import lazy_gettext as _l

from app.models import Account, Appraisal
from app.skp import document, objection, review
from app.workflow.effects import effect
from app.workflow.guards import guard


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
