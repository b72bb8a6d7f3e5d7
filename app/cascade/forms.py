"""The matriks peran hasil: one cell (an RHK, a subordinate, their role and result)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from app.cascade.services import MAX_TEXT
from app.forms import Form, strip


class AssignmentForm(Form):
    atasan_rhk_id = SelectField(
        _l("RHK of your SKP"),
        coerce=int,
        # The service names what is wrong with a choice (app.cascade.services.assign).
        validate_choice=False,
        validators=[InputRequired(_l("Choose an RHK."))],
    )
    member_id = SelectField(
        _l("Staff"),
        coerce=int,
        validate_choice=False,
        validators=[InputRequired(_l("Choose a member of staff."))],
    )
    role = TextAreaField(
        _l("Role (peran)"),
        filters=[strip],
        validators=[DataRequired(_l("Describe the role.")), Length(max=MAX_TEXT)],
        render_kw={"rows": 2},
    )
    result = TextAreaField(
        _l("Result expected (becomes their RHK)"),
        filters=[strip],
        validators=[DataRequired(_l("Describe the result.")), Length(max=MAX_TEXT)],
        render_kw={"rows": 2},
    )


class RemoveForm(Form):
    """CSRF only."""
