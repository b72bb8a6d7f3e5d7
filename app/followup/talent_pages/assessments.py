"""Import assessment scores (the 9-box's potential axis) from CSV or XLSX, dry run first.

The file has a header row naming NIP, Tahun, Nilai and Sumber (the English codes
nip, year, score and source are accepted too). Every data row is checked and
reported with its row number: matched (new or replacing a score), an unknown NIP,
a year or score that is not valid (a score is 0 to 100), a row repeated for the
same NIP and year. Nothing is written unless every row passes; applying upserts
one score per employee and year.
"""

from __future__ import annotations

import csv
import io
import logging
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import Account, Employee, TalentAssessment
from app.models.types import utcnow
from app.roster.parsing import FORMULA_STARTS, XLSX_ERRORS, ZIP_MAGIC

log = logging.getLogger(__name__)

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000
COLUMNS = ("nip", "year", "score", "source")
HEADERS = {"nip": "NIP", "year": "Tahun", "score": "Nilai", "source": "Sumber"}
_ALIASES = {"nip": "nip", "tahun": "year", "year": "year", "nilai": "score", "score": "score"}
_ALIASES |= {"sumber": "source", "source": "source"}


class AssessmentFileError(ValueError):
    """The file as a whole cannot be read; the message says why, for the user."""


@dataclass
class Checked:
    """One row's verdict: its number in the file, and either a match or a problem."""

    line: int
    nip: str
    year: int | None = None
    score: Decimal | None = None
    source: str = ""
    employee_id: int | None = None
    employee_name: str | None = None
    previous: Decimal | None = None
    problem: str | None = None


@dataclass
class Report:
    """The dry run: every row, the matched ones and the problems."""

    rows: list[Checked] = field(default_factory=list)

    @property
    def matched(self) -> list[Checked]:
        return [r for r in self.rows if r.problem is None]

    @property
    def problems(self) -> list[Checked]:
        return [r for r in self.rows if r.problem is not None]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.problems


def read_rows(filename: str, data: bytes) -> list[tuple[int, dict[str, str]]]:
    """(row number, cells by column) of each non-empty data row."""
    if len(data) > MAX_BYTES:
        raise AssessmentFileError(_l("The file is larger than %(mb)d MB.", mb=MAX_BYTES >> 20))
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        if not data.startswith(ZIP_MAGIC):
            raise AssessmentFileError(_l("The file is not a valid XLSX workbook."))
        table = _xlsx(data)
    elif name.endswith(".csv"):
        table = _csv(data)
    else:
        raise AssessmentFileError(_l("Send a .csv (UTF-8) or .xlsx file."))
    if not table:
        raise AssessmentFileError(_l("The file has no data rows below the header."))
    keys = ["_".join(str(h or "").strip().lower().split()) for h in table[0][1]]
    keys = [_ALIASES.get(k, k) for k in keys]
    missing = [HEADERS[c] for c in COLUMNS if c not in keys]
    if missing:
        raise AssessmentFileError(
            _l("The header must name NIP, Tahun, Nilai and Sumber; missing: %(names)s.",
               names=", ".join(missing))
        )  # fmt: skip
    rows = []
    for line, values in table[1:]:
        pairs = list(zip(keys, values, strict=False))
        cells = {k: _text(v) for k, v in pairs if k}
        # A NIP a spreadsheet stored as a number has lost its last digits (18 digits > float).
        if any(k == "nip" and isinstance(v, float) for k, v in pairs):
            cells["numeric_nip"] = "1"
        if any(cells.values()):
            rows.append((line, cells))
    if len(rows) > MAX_ROWS:
        raise AssessmentFileError(_l("The file has more than %(n)d rows.", n=MAX_ROWS))
    if not rows:
        raise AssessmentFileError(_l("The file has no data rows below the header."))
    return rows


def _text(value) -> str:
    """A cell as text; a whole number from a workbook without its ".0"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _csv(data: bytes) -> list[tuple[int, list]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AssessmentFileError(
            _l("The file is not UTF-8 text. Save it as “CSV UTF-8” and send it again.")
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        return [
            (n, values)
            for n, values in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1)
        ]
    except csv.Error:
        raise AssessmentFileError(_l("The CSV file is malformed.")) from None


def _xlsx(data: bytes) -> list[tuple[int, list]]:
    import openpyxl

    if not openpyxl.DEFUSEDXML:  # never parse a workbook without defusedxml
        raise RuntimeError("openpyxl is not using defusedxml; refusing to parse XLSX files")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_BYTES * 20:
                raise AssessmentFileError(_l("The workbook unpacks to far too much data."))
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return [
                (n, list(values))
                for n, values in enumerate(book.worksheets[0].iter_rows(values_only=True), 1)
            ]
        finally:
            book.close()
    except AssessmentFileError:
        raise
    except XLSX_ERRORS as error:
        log.info("assessment workbook refused: %s", type(error).__name__)
        raise AssessmentFileError(_l("The file is not a valid XLSX workbook.")) from None


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def check(rows: list[tuple[int, dict[str, str]]]) -> Report:
    """Check every row against the employees and the stored scores (two queries)."""
    nips = {cells.get("nip", "") for _line, cells in rows}
    employees = {
        e.nip: e for e in db.session.scalars(sa.select(Employee).where(Employee.nip.in_(nips)))
    }
    stored = {
        (a.employee_id, a.year): a.score
        for a in db.session.scalars(
            sa.select(TalentAssessment).where(
                TalentAssessment.employee_id.in_([e.id for e in employees.values()])
            )
        )
    }
    report, seen = Report(), {}
    for line, cells in rows:
        row = Checked(line, cells.get("nip", ""), source=cells.get("source", ""))
        report.rows.append(row)
        year, score = _number(cells.get("year", "")), _number(cells.get("score", ""))
        employee = employees.get(row.nip)
        if cells.get("numeric_nip"):
            row.problem = str(
                _l("The NIP is stored as a number and has lost digits; format the column as text.")
            )
        elif any(str(v).startswith(FORMULA_STARTS) for v in cells.values() if v):
            row.problem = str(_l("A cell holds a formula; write the value itself."))
        elif employee is None:
            row.problem = str(_l("NIP %(nip)s is not an employee in SIKAP.", nip=row.nip or "—"))
        elif year is None or year != int(year) or not 2000 <= year <= 2100:
            row.problem = str(_l("The year “%(v)s” is not a year.", v=cells.get("year", "")))
        elif score is None or not 0 <= score <= 100:
            row.problem = str(
                _l("The score “%(v)s” is not a number from 0 to 100.", v=cells.get("score", ""))
            )
        elif not row.source:
            row.problem = str(_l("The source is empty (e.g. the assessment centre)."))
        elif len(row.source) > 200:
            row.problem = str(_l("The source is longer than 200 characters."))
        else:
            row.year, row.score = int(year), score.quantize(Decimal("0.01"))
            row.employee_id, row.employee_name = employee.id, employee.name
            row.previous = stored.get((employee.id, row.year))
            first = seen.setdefault((employee.id, row.year), line)
            if first != line:
                row.problem = str(
                    _l("NIP %(nip)s and year %(year)d are already on row %(line)d.",
                       nip=row.nip, year=row.year, line=first)
                )  # fmt: skip
    return report


def apply(report: Report, actor: Account) -> int:
    """Write every matched row: a new score, or the year's score replaced. Flushes only."""
    existing = {
        (a.employee_id, a.year): a
        for a in db.session.scalars(
            sa.select(TalentAssessment).where(
                TalentAssessment.employee_id.in_([r.employee_id for r in report.matched])
            )
        )
    }
    for row in report.matched:
        assessment = existing.get((row.employee_id, row.year))
        if assessment is None:
            assessment = TalentAssessment(employee_id=row.employee_id, year=row.year)
            db.session.add(assessment)
        assessment.score, assessment.source = row.score, row.source
        assessment.imported_by_id, assessment.imported_at = actor.id, utcnow()
    db.session.flush()
    log.info("talent assessments imported by account %s: %d rows", actor.id, len(report.matched))
    return len(report.matched)
