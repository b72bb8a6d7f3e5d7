"""Keberatan: the appraiser's superior decides, changing the ratings if need be; it is final."""

from flask import abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.appraisals.queries import get_appraisal
from app.skp import bp
from app.skp.objection import services as objection
from app.skp.pages import detail_url, page_context
from app.workflow.engine import available, engine
from app.workflow.forms import FORMS
from app.workflow.names import DECIDE_OBJECTION, END_EXPLANATION, REQUEST_EXPLANATION
from app.workflow.roles import ROLE_LABELS
from app.workflow.web import fire_and_answer


@bp.route("/appraisals/<int:appraisal_id>/objection", endpoint="objection", methods=["GET", "POST"])
@login_required
def decide_objection(appraisal_id: int):
    """The decision page: the objection, the explanations asked and given, and the decision form.

    While the explanations are awaited the page shows them and no decision form.
    """
    appraisal = get_appraisal(appraisal_id)
    if not policy.can_decide_objection(current_user, appraisal):
        abort(403)
    spec = engine().spec(appraisal.workflow)
    transition = spec.transition(appraisal.state, DECIDE_OBJECTION)
    if transition is None and spec.transition(appraisal.state, END_EXPLANATION) is None:
        abort(404)  # a workflow without this step
    form = FORMS[transition.form]() if transition is not None else None
    if form is not None and transition.comment_required:
        form.require_comment(_("Please write the reasons for the decision."))
    if form is None or not form.is_submitted():
        if form is not None:
            form.version.data = appraisal.version
    elif form.validate():
        answer = fire_and_answer(
            appraisal,
            DECIDE_OBJECTION,
            current_user,
            form.data,
            seen_version=form.version.data,
            done_url=detail_url(appraisal),
            back_url=detail_url(appraisal),
            field_errors=form,
        )
        if answer is not None:
            return answer
    steps = {t.trigger for t in available(appraisal, current_user)}
    submitted = form is not None and (form.errors or form.is_submitted())
    return render_template(
        "skp/objection.html",
        **page_context(appraisal),
        transition=transition,
        form=form,
        filed=objection.objection_event(appraisal),
        trail=objection.explanation_trail(appraisal),
        explanations_due=objection.explanations_due(appraisal),
        can_request=REQUEST_EXPLANATION in steps,
        can_end=END_EXPLANATION in steps,
        role_labels=ROLE_LABELS,
        action=url_for("skp.objection", appraisal_id=appraisal.id),
    ), (422 if submitted else 200)
