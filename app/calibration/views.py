"""The calibration page: an OPD's proposed predikat per unit against its pattern."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.calibration import bp
from app.calibration.forms import CalibrationForm, SignForm
from app.calibration.penetapan import (
    NothingToSign,
    latest_penetapan,
    render_penetapan,
    sign_penetapan,
)
from app.calibration.services import ask_calibration, unit_counts
from app.extensions import db
from app.models import Opd, PenetapanPredikat, Period
from app.policy import can, can_calibrate, dashboard_opds
from app.skp.document.signing import SigningUnavailable, sign_pdf
from app.skp.verification.services import awaiting_verification, opd_distribution


def _choices() -> tuple[list[Opd], list[Period]]:
    allowed = dashboard_opds(current_user)
    if allowed == []:
        abort(403)
    query = db.select(Opd).order_by(Opd.name)
    if allowed is not None:
        query = query.where(Opd.id.in_(allowed))
    periods = db.select(Period).where(Period.kind == "annual").order_by(Period.year.desc())
    return list(db.session.scalars(query)), list(db.session.scalars(periods))


def _page(opd: Opd | None, period: Period | None, opds, periods, form, status=200, sign_form=None):
    context = {"opds": opds, "periods": periods, "opd": opd, "period": period, "form": form}
    context["sign_form"] = sign_form or SignForm()
    if opd is not None and period is not None:
        org, counts, check = opd_distribution(opd.id, period.id)
        context |= {
            "org": org,
            "counts": counts,
            "check": check,
            "units": unit_counts(opd.id, period.id),
            "waiting": awaiting_verification(opd.id, period.id),
            "may_ask": can_calibrate(current_user, opd.id),
            "penetapan": latest_penetapan(opd.id, period.id),
        }
    return render_template("calibration/index.html", **context), status


@bp.route("/kalibrasi")
@login_required
def index():
    """The OPD's predikat per unit, the pattern, and the SKP waiting for BKD."""
    opds, periods = _choices()
    opd = next((o for o in opds if o.id == request.args.get("opd", type=int)), None)
    period = next((p for p in periods if p.id == request.args.get("period", type=int)), None)
    opd = opd or (opds[0] if opds else None)
    period = period or next((p for p in periods if p.status == "open"), None)
    period = period or (periods[0] if periods else None)
    return _page(opd, period, opds, periods, CalibrationForm())


@bp.route("/kalibrasi/<int:period_id>/<int:opd_id>", methods=["POST"])
@login_required
def ask(period_id: int, opd_id: int):
    """Send the ticked SKP back to their appraisers with the kepala OPD's comment."""
    if not can_calibrate(current_user, opd_id):
        abort(403)
    opds, periods = _choices()
    opd = db.session.get(Opd, opd_id)
    period = db.session.get(Period, period_id)
    if opd is None or period is None:
        abort(404)
    form = CalibrationForm()
    if not form.validate():
        return _page(opd, period, opds, periods, form, 422)
    result = ask_calibration(opd.id, period.id, form.items(), current_user, form.comment.data)
    db.session.commit()
    if result.done:
        flash(
            ngettext(
                "%(num)d SKP went back to its appraiser for calibration.",
                "%(num)d SKP went back to their appraisers for calibration.",
                len(result.done),
            ),
            "success",
        )
    for appraisal, _id, error in result.refused:
        name = appraisal.employee.name if appraisal else f"#{_id}"
        reason = error.message if error is not None else _("not an SKP of this OPD and period")
        flash(_("%(name)s: %(reason)s", name=name, reason=reason), "warning")
    return redirect(url_for("calibration.index", opd=opd.id, period=period.id))


@bp.route("/kalibrasi/<int:period_id>/<int:opd_id>/penetapan", methods=["POST"])
@login_required
def sign(period_id: int, opd_id: int):
    """The kepala OPD signs the penetapan predikat kinerja of the OPD as it stands now."""
    if not can_calibrate(current_user, opd_id):
        abort(403)
    opds, periods = _choices()
    opd, period = db.session.get(Opd, opd_id), db.session.get(Period, period_id)
    if opd is None or period is None:
        abort(404)
    form = SignForm()
    if not form.validate():
        return _page(opd, period, opds, periods, CalibrationForm(formdata=None), 422, form)
    try:
        penetapan = sign_penetapan(opd, period, current_user)
    except NothingToSign:
        db.session.rollback()
        flash(
            _("No employee of this OPD has a predikat for the period yet: nothing to sign."),
            "warning",
        )
    else:
        db.session.commit()
        flash(
            _("The penetapan predikat kinerja is signed (sha256 %(sha)s).", sha=penetapan.sha256),
            "success",
        )
    return redirect(url_for("calibration.index", opd=opd.id, period=period.id))


@bp.route("/kalibrasi/penetapan/<int:penetapan_id>.pdf")
@login_required
def penetapan_pdf(penetapan_id: int):
    """The signed penetapan as PDF: for the OPD's kepala and BKD; 404 for everyone else."""
    penetapan = db.session.get(PenetapanPredikat, penetapan_id)
    if penetapan is None or not (
        can(current_user, "verification.view") or can_calibrate(current_user, penetapan.opd_id)
    ):
        abort(404)
    pdf = render_penetapan(penetapan)
    try:
        pdf = sign_pdf(pdf, location=current_app.config.get("DOCUMENT_PLACE", "Medan"))
    except SigningUnavailable as error:
        current_app.logger.error("penetapan %s served unsigned: %s", penetapan.id, error)
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    name = f"penetapan-predikat-{penetapan.opd.code}-{penetapan.period_id}.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
