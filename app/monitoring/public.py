"""The public performance page (no account): completion rates and the units' IKM, nobody named."""

from __future__ import annotations

from flask import render_template

from app.monitoring import bp
from app.monitoring.public_data import public_figures

# Up to this many units layanan the page lists them; beyond, /ikm lists them per OPD.
UNITS_LISTED = 60


@bp.route("/kinerja")
def public():
    """The city's and each OPD's SKP completion in the current period, and the units' IKM."""
    figures = public_figures()
    bars = [
        {"label": row.name, "value": row.completion, "colour": "#146c43"}
        for row in figures["opds"]
        if row.total
    ]
    return render_template(
        "monitoring/public.html",
        **figures,
        bars=bars,
        units_listed=len(figures["units"]) <= UNITS_LISTED,
    )
