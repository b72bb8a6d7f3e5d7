"""Appraisal page: current step, actions, history, diagram; and the action forms."""

from flask import abort
from flask_login import login_required

from app.appraisals import bp


@bp.route("/appraisals/<int:appraisal_id>")
@login_required
def detail(appraisal_id: int):
    """The appraisal: where it stands, what the viewer may do, and its history."""
    abort(404)
