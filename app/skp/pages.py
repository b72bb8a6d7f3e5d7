"""What every SKP page shares: the header, refusing a stale edit, the step links, labels.

Views are thin: load (which 404s for those who may not see the appraisal),
authorise with app.policy, validate, call one service, commit, redirect. An
edit from a form rendered before the appraisal moved on is refused with the one
moved-on message (app.workflow.web), never written into the later step.
"""

from __future__ import annotations

from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app import policy
from app.models import Appraisal
from app.skp import bp, capaian, scoring
from app.skp.feedback.services import page_threads
from app.skp.next_action import next_action_of
from app.skp.numbers import format_number, format_share
from app.skp.plan.forms import DIRECTION_LABELS
from app.skp.segments import period_segments
from app.skp.summary import skp_summary
from app.workflow.audit import latest_return
from app.workflow.deadlines import closed_message, lock_message, period_closed
from app.workflow.engine import engine
from app.workflow.names import RETURN_TRIGGERS
from app.workflow.roles import per_request
from app.workflow.web import stale_now, step_label


def page_context(appraisal: Appraisal) -> dict:
    """What every SKP page needs for the shared header (templates/appraisals/_header.html)."""
    spec = engine().spec(appraisal.workflow)
    return {
        "appraisal": appraisal,
        "spec": spec,
        "state": spec.states[appraisal.state],
        # Only the appraisee is told that their step's deadline has locked their entries.
        "deadline_lock": lock_message(appraisal)
        if is_appraisee(appraisal) and policy.deadline_locked(appraisal)
        else None,
        "returned": latest_return(appraisal) if after_a_return(appraisal) else None,
    }


def after_a_return(appraisal: Appraisal) -> bool:
    """Whether a return step leads to where the SKP stands (only then is a reason to show)."""
    spec = engine().spec(appraisal.workflow)
    return any(t.dest == appraisal.state and t.trigger in RETURN_TRIGGERS for t in spec.transitions)


def detail_url(appraisal: Appraisal) -> str:
    return url_for("appraisals.detail", appraisal_id=appraisal.id)


def stale_redirect(appraisal: Appraisal, endpoint: str):
    """The SKP moved on since the form was shown: say who moved it where; nothing was saved."""
    return stale_now(appraisal, url_for(endpoint, appraisal_id=appraisal.id))


def refuse_edit(appraisal: Appraisal, *, own_side: bool, endpoint: str):
    """The edit is not allowed now: stale for the side that edits at another step, else 403.

    The appraisee posting a plan form after submitting it is not an intruder:
    their form is out of date, and they are told so.
    """
    posted = request.form.get("version", type=int)
    if own_side and posted is not None and posted != appraisal.version:
        return stale_redirect(appraisal, endpoint)
    abort(403)


def is_appraisee(appraisal: Appraisal) -> bool:
    return current_user.is_authenticated and appraisal.employee_id == current_user.employee_id


def is_appraiser(appraisal: Appraisal) -> bool:
    return current_user.is_authenticated and appraisal.appraiser_id == current_user.employee_id


def step_links(appraisal: Appraisal) -> list[tuple[str, str]]:
    """The evaluation pages the current user may open for this appraisal: (label, URL)."""
    links = []
    if policy.can_view_review(current_user, appraisal):
        links.append((_("Review: umpan balik and ratings"), "skp.review"))
    if policy.can_verify(current_user, appraisal):
        links.append((_("Verification checklist"), "skp.verification"))
    if policy.can_decide_objection(current_user, appraisal):
        links.append((_("Decide the objection"), "skp.objection"))
    links.append((_("Dokumen Evaluasi Kinerja (print)"), "skp.document"))
    links.append((_("Dokumen Evaluasi Kinerja (PDF)"), "skp.document_pdf"))
    return [(label, url_for(endpoint, appraisal_id=appraisal.id)) for label, endpoint in links]


@bp.app_template_filter("number")
def number(value) -> str:
    """An amount in the reader's notation: 1.200,5 (id), 1,200.5 (en)."""
    return format_number(value)


@bp.app_template_filter("share")
def share(part: int, whole: int) -> str:
    """`part` as a percentage of `whole`, one decimal, in the reader's notation."""
    return format_share(part, whole)


# Why an IKI shows no capaian (app/skp/capaian.py), beside its "—".
CAPAIAN_MISSING = {
    capaian.NO_REALISASI: _l("no realisasi yet"),
    capaian.NO_TARGET: _l("no target"),
    capaian.ZERO_TARGET: _l("the target is 0"),
    capaian.ZERO_REALISASI: _l("realisasi 0: no ratio"),
    capaian.NOT_MARKED: _l("not marked by the atasan yet"),
}


@bp.app_template_filter("capaian")
def capaian_of(iki) -> capaian.Capaian:
    """The IKI's capaian (templates/skp/document_macros.html shows it)."""
    return capaian.iki_capaian(iki)


def summary_of(appraisal: Appraisal):
    """The SKP summary for the current user, read once per request and version."""
    return per_request(
        ("skp_summary", appraisal.id, appraisal.version),
        lambda: skp_summary(appraisal, current_user),
    )


@bp.app_context_processor
def skp_helpers() -> dict:
    return {
        "skp_summary": summary_of,
        "next_action": lambda appraisal: next_action_of(
            appraisal, current_user, summary_of(appraisal)
        ),
        "step_links": step_links,
        "step_label": step_label,
        "predikat_labels": scoring.PREDIKAT_LABELS,
        "rating_labels": scoring.RATING_LABELS,
        "period_closed_notice": lambda a: closed_message(a) if period_closed(a) else None,
        "org_predikat_labels": scoring.ORG_PREDIKAT_LABELS,
        "period_segments": lambda appraisal: per_request(
            ("period_segments", appraisal.id), lambda: period_segments(appraisal)
        ),
        "capaian_missing": CAPAIAN_MISSING,
        # Umpan balik berkelanjutan: every IKI's thread (one query) and who may post.
        "iki_threads": lambda appraisal: per_request(
            ("iki_threads", appraisal.id), lambda: page_threads(appraisal)
        ),
        "feedback_side": lambda appraisal: policy.feedback_side(current_user, appraisal),
        "direction_labels": DIRECTION_LABELS,
    }
