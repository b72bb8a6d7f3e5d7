"""Perjanjian Kinerja forms: a sasaran, an indicator with its targets, a realisasi, a link."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.forms import Form, strip

DIRECTION_LABELS = {
    "higher": _l("Higher is better"),
    "lower": _l("Lower is better"),
    "exact": _l("Exactly the target"),
}
AMOUNT = {"places": 2, "validators": [Optional(), NumberRange(min=0)]}


class SasaranForm(Form):
    text = TextAreaField(
        _l("Sasaran strategis"),
        filters=[strip],
        validators=[DataRequired(_l("Write the sasaran.")), Length(max=2000)],
        render_kw={"rows": 2},
    )


class IndikatorForm(Form):
    sasaran_id = SelectField(_l("Sasaran"), coerce=int, validators=[InputRequired()])
    text = TextAreaField(
        _l("Indicator"),
        filters=[strip],
        validators=[DataRequired(_l("Write the indicator.")), Length(max=2000)],
        render_kw={"rows": 2},
    )
    unit = StringField(
        _l("Unit of measure"),
        filters=[strip],
        validators=[DataRequired(_l("Give the unit (%, orang, dokumen, ...).")), Length(max=50)],
    )
    direction = SelectField(
        _l("Direction"), choices=[SelectChoice(k, v) for k, v in DIRECTION_LABELS.items()]
    )
    tolerance = DecimalField(
        _l("Tolerance (%) for an exact target"),
        places=2,
        validators=[Optional(), NumberRange(min=0, max=100)],
    )
    target_year = DecimalField(
        _l("Annual target"),
        places=2,
        validators=[InputRequired(_l("Give the annual target.")), NumberRange(min=0)],
    )
    target_q1 = DecimalField(_l("Target TW I"), **AMOUNT)
    target_q2 = DecimalField(_l("Target TW II"), **AMOUNT)
    target_q3 = DecimalField(_l("Target TW III"), **AMOUNT)
    target_q4 = DecimalField(_l("Target TW IV"), **AMOUNT)


class RealisasiForm(Form):
    quarter = SelectField(
        _l("Quarter"),
        choices=[
            SelectChoice("1", "TW I"),
            SelectChoice("2", "TW II"),
            SelectChoice("3", "TW III"),
            SelectChoice("4", "TW IV"),
            SelectChoice("year", _l("Year")),
        ],
    )
    value = DecimalField(_l("Realisasi"), **AMOUNT)


class LinkForm(Form):
    rhk_id = SelectField(_l("RHK"), coerce=int, validators=[InputRequired()])
    sasaran_id = SelectField(_l("Sasaran"), coerce=int, validators=[InputRequired()])


class ApplyForm(Form):
    """CSRF only: the period and the version seen come as plain hidden fields."""
