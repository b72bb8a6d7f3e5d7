"""The SKP's guards, effects and forms, registered with the workflow engine by import.

app/plugins.py imports this module before the definitions are loaded; the
definitions name what is registered here (guards plan_complete,
realisasi_complete, evidence_complete,
review_complete, verification_complete, objection_window_open,
first_objection, explanation_time_up; each step's completeness is checked when it is
submitted, and the refusal lists what is missing; effects apply_objection_decision and
record_document; forms objection, objection_decision, explanation_request and explanation).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from app.models import Account, Appraisal
from app.skp.assessment.services import evidence_missing, realisasi_missing
from app.skp.document import services as document
from app.skp.objection import services as objection
from app.skp.objection.forms import (
    ExplanationForm,
    ExplanationRequestForm,
    ObjectionDecisionForm,
    ObjectionForm,
)
from app.skp.plan.services import plan_problems
from app.skp.review import services as review
from app.skp.verification import services as verification
from app.workflow.deadlines import (
    OBJECTION_DAYS,
    local_date,
    objection_last_day,
    objection_window_closed,
)
from app.workflow.effects import effect
from app.workflow.forms import register_form
from app.workflow.guards import guard

# The verifier's checklist words for what is missing (templates/skp/verification_macros.html).
PROBLEM_WORDS = {
    "no_iki": _l("no IKI"),
    "realisasi": _l("realisasi missing"),
    "ratings": _l("ratings missing"),
    "comment": _l("Di Bawah rating without comment"),
    "feedback": _l("umpan balik missing"),
}

register_form("objection", ObjectionForm)
register_form("objection_decision", ObjectionDecisionForm)
register_form("explanation_request", ExplanationRequestForm)
register_form("explanation", ExplanationForm)


@guard("plan_complete")
def plan_complete(appraisal: Appraisal, actor: Account, now: datetime) -> str | None:
    """A plan may be submitted with a UTAMA RHK, IKI with targets, and (non-JPT) atasan links."""
    problems = plan_problems(appraisal)
    return " ".join(problems) if problems else None


@guard("realisasi_complete")
def realisasi_complete(appraisal: Appraisal, actor: Account, now: datetime) -> str | None:
    """A self-assessment may be submitted once every IKI has its realisasi."""
    return realisasi_missing(appraisal)


@guard("evidence_complete")
def evidence_complete(appraisal: Appraisal, actor: Account, now: datetime) -> str | None:
    """Every IKI UTAMA has bukti dukung or a written reason why it has none."""
    return evidence_missing(appraisal)


@guard("review_complete")
def review_complete(appraisal: Appraisal, actor: Account, now: datetime) -> str | None:
    """Umpan balik on every IKI and BerAKHLAK value, both ratings, a comment on Di Bawah."""
    missing = review.review_gaps(appraisal)
    if not missing:
        return None
    return str(_l("The review is not complete yet:")) + " " + " ".join(missing)


@guard("verification_complete")
def verification_complete(appraisal: Appraisal, actor: Account, now: datetime) -> str | None:
    """An SKP is finalised only when the verifier's checklist finds nothing missing."""
    problems = verification.completeness_now(appraisal).problems
    if not problems:
        return None
    missing = ", ".join(str(PROBLEM_WORDS.get(code, code)) for code in problems)
    return str(
        _l("This SKP is not complete, so it cannot be finalised: %(missing)s.", missing=missing)
    )


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
    """Keberatan may be filed within 14 days of receiving the result (PP 30/2019 Pasal 59).

    Before the result is received the 14 days have not started, so they cannot
    have run out: the appraisee who files has the result in front of them.
    """
    if appraisal.finalised_at is None:
        return str(_l("This appraisal has not been finalised yet."))
    if objection_window_closed(appraisal, now):
        return str(
            _l(
                "An objection can only be filed within %(days)d days of receiving the result; "
                "the last day was %(date)s.",
                days=OBJECTION_DAYS,
                date=format_date(objection_last_day(appraisal), "long"),
            )
        )
    return None


@guard("first_objection")
def first_objection(appraisal: Appraisal, actor: Account, now: datetime) -> str | None:
    """Keberatan is filed once: the superior's decision on it is final."""
    if objection.objection_event(appraisal) is not None:
        return str(_l("An objection was already decided for this SKP; that decision is final."))
    return None


@guard("explanation_time_up")
def explanation_time_up(appraisal: Appraisal, actor: Account, now: datetime) -> str | None:
    """The decider goes on without an explanation only once its due date has passed."""
    due = objection.explanations_due(appraisal)
    if due is not None and local_date(now) <= due:
        return str(
            _l(
                "The explanations are due on %(date)s; you can go on without them after that day.",
                date=format_date(due, "long"),
            )
        )
    return None
