"""The statutory calendar: the dates a new period proposes, and the record of departures.

Sources (cited where each rule lives below):
- PermenPANRB 8/2021 Lampiran, E. Penetapan SKP, angka 4-5 (kept by PermenPANRB
  6/2022): the SKP is set (approved by the pejabat penilai) by the end of January
  of the year at the latest; a plan not drafted by the second week of January is
  drafted by the pengelola kinerja. So the plan is due from the employee on 14
  January and approved by 31 January.
- PermenPANRB 6/2022 (evaluasi kinerja periodik, triwulanan): each quarter's
  evaluation is done in the month after the quarter; the self-assessment is
  proposed for the 15th, the appraiser's review for the last day of that month.
- The annual evaluation: the sources read here did not give its date plainly; we
  propose the end of January of the following year (self-assessment by 15
  January), the same month as the last quarter's evaluation. Admin BKD can move
  it, with a reason.

A period whose dates depart from the proposal needs a reason; each departure is
recorded (PeriodCalendarChange), with who and when.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime

from app.extensions import db
from app.models import Account, PeriodCalendarChange

# The dated fields of a period, in the order the form shows them.
CALENDAR_FIELDS = (
    "start_date",
    "end_date",
    "plan_deadline",
    "plan_approval_deadline",
    "assessment_deadline",
    "review_deadline",
)
QUARTERS = {"tw1": 1, "tw2": 2, "tw3": 3, "tw4": 4}


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _month_after(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def proposed_calendar(year: int, kind: str) -> dict[str, date]:
    """The statutory dates of a period of `kind` in `year` (see the module's sources)."""
    if kind == "annual":
        return {
            "start_date": date(year, 1, 1),
            "end_date": date(year, 12, 31),
            # PermenPANRB 8/2021 Lampiran E.5: drafted by the second week of January.
            "plan_deadline": date(year, 1, 14),
            # PermenPANRB 8/2021 Lampiran E.4: "paling lambat ... akhir Bulan Januari".
            "plan_approval_deadline": date(year, 1, 31),
            "assessment_deadline": date(year + 1, 1, 15),
            "review_deadline": date(year + 1, 1, 31),
        }
    quarter = QUARTERS[kind]
    first_month, last_month = 3 * quarter - 2, 3 * quarter
    start = date(year, first_month, 1)
    # The quarterly evaluation starts from the approved annual plan: its plan dates
    # are those of the annual period where they fall in the quarter, else its start.
    plan_due, approval_due = max(start, date(year, 1, 14)), max(start, date(year, 1, 31))
    # PermenPANRB 6/2022: the quarterly evaluation in the month after the quarter.
    eval_year, eval_month = _month_after(year, last_month)
    return {
        "start_date": start,
        "end_date": _month_end(year, last_month),
        "plan_deadline": plan_due,
        "plan_approval_deadline": approval_due,
        "assessment_deadline": date(eval_year, eval_month, 15),
        "review_deadline": _month_end(eval_year, eval_month),
    }


def departures(data: dict, before: dict | None = None) -> list[str]:
    """The calendar fields set to a date other than the proposal (and, on an edit, changed)."""
    proposal = proposed_calendar(data["year"], data["kind"])
    return [
        name
        for name in CALENDAR_FIELDS
        if data.get(name) != proposal[name]
        and (before is None or data.get(name) != before.get(name))
    ]


def record_departures(
    period_id: int,
    fields: list[str],
    before: dict | None,
    data: dict,
    reason: str,
    actor: Account | None,
    now: datetime,
) -> None:
    """One audit row per field moved away from the statutory proposal, with the reason."""
    proposal = proposed_calendar(data["year"], data["kind"])
    for name in fields:
        db.session.add(
            PeriodCalendarChange(
                period_id=period_id,
                field=name,
                proposed=proposal[name],
                old_value=(before or {}).get(name),
                new_value=data[name],
                reason=reason,
                changed_by_id=actor.id if actor is not None else None,
                changed_at=now,
            )
        )
