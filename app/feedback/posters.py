"""The A4 posters of the unit layanan: a QR code to the public form and its short address.

The QR code is drawn by segno as inline SVG; WeasyPrint renders the page without
fetching anything (no network, no file). Posters are printed in Indonesian, the
language of the public counter, whatever the language of whoever prints them.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import segno
from flask import current_app, render_template
from flask_babel import force_locale
from markupsafe import Markup

from app.files import render_pdf_html
from app.models import ServiceUnit

POSTER_LOCALE = "id"
PUBLIC_PATH = "/umpan-balik/"


def public_url(unit: ServiceUnit) -> str:
    """The absolute address of the unit's public form (what the QR code holds)."""
    return current_app.config["BASE_URL"].rstrip("/") + PUBLIC_PATH + unit.code


def short_address(unit: ServiceUnit) -> str:
    """The address to type, without the scheme: host (and any path prefix) and the code."""
    parts = urlsplit(public_url(unit))
    return parts.netloc + parts.path


def qr_svg(url: str) -> Markup:
    """The QR code of `url` as inline SVG (error correction M: a poster gets scratched)."""
    code = segno.make(url, error="m", micro=False)
    # segno writes only its own numbers and the colour given here: safe to inline.
    return Markup(code.svg_inline(scale=3, unit="mm", border=2, dark="#000"))  # nosec B704


def render_posters_html(units: list[ServiceUnit]) -> str:
    """One A4 page per unit, as the HTML WeasyPrint prints."""
    with force_locale(POSTER_LOCALE):
        posters = [
            {
                "unit": unit,
                "url": public_url(unit),
                "short": short_address(unit),
                "qr": qr_svg(public_url(unit)),
            }
            for unit in units
        ]
        return render_template("feedback/poster.html", posters=posters)


def render_posters_pdf(units: list[ServiceUnit]) -> bytes:
    """The posters of these units as one PDF (one page each), self-contained."""
    return render_pdf_html(render_posters_html(units))
