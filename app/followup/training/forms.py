"""Forms of training events: the event, attendance by NIP or from a list, a certificate."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    DecimalField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.followup.development.services import CERTIFICATE_EXTENSIONS, check_certificate
from app.followup.training.services import KIND_LABELS
from app.forms import Form, strip
from app.skp.assessment.evidence import UploadRejected


class EventForm(Form):
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k, v) for k, v in KIND_LABELS.items()])
    title = StringField(
        _l("Title"),
        filters=[strip],
        validators=[DataRequired(_l("Give the title.")), Length(max=300)],
    )
    topic = StringField(_l("Topic"), filters=[strip], validators=[Optional(), Length(max=300)])
    organiser = StringField(
        _l("Organiser"),
        filters=[strip],
        validators=[DataRequired(_l("Name the organiser.")), Length(max=200)],
    )
    start_date = DateField(_l("First day"), validators=[InputRequired(_l("Give the date."))])
    end_date = DateField(_l("Last day"), validators=[InputRequired(_l("Give the date."))])
    jp = DecimalField(
        _l("JP (hours of lesson)"),
        places=1,
        validators=[InputRequired(_l("Give the JP.")), NumberRange(min=0, max=9999)],
    )
    opds = SelectMultipleField(_l("Invited OPDs"), coerce=int, validators=[Optional()])

    def validate_end_date(self, field) -> None:
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The last day is before the first."))


class NipForm(Form):
    nip = StringField(
        _l("NIP"), filters=[strip], validators=[DataRequired(_l("Give the NIP.")), Length(max=30)]
    )


class ListForm(Form):
    file = FileField(
        _l("Attendance list (CSV or XLSX, NIP in the first column)"),
        validators=[FileRequired(_l("Choose a file."))],
        render_kw={"accept": ".csv,.xlsx"},
    )


class ApplyForm(Form):
    nips = HiddenField(validators=[DataRequired()])


class CertificateForm(Form):
    certificate = FileField(
        _l("Certificate (PDF, JPEG, PNG; at most 5 MB)"),
        validators=[FileRequired(_l("Choose a file."))],
        render_kw={"accept": ",".join(CERTIFICATE_EXTENSIONS)},
    )
    checked = None

    def validate_certificate(self, field) -> None:
        try:
            self.checked = check_certificate(field.data.filename, field.data.stream)
        except UploadRejected as error:
            raise ValidationError(error.message) from None
