"""The old progress page: its URL now leads to the viewer's monitor (app.monitoring)."""

from flask import abort, redirect, request, url_for
from flask_login import current_user, login_required

from app.dashboard import bp
from app.policy.monitoring import can_monitor_opd, monitor_start


@bp.route("/dashboard")
@login_required
def index():
    """Redirect to the monitor: the OPD asked for (?opd=), else the viewer's own start."""
    wanted = request.args.get("opd", type=int)
    if wanted is not None:
        if not can_monitor_opd(current_user, wanted):
            abort(404)
        return redirect(url_for("monitoring.opd", opd_id=wanted))
    start = monitor_start(current_user)
    if start is None:
        abort(403)
    kind, key = start
    if kind == "opd":
        return redirect(url_for("monitoring.opd", opd_id=key))
    if kind == "team":
        return redirect(url_for("monitoring.team", employee_id=key))
    return redirect(url_for("monitoring.index"))
