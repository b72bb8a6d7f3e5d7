"""The library as an XLSX sheet: export every entry, import a sheet all-or-nothing.

One row per entry, the columns of app.pustaka.rows.COLUMNS under Indonesian
headers. An import matches rows to entries by their code: a new code adds an
approved entry, a known code updates it (a retired entry stays retired). Every
row is checked first; one wrong row and nothing is written, and the report names
each wrong row by its line in the sheet.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError
from xml.parsers.expat import ExpatError

import sqlalchemy as sa
from defusedxml import DefusedXmlException
from flask_babel import lazy_gettext as _l
from openpyxl.utils.exceptions import InvalidFileException

from app.extensions import db
from app.models import Account, LibraryEntry
from app.models.pustaka import FUNCTIONS
from app.pustaka import services
from app.pustaka.rows import COLUMNS, EntryData, check_row

ZIP_MAGIC = b"PK\x03\x04"
MAX_UNPACKED_FACTOR = 20
MAX_ROWS = 5000
# A cell starting with one of these is a formula to a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@")
# What a damaged or hostile workbook makes zipfile, the XML parsers or openpyxl raise.
XLSX_ERRORS = (
    zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, KeyError,
    IndexError, TypeError, ValueError, ParseError, ExpatError, DefusedXmlException,
    InvalidFileException,
)  # fmt: skip
HEADERS = [header for _name, header in COLUMNS]


class LibraryFileError(ValueError):
    """The file cannot be read as a library sheet at all; the message says why."""


@dataclass
class ImportReport:
    """What an import found: errors per sheet line, and what it would add or update."""

    errors: list[tuple[int, str]] = field(default_factory=list)
    added: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_xlsx(entries: list[LibraryEntry]) -> bytes:
    """Every given entry as one sheet; text is stored as text, never as a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Pustaka IKI")
    sheet.append([*HEADERS, "status"])
    for entry in entries:
        row = []
        for name, _header in COLUMNS:
            value = getattr(entry, name)
            if name == "jabatan":
                value = "; ".join(entry.jabatan_names)
            if name in ("target_min", "target_max") and value is not None:
                cell = WriteOnlyCell(sheet, value=float(value))
            else:
                cell = WriteOnlyCell(sheet, value=_safe(value))
                cell.data_type = "s"
            row.append(cell)
        row.append(WriteOnlyCell(sheet, value=entry.status))
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read_sheet(data: bytes, *, max_bytes: int) -> list[tuple[int, dict]]:
    """(sheet line, cells by field) of each non-empty row below the header."""
    import openpyxl

    # openpyxl parses with defusedxml when it is installed (a dependency): no DTDs,
    # entities or external references. Never parse without it.
    if not openpyxl.DEFUSEDXML:
        raise RuntimeError("openpyxl is not using defusedxml; refusing to parse XLSX files")
    if len(data) > max_bytes:
        raise LibraryFileError(_l("The file is larger than %(mb)d MB.", mb=max_bytes // 2**20))
    if not data.startswith(ZIP_MAGIC):
        raise LibraryFileError(_l("The file is not a valid XLSX workbook."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > max_bytes * MAX_UNPACKED_FACTOR:
            raise LibraryFileError(_l("The workbook unpacks to far too much data."))
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            lines = list(workbook.worksheets[0].iter_rows(values_only=True))
        finally:
            workbook.close()
    except LibraryFileError:
        raise
    except XLSX_ERRORS:
        raise LibraryFileError(_l("The file is not a valid XLSX workbook.")) from None
    if not lines:
        raise LibraryFileError(_l("The file has no data rows below the header."))
    header = [str(h or "").strip().lower() for h in lines[0]]
    missing = [h for h in HEADERS if h not in header]
    if missing:
        raise LibraryFileError(
            _l(
                "The first row must name the columns; missing: %(names)s.",
                names=", ".join(missing),
            )
        )
    where = {name: header.index(h) for name, h in COLUMNS}
    rows = []
    for number, values in enumerate(lines[1:], start=2):
        if not any(v not in (None, "") and str(v).strip() for v in values):
            continue
        cells = {name: (values[i] if i < len(values) else None) for name, i in where.items()}
        rows.append((number, cells))
    if not rows:
        raise LibraryFileError(_l("The file has no data rows below the header."))
    if len(rows) > MAX_ROWS:
        raise LibraryFileError(_l("The file has more than %(n)d rows.", n=MAX_ROWS))
    return rows


def check_sheet(rows: list[tuple[int, dict]]) -> tuple[list[tuple[int, EntryData]], ImportReport]:
    """Check every row (values, codes twice in the sheet, formulas); nothing is written."""
    report, checked, seen = ImportReport(), [], {}
    for line, cells in rows:
        formulas = [h for (name, h) in COLUMNS if str(cells.get(name) or "").startswith("=")]
        data, errors = check_row(cells)
        errors += [str(_l("Column “%(column)s” holds a formula.", column=h)) for h in formulas]
        if data is not None and data.code in seen:
            errors.append(
                str(
                    _l(
                        "Code %(code)s is also on line %(line)d.",
                        code=data.code,
                        line=seen[data.code],
                    )
                )
            )
        if data is not None:
            seen.setdefault(data.code, line)
        if errors:
            report.errors.extend((line, message) for message in errors)
        else:
            checked.append((line, data))
    return checked, report


def import_sheet(data: bytes, actor: Account, *, max_bytes: int) -> ImportReport:
    """Check the sheet, then (only if every row is right) add and update its entries.

    Raises LibraryFileError for a file that cannot be read; returns the report
    with errors (and nothing written) when a row is wrong. Flushes, never commits.
    """
    checked, report = check_sheet(read_sheet(data, max_bytes=max_bytes))
    if not report.ok:
        return report
    codes = [entry.code for _line, entry in checked]
    existing = {
        e.code: e
        for e in db.session.scalars(sa.select(LibraryEntry).where(LibraryEntry.code.in_(codes)))
    }
    for _line, entry_data in checked:
        entry = existing.get(entry_data.code)
        if entry is None:
            services.create_entry(entry_data, actor, action="import")
            report.added += 1
        elif all(getattr(entry, k) == v for k, v in entry_data.values().items()):
            report.unchanged += 1
        else:
            services.edit_entry(
                entry, entry_data, actor, seen_version=entry.version, action="import"
            )
            report.updated += 1
    return report


def entries_for_export() -> list[LibraryEntry]:
    """Every entry, by function (the library's order), then code."""
    order = sa.case({name: i for i, name in enumerate(FUNCTIONS)}, value=LibraryEntry.function)
    return list(db.session.scalars(sa.select(LibraryEntry).order_by(order, LibraryEntry.code)))
