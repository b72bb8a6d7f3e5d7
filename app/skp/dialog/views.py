"""Dialog kinerja: the thread of notes, written by appraisee and appraiser, read by all who see."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.appraisals.queries import get_appraisal
from app.extensions import db
from app.policy import can_write_dialog
from app.skp import bp
from app.skp.dialog.forms import DialogForm
from app.skp.dialog.services import add_note, thread
from app.skp.pages import page_context


@bp.route("/appraisals/<int:appraisal_id>/dialog", methods=["GET", "POST"])
@login_required
def dialog(appraisal_id: int):
    """The dated thread; a new note is mailed to the other side."""
    appraisal = get_appraisal(appraisal_id)
    writable = can_write_dialog(current_user, appraisal)
    form = DialogForm() if writable else None
    status = 200
    if request.method == "POST":
        if not writable:
            abort(403)
        if form.validate():
            add_note(appraisal, current_user, form.body.data)
            db.session.commit()
            flash(_("Your note has been added."), "success")
            return redirect(url_for("skp.dialog", appraisal_id=appraisal.id, _anchor="new-note"))
        status = 422
    return render_template(
        "skp/dialog.html",
        **page_context(appraisal),
        notes=thread(appraisal),
        form=form,
    ), status
