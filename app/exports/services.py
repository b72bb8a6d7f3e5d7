"""Build the recap and the distribution, and write them as CSV or XLSX.

Every text cell that a spreadsheet would read as a formula (it starts with =, +,
-, @, a tab or a carriage return) gets a leading apostrophe, in both formats:
an exported name such as "=HYPERLINK(...)" stays text (CSV/formula injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.files import safe_cell, safe_sheet_title
from app.models import Appraisal, Employee, Opd, Period, Position
from app.models.appraisal import latest_segment
from app.skp.numbers import format_number
from app.skp.scoring import PREDIKAT, PREDIKAT_LABELS, RATING_LABELS
from app.workflow.engine import engine

RECAP_HEADER = (
    _l("NIP"), _l("Name"), _l("Position"), _l("Step"), _l("Hasil kerja (HK)"),
    _l("Perilaku kerja (PK)"), _l("Predikat"), _l("SKP segment"), _l("Segment start"),
    _l("Segment end"),
)  # fmt: skip


def recap_rows(period: Period, opd: Opd, locale: str) -> list[list[str]]:
    """The header and one row per SKP segment of the OPD in the period, by name.

    An employee who moved mid-period has a row per segment, each with the jabatan
    held then and its dates.
    """
    states = {name: spec.states for name, spec in engine().specs.items()}
    rows = db.session.execute(
        sa.select(
            Employee.nip,
            Employee.name,
            sa.func.coalesce(Appraisal.position_name, Position.name),
            Appraisal.workflow,
            Appraisal.state,
            Appraisal.rating_hk,
            Appraisal.rating_pk,
            Appraisal.predikat,
            Appraisal.segment,
            Appraisal.start_date,
            Appraisal.end_date,
        )
        .join(Employee, Employee.id == Appraisal.employee_id)
        .outerjoin(Position, Position.id == Employee.position_id)
        .where(Appraisal.period_id == period.id, Appraisal.opd_id == opd.id)
        .order_by(Employee.name, Employee.nip, Appraisal.segment)
    ).all()
    table = [[str(label) for label in RECAP_HEADER]]
    for nip, name, position, workflow, state, hk, pk, predikat, segment, start, end in rows:
        step = states[workflow][state].label[locale] if state in states.get(workflow, {}) else state
        table.append(
            [
                nip,
                name,
                position or "",
                step,
                RATING_LABELS.get(hk, ""),
                RATING_LABELS.get(pk, ""),
                PREDIKAT_LABELS.get(predikat, ""),
                str(segment),
                start.strftime("%d-%m-%Y"),
                end.strftime("%d-%m-%Y"),
            ]
        )
    return table


def distribution(period: Period, opd_ids: Sequence[int] | None) -> list[dict]:
    """Per OPD: how many employees' SKP, how many of each predikat, how many without one yet.

    Each employee counts once, by their latest SKP segment (see latest_segment).
    """
    query = (
        sa.select(Opd.id, Opd.code, Opd.name, Appraisal.predikat, sa.func.count())
        .join(Appraisal, Appraisal.opd_id == Opd.id)
        .where(Appraisal.period_id == period.id, latest_segment())
        .group_by(Opd.id, Opd.code, Opd.name, Appraisal.predikat)
        .order_by(Opd.code)
    )
    if opd_ids is not None:
        query = query.where(Opd.id.in_(opd_ids))
    found: dict[int, dict] = {}
    for opd_id, code, name, predikat, count in db.session.execute(query):
        entry = found.setdefault(
            opd_id,
            {"code": code, "name": name, "total": 0, "none": 0, **dict.fromkeys(PREDIKAT, 0)},
        )
        entry["total"] += count
        entry[predikat if predikat in PREDIKAT else "none"] += count
    return list(found.values())


def distribution_rows(entries: list[dict]) -> list[list[str]]:
    header = [str(_l("OPD code")), str(_l("OPD")), str(_l("Appraisals"))]
    header += [PREDIKAT_LABELS[p] for p in PREDIKAT] + [str(_l("No predikat yet"))]
    table = [header]
    for e in entries:
        table.append([e["code"], e["name"], e["total"], *(e[p] for p in PREDIKAT), e["none"]])
    return table


def _is_number(value) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def to_csv(table: list[list], locale: str) -> bytes:
    """UTF-8 with a byte-order mark, so that spreadsheets open it as UTF-8.

    Numbers are written in the reader's notation (1.200,5 in Indonesian); a
    field holding a comma is quoted, as RFC 4180 has it.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in table:
        writer.writerow([format_number(v, locale) if _is_number(v) else safe_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(table: list[list], title: str) -> bytes:
    """One sheet; text cells are stored as text (never formulas), numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(safe_sheet_title(title))
    for row in table:
        cells = []
        for value in row:
            if _is_number(value):
                # A number stays a number (sums and filters work), shown grouped.
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "#,##0" if isinstance(value, int) else "#,##0.##"
                cells.append(cell)
                continue
            cell = WriteOnlyCell(sheet, value=safe_cell(value))
            # openpyxl would store a string starting with "=" as a formula; the
            # apostrophe already prevents that, and the type makes it explicit.
            cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
