"""Pembinaan pages: the list (own, led, the OPD's, all for BKD), one case (plan, monthly
notes, history, the steps the viewer may take) and the step form. Every state change
goes through app.workflow.engine.fire."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_login import current_user, login_required

from app.models.appraisal import PREDIKAT_LABELS
from app.models.pembinaan import OUTCOME_LABELS, PembinaanCase
from app.pembinaan import bp, services
from app.policy import may_act_on_pembinaan, may_view_pembinaan
from app.workflow.engine import available, engine
from app.workflow.pembinaan import PEMBINAAN_WORKFLOW, pembinaan_roles
from app.workflow.roles import ROLE_LABELS
from app.workflow.web import step_page


def _case(case_id: int) -> PembinaanCase:
    """The case, if the user may see it; 404 otherwise (nobody else learns it exists)."""
    case = services.load_case(case_id)
    if case is None or not may_view_pembinaan(current_user, case):
        abort(404)
    return case


@bp.route("/pembinaan/")
@login_required
def index():
    """The pembinaan cases the user leads, confirms, oversees or is the subject of."""
    spec = engine().spec(PEMBINAAN_WORKFLOW)
    state = request.args.get("state")
    if state not in spec.states:
        state = None
    return render_template(
        "pembinaan/index.html",
        cases=services.cases_for(current_user, state),
        spec=spec,
        state=state,
        predikat_labels=PREDIKAT_LABELS,
        outcome_labels=OUTCOME_LABELS,
    )


@bp.route("/pembinaan/<int:case_id>")
@login_required
def show(case_id: int):
    """One case: the SKP that opened it, where it stands, the plan, the monthly notes, the
    outcome, the steps the viewer may take, and its history."""
    case = _case(case_id)
    spec = engine().spec(case.workflow)
    return render_template(
        "pembinaan/show.html",
        case=case,
        spec=spec,
        state=spec.states[case.state],
        waiting=services.waiting_on(case),
        actions=available(case, current_user),
        events=services.history(case),
        role_labels=ROLE_LABELS,
        my_roles=pembinaan_roles(current_user, case),
        predikat_labels=PREDIKAT_LABELS,
        outcome_labels=OUTCOME_LABELS,
    )


@bp.route("/pembinaan/<int:case_id>/act/<trigger>", methods=["GET", "POST"])
@login_required
def act(case_id: int, trigger: str):
    """Confirm and fire one step of the case (GET shows the form only)."""
    case = _case(case_id)
    return step_page(
        case,
        trigger,
        current_user,
        here=url_for("pembinaan.show", case_id=case.id),
        template="pembinaan/act.html",
        may_fire=lambda step: may_act_on_pembinaan(current_user, case, step.roles),
        case=case,
        outcome_labels=OUTCOME_LABELS,
    )
