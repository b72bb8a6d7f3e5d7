"""Complaint pages: the list per unit/OPD, one complaint (answers, contact, history, steps),
and the step form. Every state change goes through app.workflow.engine.fire."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_login import current_user, login_required

from app.complaints import bp
from app.complaints.services import complaints_for, contact_of, history, scope_condition
from app.extensions import db
from app.models import Complaint
from app.models.skm import ANSWER_COLUMNS
from app.policy import may_see_complaint_contact, may_view_complaint
from app.workflow.complaints import COMPLAINT_WORKFLOW, complaint_roles
from app.workflow.engine import available, engine
from app.workflow.roles import ROLE_LABELS
from app.workflow.tasks import open_tasks_of
from app.workflow.web import step_page


def _complaint(complaint_id: int) -> Complaint:
    """The complaint, if the user may see it: 404 when there is none, 403 when not theirs."""
    complaint = db.session.get(Complaint, complaint_id)
    if complaint is None:
        abort(404)
    if not may_view_complaint(current_user, complaint):
        abort(403)
    return complaint


@bp.route("/pengaduan/")
@login_required
def index():
    """The complaints of the user's units (unit head), OPD (kepala OPD), or all (BKD)."""
    if scope_condition(current_user) is None:
        abort(403)
    opd_id = request.args.get("opd", type=int)
    return render_template(
        "complaints/index.html",
        complaints=complaints_for(current_user, opd_id),
        spec=engine().spec(COMPLAINT_WORKFLOW),
    )


@bp.route("/pengaduan/<int:complaint_id>")
@login_required
def show(complaint_id: int):
    """One complaint: the response's answers and comment, the contact (unit head and BKD),
    where the case stands, the steps the viewer may take, and its history."""
    complaint = _complaint(complaint_id)
    spec = engine().spec(complaint.workflow)
    response = complaint.response
    return render_template(
        "complaints/show.html",
        complaint=complaint,
        response=response,
        answers=[(column, getattr(response, column)) for column in ANSWER_COLUMNS],
        contact=contact_of(complaint)
        if may_see_complaint_contact(current_user, complaint)
        else None,
        may_see_contact=may_see_complaint_contact(current_user, complaint),
        spec=spec,
        state=spec.states[complaint.state],
        waiting=open_tasks_of(complaint),
        actions=available(complaint, current_user),
        events=history(complaint),
        role_labels=ROLE_LABELS,
        my_roles=complaint_roles(current_user, complaint),
    )


@bp.route("/pengaduan/<int:complaint_id>/act/<trigger>", methods=["GET", "POST"])
@login_required
def act(complaint_id: int, trigger: str):
    """Confirm and fire one step of the complaint's case (GET shows the form only)."""
    complaint = _complaint(complaint_id)
    return step_page(
        complaint,
        trigger,
        current_user,
        here=url_for("complaints.show", complaint_id=complaint.id),
        template="complaints/act.html",
        may_fire=lambda step: bool(complaint_roles(current_user, complaint) & set(step.roles)),
        complaint=complaint,
    )
