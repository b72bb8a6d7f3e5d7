"""Roster forms: the upload, and the confirmation that applies a checked file."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, HiddenField, SelectMultipleField
from wtforms.validators import DataRequired, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms import Form


class UploadForm(Form):
    file = FileField(
        _l("Roster file (.csv in UTF-8 or .xlsx)"),
        validators=[FileRequired(_l("Choose a file."))],
    )


class ApplyForm(Form):
    token = HiddenField(validators=[DataRequired()])
    # The OPDs whose complete roster the file is: only there are the unlisted deactivated.
    complete_opds = SelectMultipleField(
        coerce=int,
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    # Mutasi: a new SKP segment from this date for whoever changes position; left
    # empty, their running SKP moves to the new atasan as before.
    segment_from = DateField(_l("Start a new SKP segment on"), validators=[Optional()])
