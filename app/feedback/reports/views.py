"""The internal SKM pages: units with their IKM for a period, and each unit's reports."""

from datetime import date

from flask import Response, abort, make_response, render_template, request
from flask_babel import force_locale
from flask_login import current_user, login_required

from app.extensions import db, render_quota
from app.feedback.index import parse_period, periods_of
from app.feedback.reports import bp
from app.feedback.reports.services import report_context, visible_units
from app.feedback.reports.xlsx import responses_xlsx
from app.files import file_name, render_pdf_html
from app.models import ServiceUnit
from app.policy import can_view_skm_report, skm_report_scope

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_LOCALE = "id"  # an official report, like the Dokumen Evaluasi Kinerja
YEARS_SHOWN = 5


def _period():
    return parse_period(request.args.get("periode"), date.today().year)


def _unit(unit_id: int) -> ServiceUnit:
    """The unit, 404 when there is none, 403 when its reports are not the user's."""
    unit = db.session.get(ServiceUnit, unit_id)
    if unit is None:
        abort(404)
    if not can_view_skm_report(current_user, unit):
        abort(403)
    return unit


@bp.route("/skm/ikm")
@login_required
def index():
    """The units the user may report on, with their IKM for the chosen period."""
    if skm_report_scope(current_user) is None:
        abort(403)
    period = _period()
    rows, by_opd = visible_units(current_user, period)
    this_year = date.today().year
    return render_template(
        "feedback/reports/index.html",
        period=period,
        periods_of=periods_of,
        years=range(this_year, this_year - YEARS_SHOWN, -1),
        rows=rows,
        by_opd=by_opd,
    )


@bp.route("/skm/ikm/<int:unit_id>/laporan.pdf")
@login_required
@render_quota
def report_pdf(unit_id: int):
    """The unit's survey report for the period, as PDF (always in Indonesian)."""
    unit = _unit(unit_id)
    period = _period()
    with force_locale(REPORT_LOCALE):
        html = render_template("feedback/reports/report.html", **report_context(unit, period))
        name = file_name("laporan-skm", unit.code, period.key)
    response = make_response(render_pdf_html(html))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/skm/ikm/<int:unit_id>/responden.xlsx")
@login_required
@render_quota
def responses(unit_id: int):
    """The unit's raw, anonymised responses of the period, as XLSX."""
    unit = _unit(unit_id)
    period = _period()
    name = file_name("responden-skm", unit.code, period.key)
    return Response(
        responses_xlsx(unit, period),
        mimetype=XLSX,
        headers={
            "Content-Disposition": f"attachment; filename={name}.xlsx",
            "Cache-Control": "private, no-store",
        },
    )
