"""Read a roster file (CSV in UTF-8, or XLSX) into rows of text, refusing bad files.

A file is refused as a whole (RosterFileError) when it is too large, not a CSV
or XLSX, not UTF-8, or its header does not name exactly the template's columns.
Problems inside a row, such as a formula in a cell, are reported per line and
column by the checks, so that the user sees all of them at once.
"""

from __future__ import annotations

import csv
import io
import logging
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError
from xml.parsers.expat import ExpatError

from defusedxml import DefusedXmlException
from flask_babel import lazy_gettext as _l
from openpyxl.utils.exceptions import InvalidFileException

log = logging.getLogger(__name__)

# The template's columns, in its order; the header names them (case and spacing free).
COLUMNS = (
    "opd", "unit", "position", "position_kind", "parent_position", "nip", "name",
    "pangkat_golongan", "status", "email",
)  # fmt: skip
COLUMN_LABELS = {
    "opd": _l("OPD code"),
    "unit": _l("Organisational unit"),
    "position": _l("Position"),
    "position_kind": _l("Position kind"),
    "parent_position": _l("Parent position"),
    "nip": _l("NIP"),
    "name": _l("Name"),
    "pangkat_golongan": _l("Pangkat/golongan"),
    "status": _l("Status"),
    "email": _l("Email"),
}
# The template's first row: the columns as the people filling it in call them. The
# English codes above are accepted too (files made before the headers were named).
COLUMN_HEADERS = {
    "opd": "Kode OPD",
    "unit": "Unit organisasi",
    "position": "Jabatan",
    "position_kind": "Jenis jabatan",
    "parent_position": "Jabatan atasan",
    "nip": "NIP",
    "name": "Nama",
    "pangkat_golongan": "Pangkat/golongan",
    "status": "Status",
    "email": "Email",
}
HEADER_KEYS = {
    "_".join(header.lower().replace("/", " ").split()): code
    for code, header in COLUMN_HEADERS.items()
}
# The template's example rows start with this in their first column (OPD code); they are
# shown in the report and never imported.
EXAMPLE_MARKER = "CONTOH"
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@")
ZIP_MAGIC = b"PK\x03\x04"
# An XLSX unpacks to a few times its size; far more than that is a zip bomb.
MAX_UNPACKED_FACTOR = 20


class RosterFileError(ValueError):
    """The file cannot be read as a roster; the message says why, for the user."""


# What zipfile, the XML parsers and openpyxl raise for a truncated, damaged, foreign or
# hostile workbook (openpyxl's typed attributes raise TypeError and ValueError on bad
# values; a missing part is a KeyError). Caught here, in one place, and nowhere else.
XLSX_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    KeyError,
    IndexError,
    TypeError,
    ValueError,
    ParseError,
    ExpatError,
    DefusedXmlException,
    InvalidFileException,
)


@dataclass
class Row:
    """One data row: its line in the file and its cells by column."""

    line: int
    cells: dict[str, str]
    # Columns whose cell held a formula, or a number that cannot be a NIP.
    formula_columns: list[str] = field(default_factory=list)
    numeric_nip: bool = False

    @property
    def example(self) -> bool:
        """One of the template's example rows (OPD code starting with CONTOH)."""
        return self.cells.get("opd", "").strip().upper().startswith(EXAMPLE_MARKER)


def _header_key(text: str) -> str:
    key = "_".join(str(text or "").strip().lower().replace("/", " ").split())
    return HEADER_KEYS.get(key, key)


def _check_header(header: list) -> list[str]:
    keys = [_header_key(h) for h in header]
    while keys and not keys[-1]:
        keys.pop()
    missing = [COLUMN_HEADERS[c] for c in COLUMNS if c not in keys]
    unknown = [k or "?" for k in keys if k not in COLUMNS]
    doubled = sorted({COLUMN_HEADERS[k] for k in keys if keys.count(k) > 1 and k in COLUMNS})
    if missing or unknown or doubled:
        parts = []
        if missing:
            parts.append(str(_l("missing: %(names)s", names=", ".join(missing))))
        if unknown:
            parts.append(str(_l("unknown: %(names)s", names=", ".join(unknown))))
        if doubled:
            parts.append(str(_l("more than once: %(names)s", names=", ".join(doubled))))
        raise RosterFileError(
            _l(
                "The columns do not match the template (%(problems)s). "
                "Download the template and keep its first row.",
                problems="; ".join(parts),
            )
        )
    return keys


def read_roster(filename: str, data: bytes, *, max_bytes: int, max_rows: int) -> list[Row]:
    """The rows of a roster file; raises RosterFileError for a file that cannot be used."""
    if len(data) > max_bytes:
        raise RosterFileError(
            _l("The file is larger than %(mb)d MB.", mb=max_bytes // (1024 * 1024))
        )
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        if not data.startswith(ZIP_MAGIC):
            raise RosterFileError(_l("The file is not a valid XLSX workbook."))
        rows = _read_xlsx(data, max_bytes)
    elif name.endswith(".csv"):
        rows = _read_csv(data)
    else:
        raise RosterFileError(_l("Send a .csv (UTF-8) or .xlsx file."))
    if len(rows) > max_rows:
        raise RosterFileError(_l("The file has more than %(n)d rows.", n=max_rows))
    if not rows:
        raise RosterFileError(_l("The file has no data rows below the header."))
    return rows


def _read_csv(data: bytes) -> list[Row]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RosterFileError(
            _l("The file is not UTF-8 text. Save it as “CSV UTF-8” and send it again.")
        ) from None
    if "\x00" in text:
        raise RosterFileError(_l("The file is not a CSV text file."))
    first_line = text.split("\n", 1)[0]
    # Spreadsheets set to Indonesian save CSV with semicolons.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, [])
        keys = _check_header(header)
        rows = []
        line = reader.line_num
        for values in reader:
            start, line = line + 1, reader.line_num
            if not any(v.strip() for v in values):
                continue
            row = Row(start, {})
            for key, value in zip(keys, values, strict=False):
                if key:
                    row.cells[key] = value
                    if value.startswith(FORMULA_STARTS):
                        row.formula_columns.append(key)
            rows.append(row)
    except csv.Error as error:
        raise RosterFileError(
            _l("The CSV file is malformed near line %(line)d.", line=reader.line_num)
        ) from error
    return rows


def _read_xlsx(data: bytes, max_bytes: int) -> list[Row]:
    """The rows of the first sheet; any damage to the workbook becomes one RosterFileError."""
    import openpyxl

    # openpyxl parses with defusedxml when it is installed (a dependency), which refuses
    # DTDs, entities (XXE, "billion laughs") and external references. Never parse without it.
    if not openpyxl.DEFUSEDXML:
        raise RuntimeError("openpyxl is not using defusedxml; refusing to parse XLSX files")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > max_bytes * MAX_UNPACKED_FACTOR:
            raise RosterFileError(_l("The workbook unpacks to far too much data."))
        # Read-only workbooks parse lazily: errors come from the iteration as well.
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            return _sheet_rows(workbook.worksheets[0])
        finally:
            workbook.close()
    except RosterFileError:
        raise
    except XLSX_ERRORS as error:
        log.info("roster workbook refused: %s: %s", type(error).__name__, error)
        raise RosterFileError(_l("The file is not a valid XLSX workbook.")) from None


def _sheet_rows(sheet) -> list[Row]:
    lines = sheet.iter_rows(values_only=True)
    keys = _check_header(list(next(lines, ())))
    rows = []
    for number, values in enumerate(lines, start=2):
        if not any(v is not None and str(v).strip() for v in values):
            continue
        row = Row(number, {})
        for key, value in zip(keys, values, strict=False):
            if not key:
                continue
            if isinstance(value, float) and key == "nip":
                row.numeric_nip = True
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            text = "" if value is None else str(value)
            row.cells[key] = text
            if text.startswith(FORMULA_STARTS):
                row.formula_columns.append(key)
        rows.append(row)
    return rows
