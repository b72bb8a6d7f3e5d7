"""The evaluation half of the SKP: review, verification, objection decision, the document.

One blueprint, `evaluation`; the review and verification pages live in
views_review.py and views_verification.py. Views load, authorise, validate,
call one service (or fire() once), commit and redirect.
"""

from flask import Blueprint, abort, flash, make_response, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.appraisals.queries import get_appraisal
from app.extensions import db
from app.models import Appraisal
from app.skp import document, objection, scoring
from app.workflow.engine import engine, fire
from app.workflow.errors import GuardFailed, InvalidInput, NotAllowed, StaleState
from app.workflow.forms import FORMS

bp = Blueprint("evaluation", __name__)

DECIDE = "decide_objection"


def moved_on_message() -> str:
    return _("This SKP has moved on since you opened the page. Nothing was saved.")


def evaluation_links(appraisal: Appraisal) -> list[tuple[str, str]]:
    """The evaluation pages the current user may open for this appraisal: (label, URL)."""
    links = []
    if policy.can_review(current_user, appraisal):
        links.append((_("Review: umpan balik and ratings"), "evaluation.review"))
    if policy.can_verify(current_user, appraisal):
        links.append((_("Verification checklist"), "evaluation.verification"))
    if policy.can_decide_objection(current_user, appraisal):
        links.append((_("Decide the objection"), "evaluation.objection"))
    links.append((_("Dokumen Evaluasi Kinerja (print)"), "evaluation.document"))
    links.append((_("Dokumen Evaluasi Kinerja (PDF)"), "evaluation.document_pdf"))
    return [(label, url_for(endpoint, appraisal_id=appraisal.id)) for label, endpoint in links]


@bp.app_context_processor
def evaluation_helpers() -> dict:
    return {
        "evaluation_links": evaluation_links,
        "predikat_labels": scoring.PREDIKAT_LABELS,
        "rating_labels": scoring.RATING_LABELS,
        "org_predikat_labels": scoring.ORG_PREDIKAT_LABELS,
    }


@bp.route("/appraisals/<int:appraisal_id>/document", endpoint="document")
def document_view(appraisal_id: int):
    """The Dokumen Evaluasi Kinerja, print-friendly; 404 for whoever may not see the SKP."""
    appraisal = get_appraisal(appraisal_id)
    return document.render_html(appraisal, for_screen=True)


@bp.route("/appraisals/<int:appraisal_id>/document.pdf")
def document_pdf(appraisal_id: int):
    """The Dokumen Evaluasi Kinerja as PDF; 404 for whoever may not see the SKP."""
    appraisal = get_appraisal(appraisal_id)
    response = make_response(document.render_pdf(appraisal))
    response.headers["Content-Type"] = "application/pdf"
    filename = f"dokumen-evaluasi-kinerja-{appraisal.employee.nip}-{appraisal.period_id}.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/appraisals/<int:appraisal_id>/objection", endpoint="objection", methods=["GET", "POST"])
@login_required
def objection_view(appraisal_id: int):
    """The superior decides a keberatan, changing the ratings if need be; the decision is final."""
    appraisal = get_appraisal(appraisal_id)
    if not policy.can_decide_objection(current_user, appraisal):
        abort(403)
    spec = engine().spec(appraisal.workflow)
    transition = spec.transition(appraisal.state, DECIDE)
    if transition is None:  # a workflow without this step
        abort(404)
    form = FORMS[transition.form]()
    if transition.comment_required:
        form.require_comment(_("Please write the reasons for the decision."))
    if not form.is_submitted():
        form.version.data = appraisal.version
    elif form.validate():
        try:
            fire(appraisal, DECIDE, current_user, form.data, seen_version=form.version.data)
        except StaleState:
            db.session.rollback()
            flash(moved_on_message(), "warning")
            return redirect(url_for("appraisals.detail", appraisal_id=appraisal.id), 303)
        except NotAllowed:
            db.session.rollback()
            abort(403)
        except (GuardFailed, InvalidInput) as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash(_("Done: %(step)s.", step=transition.label[str(get_locale())]), "success")
            return redirect(url_for("appraisals.detail", appraisal_id=appraisal.id))
    return render_template(
        "skp/objection.html",
        appraisal=appraisal,
        spec=spec,
        state=spec.states[appraisal.state],
        locale=str(get_locale()),
        transition=transition,
        form=form,
        filed=objection.objection_event(appraisal),
    ), (422 if form.errors else 200)


from app.skp import views_review, views_verification  # noqa: E402, F401
