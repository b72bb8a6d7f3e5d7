"""Ekspektasi khusus pimpinan: the appraiser sets one per BerAKHLAK value at plan approval."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.appraisals.queries import get_appraisal
from app.extensions import db
from app.models.skp import BERAKHLAK_LABELS
from app.policy import can_set_expectations
from app.skp import bp
from app.skp.expectations.forms import ExpectationsForm
from app.skp.expectations.services import behaviours, save_expectations
from app.skp.pages import is_appraiser, page_context, refuse_edit, stale_redirect
from app.workflow.engine import available
from app.workflow.errors import StaleState


@bp.route("/appraisals/<int:appraisal_id>/expectations", methods=["GET", "POST"])
@login_required
def expectations(appraisal_id: int):
    """Ekspektasi khusus pimpinan per BerAKHLAK value: set by the appraiser at plan approval."""
    appraisal = get_appraisal(appraisal_id)
    editable = can_set_expectations(current_user, appraisal)
    if request.method == "POST":
        if not editable:
            return refuse_edit(
                appraisal, own_side=is_appraiser(appraisal), endpoint="skp.expectations"
            )
        form = ExpectationsForm()
        if form.validate():
            values = {value: form[value].data for value in BERAKHLAK_LABELS}
            try:
                save_expectations(appraisal, current_user, values, seen_version=form.version.data)
            except StaleState:
                return stale_redirect(appraisal, "skp.expectations")
            db.session.commit()
            flash(_("The ekspektasi have been saved."), "success")
            return redirect(url_for("skp.expectations", appraisal_id=appraisal.id), 303)
        status = 422
    else:
        current = behaviours(appraisal)
        data = {v: (current[v].expectation if v in current else "") for v in BERAKHLAK_LABELS}
        form = ExpectationsForm(formdata=None, data=data | {"version": appraisal.version})
        status = 200
    return render_template(
        "skp/expectations.html",
        **page_context(appraisal),
        form=form if editable else None,
        expectations=behaviours(appraisal),
        berakhlak=BERAKHLAK_LABELS,
        actions=available(appraisal, current_user),
    ), status
