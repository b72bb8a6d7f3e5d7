"""Talent forms: the assessment upload, and the 9-box thresholds."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SubmitField
from wtforms.validators import InputRequired, NumberRange, ValidationError

from app.followup.settings import CommaDecimalField
from app.forms import Form


class AssessmentUploadForm(Form):
    file = FileField(
        _l("Assessment file (.csv in UTF-8 or .xlsx)"),
        validators=[FileRequired(_l("Choose a file."))],
    )
    check = SubmitField(_l("Check (dry run)"))
    apply = SubmitField(_l("Import"))


def _score(label):
    return CommaDecimalField(label, places=2, validators=[InputRequired(), NumberRange(0, 100)])


def _predikat_average(label):
    return CommaDecimalField(label, places=2, validators=[InputRequired(), NumberRange(1, 5)])


class ThresholdsForm(Form):
    kinerja_above = _predikat_average(_l("Performance above expectations from (average 1-5)"))
    kinerja_meets = _predikat_average(_l("Performance as expected from (average 1-5)"))
    potensial_high = _score(_l("High potential from (score 0-100)"))
    potensial_medium = _score(_l("Medium potential from (score 0-100)"))

    def validate_kinerja_above(self, field):
        low = self.kinerja_meets.data
        if low is not None and field.data is not None and field.data <= low:
            raise ValidationError(_l("Must be higher than the “as expected” threshold."))

    def validate_potensial_high(self, field):
        low = self.potensial_medium.data
        if low is not None and field.data is not None and field.data <= low:
            raise ValidationError(_l("Must be higher than the medium threshold."))
