"""The public IKM pages: the city's (`/ikm`) and each unit layanan's (`/ikm/<code>`)."""

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask import abort, render_template, request
from flask_babel import get_locale

from app.complaints.services import complaint_counts
from app.extensions import db
from app.feedback.transparency import bp
from app.feedback.transparency.cache import cached
from app.feedback.transparency.services import city_overview, format_ikm, year_overview
from app.models import Opd, ServiceUnit

FIRST_YEAR = 2017  # PermenPANRB 14/2017
# Up to this many units the city page lists them all; beyond, those of the OPD chosen
# (a city has hundreds: one long table is slow to render and to read on a phone).
UNITS_LISTED = 60


def _year() -> int:
    """The year asked for (?tahun=), within what can exist; this year otherwise."""
    this_year = date.today().year
    year = request.args.get("tahun", type=int)
    return year if year is not None and FIRST_YEAR <= year <= this_year else this_year


@bp.app_template_filter("ikm_value")
def ikm_value(value: Decimal | None, places: int = 2) -> str:
    """An IKM or NRR with its fixed decimals in the reader's notation: 88,31 (id)."""
    return format_ikm(value, places)


@bp.route("/ikm")
def city():
    """The city's IKM: the year, its quarters, the years before, per OPD and per unit."""
    year = _year()
    overview, opds, units = cached(("city", year, str(get_locale())), lambda: city_overview(year))
    opd_id = request.args.get("opd", type=int)
    chosen = next((opd for opd in opds if opd["id"] == opd_id), None)
    if chosen is not None:
        units = [u for u in units if u["opd_id"] == opd_id]
    listed = chosen is not None or len(units) <= UNITS_LISTED
    return render_template(
        "feedback/transparency/city.html",
        overview=overview,
        opds=opds,
        units=units if listed else [],
        chosen=chosen,
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
        overview=cached(
            ("unit", found.id, year, str(get_locale())), lambda: year_overview(year, found)
        ),
        complaints=complaint_counts(found.id, date(year, 1, 1), date(year, 12, 31)),
        years=range(date.today().year, FIRST_YEAR - 1, -1),
    )
