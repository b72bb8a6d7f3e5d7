"""The plan editor's form: RHK rows with their IKI rows, edited without JavaScript.

Every button posts the whole form. "Save" validates and writes; the others
(add, remove, move) only rearrange what was typed and show it again, so no
typed value is lost and nothing is written. The rows travel as raw text until
they are saved: a half-typed target survives a click on "add IKI".
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from app.forms import Form, VersionedForm, strip
from app.models.skp import ACCUMULATIONS, MAX_PARTS, RHK_GROUPS, Rhk
from app.skp.numbers import NotANumber, format_number, parse_number
from app.skp.plan.parts import (
    ACCUMULATION_LABELS,
    MAX_TEXT,
    PartRowForm,
    RowForm,
    part_row,
    parts_rows,
)
from app.skp.plan.services import IkiInput, RhkInput

MAX_RHK = 40
MAX_IKI = 15
MAX_UNIT = 50

GROUP_LABELS = {"utama": _l("Hasil kerja UTAMA"), "tambahan": _l("Hasil kerja TAMBAHAN")}
APPROACH_LABELS = {"kuantitatif": _l("Kuantitatif"), "kualitatif": _l("Kualitatif")}
ASPECT_LABELS = {
    "kuantitas": _l("Kuantitas"),
    "kualitas": _l("Kualitas"),
    "waktu": _l("Waktu"),
    "biaya": _l("Biaya"),
}
# Official names, the same in both languages.
PERSPECTIVE_LABELS = {
    "penerima_layanan": "Penerima Layanan",
    "proses_bisnis": "Proses Bisnis",
    "penguatan_internal": "Penguatan Internal",
    "anggaran": "Anggaran",
}
TARGET_KIND_LABELS = {"number": _l("A number with a unit"), "text": _l("Text (qualitative)")}
# How the realisasi is read against the target (app/skp/capaian.py); higher is the default.
DIRECTION_LABELS = {
    "higher": _l("higher is better"),
    "lower": _l("lower is better"),
    "exact": _l("exact target"),
    "quality": _l("qualitative"),
}


def _choices(labels: dict, blank=None) -> list[SelectChoice]:
    first = [SelectChoice("", blank)] if blank is not None else []
    return first + [SelectChoice(value, label) for value, label in labels.items()]


class IkiRowForm(RowForm):
    id = HiddenField()
    # The Pustaka IKI entry the row was taken from (app.skp.plan.library); empty if written.
    library_entry_id = HiddenField()
    text = TextAreaField(
        _l("Indikator kinerja individu (IKI)"),
        filters=[strip],
        validators=[DataRequired(_l("Write the IKI.")), Length(max=MAX_TEXT)],
        render_kw={"rows": 2},
    )
    # Only one of the two is shown (JPT or not); the other is simply not sent.
    aspect = SelectField(
        _l("Aspect"), choices=_choices(ASPECT_LABELS, _l("— choose —")), default=""
    )
    perspective = SelectField(
        _l("Perspektif"), choices=_choices(PERSPECTIVE_LABELS, _l("— choose —")), default=""
    )
    target_kind = SelectField(_l("Target type"), choices=_choices(TARGET_KIND_LABELS))
    target_value = StringField(_l("Target"), filters=[strip], validators=[Length(max=20)])
    target_unit = StringField(_l("Unit"), filters=[strip], validators=[Length(max=MAX_UNIT)])
    target_text = TextAreaField(
        _l("Target (text)"),
        filters=[strip],
        validators=[Optional(), Length(max=MAX_TEXT)],
        render_kw={"rows": 2},
    )
    direction = SelectField(_l("Direction"), choices=_choices(DIRECTION_LABELS), default="higher")
    tolerance = StringField(
        _l("Tolerance (percent of the target; exact target only)"),
        filters=[strip],
        validators=[Length(max=20)],
    )
    accumulation = SelectField(
        _l("Annual realisasi from the quarters"),
        choices=_choices(ACCUMULATION_LABELS),
        default="sum",
    )
    # A satisfaction index read from a unit layanan of the OPD (app/skp/assessment/skm.py);
    # the choices are the OPD's units (PlanForm.configure), checked in _check_iki.
    service_unit_id = SelectField(
        _l("Sumber realisasi: IKM unit layanan"), choices=[], default="", validate_choice=False
    )
    # The periodic targets and rencana aksi of an annual plan (PlanForm.configure pads them).
    parts = FieldList(FormField(PartRowForm), max_entries=MAX_PARTS)


class RhkRowForm(RowForm):
    id = HiddenField()
    group = SelectField(_l("Group"), choices=_choices(GROUP_LABELS))
    text = TextAreaField(
        _l("Rencana hasil kerja (RHK)"),
        filters=[strip],
        validators=[DataRequired(_l("Write the hasil kerja.")), Length(max=MAX_TEXT)],
        render_kw={"rows": 2},
    )
    # Chosen from the atasan's RHK for the same period; may stay empty until submit.
    atasan_rhk_id = SelectField(_l("RHK atasan yang diintervensi"), choices=[], default="")
    ikis = FieldList(FormField(IkiRowForm), max_entries=MAX_IKI)


class PlanForm(Form):
    """The whole plan; `configure()` must be called before rendering or validating."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    approach = SelectField(_l("Approach"), choices=_choices(APPROACH_LABELS))
    rhks = FieldList(FormField(RhkRowForm), max_entries=MAX_RHK)

    jpt = False
    parts = 0
    service_units: frozenset[int] = frozenset()

    def configure(
        self, *, jpt: bool, atasan_options: list[Rhk], parts: int = 0, service_units=()
    ) -> PlanForm:
        """Set the appraisee's kind (JPT or not), the atasan RHK to choose from, how
        many periodic targets each IKI has (4 quarters, 12 months; 0: not an annual plan)
        and the OPD's units layanan an IKI may read its realisasi from ((id, code, name))."""
        self.jpt = jpt
        self.parts = parts
        self.service_units = frozenset(unit_id for unit_id, _, _ in service_units)
        unit_choices = [SelectChoice("", _l("— typed by hand —"))] + [
            SelectChoice(str(unit_id), f"{name} ({code})") for unit_id, code, name in service_units
        ]
        for rhk in self.rhks:
            for iki in rhk.form.ikis:
                fields = iki.form.parts
                while len(fields) < parts:
                    fields.append_entry()
                while len(fields) > parts:
                    fields.pop_entry()
                iki.form.service_unit_id.choices = unit_choices
        choices = [SelectChoice("", _l("— not linked yet —"))] + [
            SelectChoice(str(r.id), f"{GROUP_LABELS[r.group_]}: {r.text}") for r in atasan_options
        ]
        for entry in self.rhks:
            entry.form.atasan_rhk_id.choices = choices
        return self

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for rhk in self.rhks:
            for iki in rhk.form.ikis:
                ok = self._check_iki(iki.form) and ok
        return ok

    def _check_iki(self, iki: IkiRowForm) -> bool:
        """The rules that depend on the appraisee's kind and on the target type."""
        errors: list[tuple] = []
        if self.jpt and not iki.perspective.data:
            errors.append((iki.perspective, _l("Choose the perspektif.")))
        if not self.jpt and not iki.aspect.data:
            errors.append((iki.aspect, _l("Choose the aspect.")))
        if iki.target_kind.data == "number":
            try:
                if parse_number(iki.target_value.data) is None:
                    errors.append((iki.target_value, _l("Enter the target.")))
            except NotANumber as error:
                errors.append((iki.target_value, error.message))
            if not iki.target_unit.data:
                errors.append((iki.target_unit, _l("Enter the unit, e.g. laporan or persen.")))
            if iki.direction.data == "exact":
                errors.extend(_tolerance_errors(iki.tolerance))
            for part in iki.parts:
                try:
                    parse_number(part.form.target.data)
                except NotANumber as error:
                    errors.append((part.form.target, error.message))
        elif not iki.target_text.data:
            errors.append((iki.target_text, _l("Describe the target.")))
        errors.extend(self._unit_errors(iki))
        if iki.accumulation.data not in ACCUMULATIONS:
            errors.append((iki.accumulation, _l("Choose how the quarters make the year.")))
        for field, message in errors:
            field.errors = [*field.errors, str(message)]
        return not errors

    def _unit_errors(self, iki: IkiRowForm) -> list[tuple]:
        """A bound IKI names a unit layanan of the appraisee's OPD and has a number target."""
        if not iki.service_unit_id.data:
            return []
        if _int_or_none(iki.service_unit_id.data) not in self.service_units:
            message = _l("Choose a unit layanan of your own OPD, or none.")
            return [(iki.service_unit_id, message)]
        if iki.target_kind.data != "number":
            message = _l("An IKI read from a unit's IKM needs a number target (the IKM, 0-100).")
            return [(iki.service_unit_id, message)]
        return []

    def rows(self) -> list[dict]:
        """What was typed, as plain data (for rearranging and showing again)."""
        return [
            {
                "id": rhk.form.id.data or "",
                "group": rhk.form.group.data if rhk.form.group.data in RHK_GROUPS else "utama",
                "text": rhk.form.text.data or "",
                "atasan_rhk_id": rhk.form.atasan_rhk_id.data or "",
                "ikis": [
                    {name: iki.form[name].data or "" for name in IKI_FIELDS}
                    | {"parts": [part_row(part.form) for part in iki.form.parts]}
                    for iki in rhk.form.ikis
                ],
            }
            for rhk in self.rhks
        ]

    def plan_input(self) -> list[RhkInput]:
        """The validated rows as service input."""
        return [
            RhkInput(
                id=_int_or_none(rhk.form.id.data),
                group=rhk.form.group.data,
                text=rhk.form.text.data,
                atasan_rhk_id=_int_or_none(rhk.form.atasan_rhk_id.data),
                ikis=[_iki_input(iki.form) for iki in rhk.form.ikis],
            )
            for rhk in self.rhks
        ]


def _tolerance_errors(field) -> list[tuple]:
    """An exact target's tolerance: blank (none) or a percentage from 0 to 100."""
    try:
        value = parse_number(field.data)
    except NotANumber as error:
        return [(field, error.message)]
    if value is not None and not 0 <= value <= 100:
        return [(field, _l("The tolerance is a percentage from 0 to 100."))]
    return []


IKI_FIELDS = (
    "id",
    "text",
    "aspect",
    "perspective",
    "target_kind",
    "target_value",
    "target_unit",
    "target_text",
    "direction",
    "tolerance",
    "library_entry_id",
    "accumulation",
    "service_unit_id",
)


def _int_or_none(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _iki_input(iki: IkiRowForm) -> IkiInput:
    numeric = iki.target_kind.data == "number"
    return IkiInput(
        id=_int_or_none(iki.id.data),
        text=iki.text.data,
        aspect=iki.aspect.data or None,
        perspective=iki.perspective.data or None,
        target_kind=iki.target_kind.data,
        target_value=parse_number(iki.target_value.data) if numeric else None,
        target_unit=(iki.target_unit.data or None) if numeric else None,
        target_text=None if numeric else iki.target_text.data,
        direction=iki.direction.data if numeric else "quality",
        tolerance=parse_number(iki.tolerance.data)
        if numeric and iki.direction.data == "exact"
        else None,
        library_entry_id=_int_or_none(iki.library_entry_id.data),
        accumulation=iki.accumulation.data,
        service_unit_id=_int_or_none(iki.service_unit_id.data) if numeric else None,
        parts=[
            (
                parse_number(part.form.target.data) if numeric else None,
                part.form.rencana_aksi.data or None,
            )
            for part in iki.parts
        ],
    )


def empty_iki() -> dict:
    return dict.fromkeys(IKI_FIELDS, "") | {
        "target_kind": "number",
        "direction": "higher",
        "accumulation": "sum",
        "parts": [],
    }


def empty_rhk(group: str) -> dict:
    return {"id": "", "group": group, "text": "", "atasan_rhk_id": "", "ikis": [empty_iki()]}


def rows_from_plan(rhks: list[Rhk], valid_links: set[int]) -> list[dict]:
    """The saved plan as form rows; a link that is no longer valid shows as not linked."""
    return [
        {
            "id": str(rhk.id),
            "group": rhk.group_,
            "text": rhk.text,
            "atasan_rhk_id": str(rhk.atasan_rhk_id) if rhk.atasan_rhk_id in valid_links else "",
            "ikis": [
                {
                    "id": str(iki.id),
                    "text": iki.text,
                    "aspect": iki.aspect or "",
                    "perspective": iki.perspective or "",
                    "target_kind": iki.target_kind,
                    "target_value": format_number(iki.target_value),
                    "target_unit": iki.target_unit or "",
                    "target_text": iki.target_text or "",
                    "direction": iki.direction or "higher",
                    "tolerance": format_number(iki.tolerance),
                    "library_entry_id": str(iki.library_entry_id or ""),
                    "accumulation": iki.accumulation or "sum",
                    "service_unit_id": str(iki.service_unit_id or ""),
                    "parts": parts_rows(iki),
                }
                for iki in rhk.ikis
            ],
        }
        for rhk in rhks
    ]


@dataclass(frozen=True)
class Op:
    """One editor button: what to do, to which RHK (index) and which IKI (index)."""

    name: str
    rhk: int | None = None
    iki: int | None = None


# "submit" saves, then submits the plan (app.skp.plan.views).
OPS = {
    "save",
    "submit",
    "add_rhk",
    "add_iki",
    "remove_rhk",
    "remove_iki",
    "up",
    "down",
    "iki_up",
    "iki_down",
    # Add a Pustaka IKI entry ('pustaka:<entry id>'; app.skp.plan.library).
    "pustaka",
}


def parse_op(value: str | None) -> Op | None:
    """'save', 'add_rhk:utama', 'add_iki:2', 'remove_iki:2:0', 'up:1' ...; None if garbled."""
    parts = (value or "save").split(":")
    name, args = parts[0], parts[1:]
    if name not in OPS or len(args) > 2:
        return None
    if name == "add_rhk":
        return Op(name, None, None) if args == [] else _group_op(args)
    try:
        numbers = [int(a) for a in args]
    except ValueError:
        return None
    return Op(name, *numbers)


def _group_op(args: list[str]) -> Op | None:
    # add_rhk carries the group, kept in `iki`'s place as its index in RHK_GROUPS.
    if len(args) != 1 or args[0] not in RHK_GROUPS:
        return None
    return Op("add_rhk", None, RHK_GROUPS.index(args[0]))


class OpRefused(ValueError):
    """The button cannot apply (a row limit reached, or a row that is not there)."""


def apply_op(rows: list[dict], op: Op) -> list[dict]:
    """Rearrange the typed rows as the button asks; the rows stay grouped, UTAMA first."""
    rows = [dict(r, ikis=list(r["ikis"])) for r in rows]
    if op.name == "add_rhk":
        if len(rows) >= MAX_RHK:
            raise OpRefused
        rows.append(empty_rhk(RHK_GROUPS[op.iki or 0]))
        return _grouped(rows)
    if op.rhk is None or not 0 <= op.rhk < len(rows):
        raise OpRefused
    row = rows[op.rhk]
    if op.name == "remove_rhk":
        del rows[op.rhk]
    elif op.name == "add_iki":
        if len(row["ikis"]) >= MAX_IKI:
            raise OpRefused
        row["ikis"].append(empty_iki())
    elif op.name in ("up", "down"):
        _move_rhk(rows, op.rhk, -1 if op.name == "up" else 1)
    else:  # an IKI operation
        if op.iki is None or not 0 <= op.iki < len(row["ikis"]):
            raise OpRefused
        if op.name == "remove_iki":
            del row["ikis"][op.iki]
        else:
            _swap(row["ikis"], op.iki, op.iki + (-1 if op.name == "iki_up" else 1))
    return _grouped(rows)


def _grouped(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda r: RHK_GROUPS.index(r["group"]))


def _move_rhk(rows: list[dict], index: int, step: int) -> None:
    """Swap with the nearest row of the same group in that direction, if any."""
    other = index + step
    while 0 <= other < len(rows) and rows[other]["group"] != rows[index]["group"]:
        other += step
    _swap(rows, index, other)


def _swap(items: list, i: int, j: int) -> None:
    if 0 <= j < len(items):
        items[i], items[j] = items[j], items[i]


class CopyPlanForm(VersionedForm):
    replace = BooleanField(_l("Replace my current plan"))
