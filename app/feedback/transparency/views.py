"""The public IKM pages: the city's (`/ikm`) and each unit layanan's (`/ikm/<code>`)."""

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from babel.numbers import format_decimal
from flask import abort, render_template, request
from flask_babel import get_locale

from app.extensions import db
from app.feedback.transparency import bp
from app.feedback.transparency.services import city_overview, year_overview
from app.models import Opd, ServiceUnit

FIRST_YEAR = 2017  # PermenPANRB 14/2017


def _year() -> int:
    """The year asked for (?tahun=), within what can exist; this year otherwise."""
    this_year = date.today().year
    year = request.args.get("tahun", type=int)
    return year if year is not None and FIRST_YEAR <= year <= this_year else this_year


@bp.app_template_filter("ikm_value")
def ikm_value(value: Decimal | None, places: int = 2) -> str:
    """An IKM or NRR with its fixed decimals in the reader's notation: 88,31 (id)."""
    if value is None:
        return "—"
    return format_decimal(value, format="#,##0." + "0" * places, locale=str(get_locale()))


@bp.route("/ikm")
def city():
    """The city's IKM: the year, its quarters, the years before, per OPD and per unit."""
    year = _year()
    overview, opds, units = city_overview(year)
    return render_template(
        "feedback/transparency/city.html",
        overview=overview,
        opds=opds,
        units=units,
        years=range(date.today().year, FIRST_YEAR - 1, -1),
    )


@bp.route("/ikm/<code>")
def unit(code: str):
    """One unit layanan's IKM; 404 for an unknown or inactive code."""
    year = _year()
    service_unit = db.session.execute(
        sa.select(ServiceUnit, Opd.name)
        .join(Opd, Opd.id == ServiceUnit.opd_id)
        .where(ServiceUnit.code == code[:16], ServiceUnit.active.is_(True))
    ).one_or_none()
    if service_unit is None:
        abort(404)
    found, opd_name = service_unit
    return render_template(
        "feedback/transparency/unit.html",
        unit=found,
        opd_name=opd_name,
        overview=year_overview(year, found),
        years=range(date.today().year, FIRST_YEAR - 1, -1),
    )
