"""SKP saya and SKP tim: where each SKP stands and what it waits on, one line each."""

from datetime import date

from flask import render_template, request
from flask_login import current_user, login_required

from app.overview import bp
from app.overview import services as overview
from app.workflow.roles import ROLE_LABELS


@bp.route("/my-skp")
@login_required
def mine():
    """The signed-in employee's SKP of every period: step, predikat, document, keberatan."""
    return render_template(
        "overview/mine.html",
        rows=overview.my_skp(current_user.employee_id),
        role_labels=ROLE_LABELS,
        today=date.today(),
    )


@bp.route("/team-skp")
@login_required
def team():
    """The SKP the signed-in employee appraises in one period, and whose turn each is."""
    periods = overview.team_periods(current_user.employee_id)
    period = overview.current_period(periods, request.args.get("period", type=int))
    return render_template(
        "overview/team.html",
        periods=periods,
        period=period,
        rows=overview.team_skp(current_user.employee_id, period.id) if period else [],
        role_labels=ROLE_LABELS,
        today=date.today(),
    )
