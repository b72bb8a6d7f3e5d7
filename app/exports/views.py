"""Export pages: choose a period and an OPD; download the recap; see the distribution."""

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.exports import bp, services
from app.extensions import db, render_quota
from app.files import file_name
from app.models import Opd, Period
from app.models.appraisal import PERIOD_KIND_LABELS
from app.periods.services import all_periods, working_period
from app.policy import (
    ADMIN_BKD,
    VERIFIKATOR_BKD,
    can_export_opd,
    opds_headed_by,
    permission_required,
)
from app.skp.scoring import PREDIKAT, PREDIKAT_LABELS

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _allowed_opds() -> list[Opd]:
    """Every OPD for BKD; the OPDs they head for a kepala OPD."""
    if {ADMIN_BKD, VERIFIKATOR_BKD} & current_user.granted_roles:
        return list(db.session.scalars(sa.select(Opd).order_by(Opd.code)))
    return sorted(opds_headed_by(current_user), key=lambda opd: opd.code)


def _download(table, fmt: str, filename: str, title: str) -> Response:
    locale = str(get_locale())
    body = services.to_csv(table, locale) if fmt == "csv" else services.to_xlsx(table, title)
    return Response(
        body,
        mimetype=MIMETYPES[fmt],
        headers={"Content-Disposition": f"attachment; filename={filename}.{fmt}"},
    )


@bp.route("/")
@permission_required("exports.view")
def index():
    """Choose what to export."""
    periods = all_periods()
    working = working_period(periods)
    return render_template(
        "exports/index.html",
        periods=periods,
        opds=_allowed_opds(),
        selected_period=request.args.get("period", type=int) or (working.id if working else None),
    )


@bp.route("/recap.<any(csv, xlsx):fmt>")
@permission_required("exports.view")
@render_quota
def recap(fmt: str):
    """The recap of one OPD in one period: NIP, name, position, step, HK, PK, predikat."""
    period = db.session.get(Period, request.args.get("period", 0, type=int))
    opd = db.session.get(Opd, request.args.get("opd", 0, type=int))
    if period is None or opd is None:
        flash(_("Choose a period and an OPD."), "danger")
        return redirect(url_for("exports.index"))
    if not can_export_opd(current_user, opd.id):
        abort(403)
    table = services.recap_rows(period, opd, str(get_locale()))
    title = _("Recap %(opd)s %(period)s", opd=opd.code, period=PERIOD_KIND_LABELS[period.kind])
    return _download(table, fmt, file_name(_("recap"), opd.code, period.name), title)


@bp.route("/distribution", defaults={"fmt": None})
@bp.route("/distribution.<any(csv, xlsx):fmt>")
@permission_required("exports.view")
@render_quota
def distribution(fmt: str | None):
    """The predikat distribution of each OPD the user may see, in one period."""
    period = db.session.get(Period, request.args.get("period", 0, type=int))
    if period is None:
        flash(_("Choose a period."), "danger")
        return redirect(url_for("exports.index"))
    allowed = None
    if not {ADMIN_BKD, VERIFIKATOR_BKD} & current_user.granted_roles:
        allowed = [opd.id for opd in opds_headed_by(current_user)]
    entries = services.distribution(period, allowed)
    if fmt:
        table = services.distribution_rows(entries)
        name = file_name(_("distribution"), period.name)
        return _download(table, fmt, name, period.name)
    return render_template(
        "exports/distribution.html",
        period=period,
        entries=entries,
        predikat=PREDIKAT,
        labels=PREDIKAT_LABELS,
    )
