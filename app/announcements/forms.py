"""The announcement form (admin BKD)."""

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.forms import Form, strip

FORMAT_LABELS = {"text": _l("Plain text"), "markdown": _l("Markdown (headings, lists, links)")}
AUDIENCE_LABELS = {"city": _l("The whole city"), "opds": _l("Chosen OPDs")}


class AnnouncementForm(Form):
    title = StringField(
        _l("Title"),
        filters=[strip],
        validators=[DataRequired(_l("Enter the title.")), Length(max=200)],
    )
    body = TextAreaField(
        _l("Text"),
        filters=[strip],
        validators=[DataRequired(_l("Enter the text.")), Length(max=20000)],
    )
    body_format = RadioField(
        _l("Format of the text"),
        choices=[SelectChoice(k, v) for k, v in FORMAT_LABELS.items()],
        default="text",
    )
    audience = RadioField(
        _l("Audience"),
        choices=[SelectChoice(k, v) for k, v in AUDIENCE_LABELS.items()],
        default="city",
    )
    opds = SelectMultipleField(_l("OPDs"), coerce=int, validate_choice=True)
    expires_on = DateField(_l("Show until (optional)"), validators=[Optional()], format="%Y-%m-%d")

    def validate_opds(self, field):
        if self.audience.data == "opds" and not field.data:
            raise ValidationError(_l("Choose at least one OPD."))

    def validate_expires_on(self, field):
        if field.data and field.data < date.today():
            raise ValidationError(_l("The date must not be in the past."))
