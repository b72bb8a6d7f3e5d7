"""The progress dashboard."""

from datetime import date

from flask import abort, render_template, request
from flask_babel import get_locale
from flask_login import current_user, login_required

from app import policy
from app.dashboard import bp, services
from app.feedback.evidence import combined, opd_units
from app.models.types import utcnow
from app.skp.assessment.skm import report_path
from app.skp.scoring import PREDIKAT_LABELS
from app.workflow.engine import engine


@bp.route("/dashboard")
@login_required
def index():
    """One OPD's progress in the current period: steps, overdue tasks, predikat so far."""
    mine = policy.dashboard_opds(current_user)
    if mine == []:
        abort(403)
    opds = services.opd_choices(mine)
    chosen = request.args.get("opd", type=int) or (opds[0].id if opds else None)
    opd = next((o for o in opds if o.id == chosen), None)
    if opd is None:
        abort(404)
    period = services.current_period()
    progress = services.opd_progress(period, opd.id) if period else None
    spec = engine().spec(period.workflow) if period else None
    # The OPD's units layanan, this year so far: the public's view beside the SKP progress.
    today = date.today()
    service_units = opd_units(opd.id, date(today.year, 1, 1), today)
    return render_template(
        "dashboard/index.html",
        opds=opds,
        opd=opd,
        period=period,
        progress=progress,
        spec=spec,
        locale=str(get_locale()),
        predikat_labels=PREDIKAT_LABELS,
        now=utcnow(),
        service_units=service_units,
        service_total=combined(service_units),
        skm_year=today.year,
        ikm_path=report_path,
        # The kepala OPD and admin BKD form the tim kerja (not the BKD verifier).
        manages_teams=policy.can_manage_teams(current_user, opd.id),
    )
