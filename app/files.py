"""Files SIKAP hands out: safe spreadsheet cells and sheet names, download names, PDFs.

Shared by every feature that makes a file (SKP documents, exports, SKM reports,
posters), so none of them has to import another feature to do it.
"""

from __future__ import annotations

import re
import unicodedata

# A cell starting with one of these is a formula to a spreadsheet (CSV/XLSX injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """The value as text that no spreadsheet evaluates."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_sheet_title(title: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in title).strip()
    return (cleaned or "SIKAP")[:31]


def file_name(*parts: str) -> str:
    """A download's name from readable parts: "rekap-dinkes-skp-tahunan-2025" (ASCII, no spaces)."""
    text = unicodedata.normalize("NFKD", " ".join(parts)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "sikap"


def render_pdf_html(html: str) -> bytes:
    """A self-contained official page as PDF bytes (nothing is fetched from outside)."""
    # Imported here: WeasyPrint is heavy, and `flask workflow check` loads the documents.
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_fetch_nothing).write_pdf()


def _fetch_nothing(url: str, *args, **kwargs):
    # The page is self-contained; whatever a user typed must not make the renderer
    # read a file or call a server.
    raise ValueError(f"a SIKAP document loads nothing from outside: {url}")
