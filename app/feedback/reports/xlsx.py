"""The survey's raw responses as an XLSX, anonymised: no client hash, no fingerprint,
no contact, no hidden comment; streamed from the database in batches."""

from __future__ import annotations

import io

import sqlalchemy as sa
from flask_babel import gettext as _

from app.extensions import db
from app.feedback.index import SkmPeriod
from app.feedback.reports.labels import EDUCATION_LABELS, GENDER_LABELS, OCCUPATION_LABELS
from app.files import safe_cell, safe_sheet_title
from app.models import ServiceKind, ServiceUnit, SkmResponse
from app.models.skm import ANSWER_COLUMNS

BATCH = 5000


def header() -> list[str]:
    return [
        _("No."),
        _("Date of service"),
        _("Service"),
        *(f"U{i}" for i in range(1, len(ANSWER_COLUMNS) + 1)),
        _("Gender"),
        _("Age"),
        _("Education"),
        _("Occupation"),
        _("Complaint"),
        _("Comment"),
    ]


def response_rows(unit: ServiceUnit, period: SkmPeriod):
    """One list per response of the unit in the period, oldest first (streamed)."""
    visible_comment = sa.case(
        (SkmResponse.comment_hidden_at.is_(None), SkmResponse.comment), else_=None
    )
    statement = (
        sa.select(
            SkmResponse.served_on,
            ServiceKind.name,
            *(getattr(SkmResponse, c) for c in ANSWER_COLUMNS),
            SkmResponse.gender,
            SkmResponse.age,
            SkmResponse.education,
            SkmResponse.occupation,
            SkmResponse.is_complaint,
            visible_comment,
        )
        .outerjoin(ServiceKind, ServiceKind.id == SkmResponse.service_kind_id)
        .where(
            SkmResponse.service_unit_id == unit.id,
            SkmResponse.served_on.between(period.start, period.end),
        )
        .order_by(SkmResponse.served_on, SkmResponse.id)
        .execution_options(yield_per=BATCH)
    )
    yes, no = _("yes"), _("no")
    for number, row in enumerate(db.session.execute(statement), start=1):
        served_on, service, *rest = row
        answers = rest[: len(ANSWER_COLUMNS)]
        gender, age, education, occupation, complaint, comment = rest[len(ANSWER_COLUMNS) :]
        yield [
            number,
            served_on.isoformat(),
            service or "",
            *answers,
            str(GENDER_LABELS.get(gender, gender)),
            age,
            str(EDUCATION_LABELS.get(education, education)),
            str(OCCUPATION_LABELS.get(occupation, occupation)),
            yes if complaint else no,
            comment or "",
        ]


def responses_xlsx(unit: ServiceUnit, period: SkmPeriod) -> bytes:
    """The workbook: one sheet of raw responses; text is never a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(safe_sheet_title(f"SKM {unit.code} {period.key}"))
    sheet.append(header())
    for row in response_rows(unit, period):
        cells = []
        for value in row:
            if isinstance(value, int):
                cells.append(value)
                continue
            cell = WriteOnlyCell(sheet, value=safe_cell(value))
            cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
