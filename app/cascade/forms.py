"""The matriks peran hasil: one cell (an RHK, a subordinate, their role and result), a
tim kerja's assignment, and the tim kerja itself."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from app.cascade.services import MAX_TEXT
from app.cascade.teams import MAX_NAME
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


class TeamAssignmentForm(Form):
    """One of the atasan's RHK given to a tim kerja: its role and the shared result."""

    atasan_rhk_id = SelectField(
        _l("RHK of your SKP"),
        coerce=int,
        validate_choice=False,
        validators=[InputRequired(_l("Choose an RHK."))],
    )
    tim_kerja_id = SelectField(
        _l("Tim kerja"),
        coerce=int,
        validate_choice=False,
        validators=[InputRequired(_l("Choose a tim kerja."))],
    )
    role = TextAreaField(
        _l("Role of the team (peran)"),
        filters=[strip],
        validators=[DataRequired(_l("Describe the role.")), Length(max=MAX_TEXT)],
        render_kw={"rows": 2},
    )
    result = TextAreaField(
        _l("Shared result (becomes each member's RHK)"),
        filters=[strip],
        validators=[DataRequired(_l("Describe the result.")), Length(max=MAX_TEXT)],
        render_kw={"rows": 2},
    )


class TeamForm(Form):
    """A tim kerja: name, purpose, lead and members (checkboxes), and the version seen."""

    name = StringField(
        _l("Team name"),
        filters=[strip],
        validators=[DataRequired(_l("Fill in the team's name.")), Length(max=MAX_NAME)],
    )
    purpose = TextAreaField(
        _l("Purpose"),
        filters=[strip],
        validators=[DataRequired(_l("Say what the team is for.")), Length(max=MAX_TEXT)],
        render_kw={"rows": 3},
    )
    lead_id = SelectField(
        _l("Lead (ketua tim)"),
        coerce=int,
        validate_choice=False,
        validators=[InputRequired(_l("Choose the lead."))],
    )
    # Checkboxes, not a multiple <select> (see app.skp.peers.forms).
    member_ids = SelectMultipleField(
        _l("Members"),
        coerce=int,
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        description=_l("Any unit of the OPD. The lead is a member too."),
    )
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()], default=0)
