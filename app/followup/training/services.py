"""Training and sosialisasi events: creating them, attendance (marked or imported), certificates.

Attendance counts in the attendee's yearly JP (app.followup.development.hours).
An import reads the NIPs of a CSV or XLSX list; its dry run only reads and
matches, the apply step writes what the dry run showed (re-matched on the server).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import Account, Employee, Opd, Period, Position
from app.models.development import TrainingAttendance, TrainingEvent
from app.models.summary import AppraisalCount
from app.skp.assessment.evidence import CheckedFile
from app.workflow.names import DRAFT

KIND_LABELS = {"pelatihan": _l("Pelatihan"), "sosialisasi": _l("Sosialisasi")}
NIP = re.compile(r"^\d{18}$")
MAX_LIST_BYTES = 2 * 1024 * 1024
MAX_UNPACKED = 50 * MAX_LIST_BYTES


class ListRefused(ValueError):
    """The attendance list cannot be read; `message` is fit for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


@dataclass(frozen=True)
class EventInput:
    kind: str
    title: str
    topic: str | None
    organiser: str
    start_date: date
    end_date: date
    jp: Decimal
    opd_ids: list[int]


def create_event(actor: Account, data: EventInput) -> TrainingEvent:
    """A new event with its invited OPDs."""
    opds = list(db.session.scalars(sa.select(Opd).where(Opd.id.in_(data.opd_ids))))
    event = TrainingEvent(
        kind=data.kind,
        title=data.title,
        topic=data.topic,
        organiser=data.organiser,
        start_date=data.start_date,
        end_date=data.end_date,
        jp=data.jp,
        created_by_id=actor.id,
        opds=opds,
    )
    db.session.add(event)
    db.session.flush()
    return event


def events() -> list[tuple[TrainingEvent, int]]:
    """Every event, newest first, with its number of attendees: one statement."""
    attended = (
        sa.select(sa.func.count(TrainingAttendance.id))
        .where(TrainingAttendance.event_id == TrainingEvent.id, TrainingAttendance.attended)
        .scalar_subquery()
    )
    return list(
        db.session.execute(
            sa.select(TrainingEvent, attended).order_by(
                TrainingEvent.start_date.desc(), TrainingEvent.id.desc()
            )
        )
    )


def attendance_of(event: TrainingEvent) -> list[TrainingAttendance]:
    """The event's attendance with the employees, by name: one statement."""
    return list(
        db.session.scalars(
            sa.select(TrainingAttendance)
            .join(Employee, Employee.id == TrainingAttendance.employee_id)
            .where(TrainingAttendance.event_id == event.id)
            .options(sa.orm.contains_eager(TrainingAttendance.employee))
            .order_by(Employee.name)
        )
    )


def employees_by_nip(nips: list[str]) -> dict[str, Employee]:
    """The active employees with these NIPs: one statement."""
    if not nips:
        return {}
    rows = db.session.scalars(sa.select(Employee).where(Employee.nip.in_(nips), Employee.active))
    return {row.nip: row for row in rows}


@dataclass
class Match:
    """What an import would do: who is added, who is already marked, what is unknown."""

    added: list[Employee] = field(default_factory=list)
    already: list[Employee] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def match(event: TrainingEvent, nips: list[str]) -> Match:
    """Match the NIPs to active employees (two statements); writes nothing."""
    found = employees_by_nip([n for n in nips if NIP.match(n)])
    marked = set(
        db.session.scalars(
            sa.select(TrainingAttendance.employee_id).where(TrainingAttendance.event_id == event.id)
        )
    )
    result, seen = Match(), set()
    for nip in nips:
        if nip in seen:
            continue
        seen.add(nip)
        employee = found.get(nip)
        if employee is None:
            result.unknown.append(nip)
        elif employee.id in marked:
            result.already.append(employee)
        else:
            result.added.append(employee)
    return result


def mark_attended(event: TrainingEvent, employees: list[Employee], actor: Account) -> int:
    """Record these employees as attending (those not yet marked); returns how many were added."""
    marked = set(
        db.session.scalars(
            sa.select(TrainingAttendance.employee_id).where(TrainingAttendance.event_id == event.id)
        )
    )
    added = 0
    for employee in employees:
        if employee.id not in marked:
            db.session.add(
                TrainingAttendance(
                    event_id=event.id, employee_id=employee.id, marked_by_id=actor.id
                )
            )
            marked.add(employee.id)
            added += 1
    db.session.flush()
    return added


def read_nips(filename: str | None, data: bytes) -> list[str]:
    """The NIPs of a list: the first column of a CSV or of an XLSX's first sheet.

    A first row that is not a NIP (a header such as "NIP") is skipped; spaces and a
    leading apostrophe (spreadsheets' text marker) are removed.
    """
    if len(data) > MAX_LIST_BYTES:
        raise ListRefused(_l("The list is larger than 2 MB."))
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        values = _xlsx_first_column(data)
    elif name.endswith(".csv") or name.endswith(".txt"):
        values = _csv_first_column(data)
    else:
        raise ListRefused(_l("Send a CSV or XLSX file."))
    nips = [re.sub(r"\s", "", str(v)).lstrip("'") for v in values if v is not None]
    nips = [n for n in nips if n]
    if nips and not NIP.match(nips[0]) and not nips[0].isdigit():
        nips = nips[1:]
    if not nips:
        raise ListRefused(_l("The list has no NIP."))
    return nips


def _csv_first_column(data: bytes) -> list[str]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ListRefused(_l("The file is not UTF-8 text.")) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        return [row[0] for row in csv.reader(io.StringIO(text), delimiter=delimiter) if row]
    except csv.Error:
        raise ListRefused(_l("The CSV file is malformed.")) from None


def _xlsx_first_column(data: bytes) -> list:
    import openpyxl

    if not openpyxl.DEFUSEDXML:
        raise RuntimeError("openpyxl is not using defusedxml; refusing to parse XLSX files")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                raise ListRefused(_l("The workbook unpacks to far too much data."))
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return [row[0] for row in workbook.worksheets[0].iter_rows(values_only=True) if row]
        finally:
            workbook.close()
    except ListRefused:
        raise
    except Exception:
        raise ListRefused(_l("The file is not a valid XLSX workbook.")) from None


def attach_certificate(attendance: TrainingAttendance, upload: CheckedFile, stored: str) -> None:
    """Record the stored certificate on the attendance (the file is already written)."""
    attendance.certificate_name = upload.filename
    attendance.certificate_stored = stored
    attendance.certificate_sha256 = upload.sha256
    db.session.flush()


@dataclass(frozen=True)
class OpdSosialisasi:
    """One OPD: active employees, those who attended a sosialisasi in the year, SKP completion."""

    opd_id: int
    opd_name: str
    employees: int
    attended: int
    skp_total: int
    skp_past_draft: int

    @staticmethod
    def _share(part: int, whole: int) -> Decimal | None:
        return (Decimal(100) * part / whole).quantize(Decimal("0.1")) if whole else None

    @property
    def attendance_share(self) -> Decimal | None:
        return self._share(self.attended, self.employees)

    @property
    def completion(self) -> Decimal | None:
        return self._share(self.skp_past_draft, self.skp_total)


def sosialisasi_by_opd(year: int, period: Period | None) -> list[OpdSosialisasi]:
    """Per OPD: sosialisasi attendance of the year beside SKP completion in the period.

    Two grouped statements: employees and attendees per OPD; the period's SKP per
    OPD and state from the summary rows (app.dashboard.summary keeps them).
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    attendees = (
        sa.select(TrainingAttendance.employee_id)
        .join(TrainingEvent, TrainingEvent.id == TrainingAttendance.event_id)
        .where(
            TrainingAttendance.attended,
            TrainingEvent.kind == "sosialisasi",
            TrainingEvent.start_date.between(start, end),
        )
        .distinct()
        .subquery("attendees")
    )
    rows = db.session.execute(
        sa.select(
            Opd.id,
            Opd.name,
            sa.func.count(Employee.id),
            sa.func.count(attendees.c.employee_id),
        )
        .select_from(Employee)
        .join(Position, Position.id == Employee.position_id)
        .join(Opd, Opd.id == Position.opd_id)
        .outerjoin(attendees, attendees.c.employee_id == Employee.id)
        .where(Employee.active)
        .group_by(Opd.id, Opd.name)
        .order_by(Opd.name)
    )
    completion: dict[int, list[int]] = {}
    if period is not None:
        counted = db.session.execute(
            sa.select(
                AppraisalCount.opd_id,
                sa.func.sum(AppraisalCount.delta),
                sa.func.sum(
                    sa.case((AppraisalCount.state != DRAFT, AppraisalCount.delta), else_=0)
                ),
            )
            .where(AppraisalCount.period_id == period.id)
            .group_by(AppraisalCount.opd_id)
        )
        completion = {opd: [int(total or 0), int(past or 0)] for opd, total, past in counted}
    return [
        OpdSosialisasi(opd_id, name, employees, attended, *completion.get(opd_id, [0, 0]))
        for opd_id, name, employees, attended in rows
    ]


def invited_opds(event: TrainingEvent) -> list[str]:
    """The names of the invited OPDs."""
    return sorted(opd.name for opd in event.opds)
