"""Keberatan: the appraiser's superior decides, changing the ratings if need be; it is final."""

from flask import abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.appraisals.queries import get_appraisal
from app.skp import bp
from app.skp.objection import services as objection
from app.skp.pages import detail_url, page_context
from app.workflow.engine import engine
from app.workflow.forms import FORMS
from app.workflow.names import DECIDE_OBJECTION
from app.workflow.web import fire_and_answer


@bp.route("/appraisals/<int:appraisal_id>/objection", endpoint="objection", methods=["GET", "POST"])
@login_required
def decide_objection(appraisal_id: int):
    """The decision page: the objection filed, the ratings, and the decision form."""
    appraisal = get_appraisal(appraisal_id)
    if not policy.can_decide_objection(current_user, appraisal):
        abort(403)
    transition = engine().spec(appraisal.workflow).transition(appraisal.state, DECIDE_OBJECTION)
    if transition is None:  # a workflow without this step
        abort(404)
    form = FORMS[transition.form]()
    if transition.comment_required:
        form.require_comment(_("Please write the reasons for the decision."))
    if not form.is_submitted():
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
    return render_template(
        "skp/objection.html",
        **page_context(appraisal),
        transition=transition,
        form=form,
        filed=objection.objection_event(appraisal),
        action=url_for("skp.objection", appraisal_id=appraisal.id),
    ), (422 if form.errors or form.is_submitted() else 200)
