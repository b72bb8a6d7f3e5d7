"""Umpan balik berkelanjutan: an IKI's thread on its own page, and posting to it.

The plan and realisasi pages show every thread beside its IKI, each with a small
form that posts here (a plain form POST: no script needed) and comes back to
the page it was sent from.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.appraisals.queries import get_appraisal
from app.extensions import db
from app.models import Appraisal, Iki
from app.policy import feedback_side
from app.skp import bp
from app.skp.feedback.forms import BACK_TO, FeedbackForm
from app.skp.feedback.services import (
    FeedbackRefused,
    appraisal_iki,
    opened_by_atasan,
    post_feedback,
    threads,
)
from app.skp.pages import is_appraisee, is_appraiser, page_context, refuse_edit
from app.workflow.roles import APPRAISEE


def _render(
    appraisal: Appraisal,
    iki: Iki,
    form: FeedbackForm | None,
    status: int = 200,
    refusal: str | None = None,
):
    thread = threads(appraisal.id).get(iki.id, [])
    side = feedback_side(current_user, appraisal)
    # The pegawai answers: the form shows once the atasan has written.
    if side is None or (side == APPRAISEE and not opened_by_atasan(appraisal, thread)):
        form = None
    elif form is None:
        form = FeedbackForm(formdata=None, data={"version": appraisal.version})
    return render_template(
        "skp/feedback.html",
        **page_context(appraisal),
        iki=iki,
        thread=thread,
        form=form,
        side=side,
        refusal=refusal,
    ), status


@bp.route("/appraisals/<int:appraisal_id>/iki/<int:iki_id>/feedback", methods=["GET", "POST"])
@login_required
def iki_feedback(appraisal_id: int, iki_id: int):
    """The IKI's thread, oldest first; the atasan and the pegawai add to it."""
    appraisal = get_appraisal(appraisal_id)
    iki = appraisal_iki(appraisal, iki_id)
    if iki is None:
        abort(404)
    form = FeedbackForm()
    if not form.is_submitted():
        return _render(appraisal, iki, None)
    side = feedback_side(current_user, appraisal)
    if side is None:
        own = is_appraisee(appraisal) or is_appraiser(appraisal)
        return refuse_edit(appraisal, own_side=own, endpoint="skp.realisasi")
    if not form.validate():
        return _render(appraisal, iki, form, 422)
    try:
        post_feedback(appraisal, iki, current_user, side, form.body.data)
    except FeedbackRefused as refused:
        # Refused before anything was written; the request's end releases the row lock.
        form.body.errors = [refused.message]
        return _render(appraisal, iki, form, 422, refusal=refused.message)
    db.session.commit()
    flash(_("Your umpan balik has been added."), "success")
    endpoint = form.back.data if form.back.data in BACK_TO else None
    if endpoint is None:
        target = url_for("skp.iki_feedback", appraisal_id=appraisal.id, iki_id=iki.id)
    else:
        target = url_for(endpoint, appraisal_id=appraisal.id, _anchor=f"iki-{iki.id}")
    return redirect(target, 303)
