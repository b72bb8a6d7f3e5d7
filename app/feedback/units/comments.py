"""A unit's comments from the public, and hiding (or showing again) an abusive one."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.feedback.units import bp, moderation
from app.feedback.units.forms import HideCommentForm
from app.feedback.units.views import managed_unit
from app.models import SkmResponse


@bp.route("/unit-layanan/<int:unit_id>/komentar")
@login_required
def comments(unit_id: int):
    """The unit's newest comments (always as plain text), with who hid which and why."""
    unit = managed_unit(unit_id)
    shown = moderation.recent_comments(unit.id)
    return render_template(
        "feedback/units/comments.html",
        unit=unit,
        responses=shown,
        history=moderation.history([r.id for r in shown]),
        form=HideCommentForm(formdata=None),
    )


def _moderate(response_id: int, hidden: bool):
    response = db.session.get(SkmResponse, response_id)
    if response is None or response.comment is None:
        abort(404)
    unit_id = response.service_unit_id
    managed_unit(unit_id)
    form = HideCommentForm()
    if not form.validate_on_submit():
        flash(_("Give the reason."), "warning")
        return redirect(url_for("service_units.comments", unit_id=unit_id), 303)
    try:
        moderation.set_hidden(response, hidden, current_user, form.reason.data)
    except moderation.AlreadyDone:
        db.session.rollback()
        flash(_("Someone else changed this comment first. Nothing was saved."), "warning")
        return redirect(url_for("service_units.comments", unit_id=unit_id), 303)
    db.session.commit()
    flash(_("The comment is hidden.") if hidden else _("The comment is shown again."), "success")
    return redirect(url_for("service_units.comments", unit_id=unit_id), 303)


@bp.route("/unit-layanan/komentar/<int:response_id>/sembunyikan", methods=["POST"])
@login_required
def hide_comment(response_id: int):
    """Hide an abusive comment, with the reason (the answers still count)."""
    return _moderate(response_id, True)


@bp.route("/unit-layanan/komentar/<int:response_id>/tampilkan", methods=["POST"])
@login_required
def unhide_comment(response_id: int):
    """Show a hidden comment again, with the reason."""
    return _moderate(response_id, False)
