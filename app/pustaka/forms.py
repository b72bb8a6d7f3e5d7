"""The library's forms: an entry (admin BKD, or a kepala OPD's proposal), a review, a file."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Length

from app.forms import Form, VersionedForm, strip
from app.models.skp import ASPECTS
from app.pustaka.rows import FUNCTION_LABELS, MAX_TEXT, MAX_UNIT, check_row

DIRECTION_LABELS = {
    "higher": _l("higher is better"),
    "lower": _l("lower is better"),
    "exact": _l("exact target"),
    "quality": _l("qualitative"),
}
STATUS_LABELS = {
    "proposed": _l("Proposed"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
    "retired": _l("Retired"),
}


def _text(label, rows=2, max_length=MAX_TEXT, **kw):
    return TextAreaField(
        label, filters=[strip], validators=[Length(max=max_length)], render_kw={"rows": rows}, **kw
    )


class EntryForm(VersionedForm):
    """An entry's content; `check()` applies the library's rules (app.pustaka.rows)."""

    code = StringField(_l("Code"), filters=[strip], validators=[Length(max=20)])
    function = SelectField(
        _l("Function"),
        choices=[SelectChoice(k, v) for k, v in FUNCTION_LABELS.items()],
    )
    jabatan = _text(_l("Jabatan it fits (one per line, without jenjang)"), rows=3)
    rhk_text = _text(_l("Rencana hasil kerja (RHK)"))
    iki_text = _text(_l("Indikator kinerja individu (IKI)"))
    aspect = SelectField(_l("Aspect"), choices=[SelectChoice(a, a.capitalize()) for a in ASPECTS])
    unit = StringField(_l("Unit"), filters=[strip], validators=[Length(max=MAX_UNIT)])
    direction = SelectField(
        _l("Direction"), choices=[SelectChoice(k, v) for k, v in DIRECTION_LABELS.items()]
    )
    target_min = StringField(
        _l("Suggested target from"), filters=[strip], validators=[Length(max=20)]
    )
    target_max = StringField(
        _l("Suggested target to"), filters=[strip], validators=[Length(max=20)]
    )
    target_text = _text(_l("Suggested target (qualitative IKI)"))
    measurement = _text(_l("How it is measured"))
    evidence = _text(_l("Bukti dukung that proves it"))

    problems: list[str]

    def check(self, *, code: str | None = None):
        """The checked values, or None with `problems` set (shown above the form)."""
        cells = {name: self[name].data for name in self._fields if name not in ("csrf_token",)}
        if code is not None:
            cells["code"] = code
        data, self.problems = check_row(cells)
        return data


class ReviewForm(VersionedForm):
    decision = SelectField(
        _l("Decision"),
        choices=[SelectChoice("approve", _l("Approve")), SelectChoice("reject", _l("Reject"))],
    )
    reason = _text(_l("Reason (required to reject; the proposer reads it)"), rows=2)


class ImportForm(Form):
    file = FileField(_l("XLSX file"), validators=[FileRequired(_l("Choose a file."))])
