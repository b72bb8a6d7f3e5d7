"""The calibration request: the SKP ticked (each "id:version") and the kepala OPD's comment."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.forms import Form, strip
from app.skp.verification.forms import BatchFinaliseForm
from app.workflow.forms import MAX_COMMENT


class CalibrationForm(BatchFinaliseForm):
    """Like the batch finalisation, but the appraisers must be told what to revisit."""

    comment = TextAreaField(
        _l("What should the appraisers revisit, and why?"),
        validators=[
            DataRequired(_l("Write what the appraisers should revisit.")),
            Length(max=MAX_COMMENT),
        ],
        filters=[strip],
    )


class SignForm(Form):
    """The kepala OPD signs the penetapan: CSRF and a confirmation."""

    confirm = BooleanField(
        _l("I have checked the list and sign the penetapan predikat kinerja."),
        validators=[DataRequired(_l("Tick the box to confirm that you sign it."))],
    )
