"""The periodic targets and rencana aksi of an annual plan's IKI, as plan editor rows.

Each IKI of an annual plan has one row per quarter (or month: the period's
target_breakdown) with its target and rencana aksi; PlanForm.configure pads them.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import Length, Optional

from app.forms import Form, strip
from app.skp.numbers import format_number

MAX_TEXT = 1000

# How the annual realisasi follows from the quarters' (app/skp/periodic.py).
ACCUMULATION_LABELS = {
    "sum": _l("summed over the quarters"),
    "average": _l("the quarters' average"),
    "last": _l("the last quarter's value"),
}


class RowForm(Form):
    """A row inside the plan form: no CSRF token of its own (the plan form carries one)."""

    class Meta:
        csrf = False


class PartRowForm(RowForm):
    """One quarter (or month) of an annual IKI: its target and rencana aksi."""

    target = StringField(_l("Target"), filters=[strip], validators=[Length(max=20)])
    rencana_aksi = TextAreaField(
        _l("Rencana aksi"),
        filters=[strip],
        validators=[Optional(), Length(max=MAX_TEXT)],
        render_kw={"rows": 2},
    )


def part_row(part: PartRowForm) -> dict:
    return {"target": part.target.data or "", "rencana_aksi": part.rencana_aksi.data or ""}


def parts_rows(iki) -> list[dict]:
    """An IKI's saved periodic targets as form rows, 1..last saved (configure pads the rest)."""
    saved = {part.part: part for part in iki.parts}
    return [
        {
            "target": format_number(saved[n].target_value) if n in saved else "",
            "rencana_aksi": (saved[n].rencana_aksi or "") if n in saved else "",
        }
        for n in range(1, max(saved, default=0) + 1)
    ]
