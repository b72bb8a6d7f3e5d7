"""The unit layanan forms: a unit, a jenis layanan, hiding a comment."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.feedback.units.services import UnitData
from app.forms import Form, VersionedForm, strip
from app.models import Position, Unit

MAX_YEARLY_USERS = 10_000_000


def _none_if_zero(value):
    return None if value in (0, "0", "", None) else value


class UnitForm(VersionedForm):
    """A unit's fields; the choices are the OPD's own units and positions (set by the view)."""

    name = StringField(
        _l("Name of the unit layanan"),
        filters=[strip],
        validators=[DataRequired(_l("Enter the name.")), Length(max=200)],
    )
    address = StringField(_l("Address"), filters=[strip], validators=[Length(max=300)])
    unit_id = SelectField(_l("Organisational unit (optional)"), coerce=int, validate_choice=True)
    head_position_id = SelectField(_l("Head of the unit (position)"), coerce=int)
    position_ids = SelectMultipleField(
        _l("Positions that serve there"), coerce=int, validate_choice=True
    )
    yearly_users = IntegerField(
        _l("Users in a year (population for the sample)"),
        validators=[Optional(), NumberRange(min=0, max=MAX_YEARLY_USERS)],
    )
    active = BooleanField(_l("Active (the public form takes answers)"), default=True)

    def set_choices(self, units: list[Unit], positions: list[Position]) -> None:
        """Offer the OPD's units and positions only (anything else is refused on its field)."""
        self.unit_id.choices = [SelectChoice(0, _l("(none)"))] + [
            SelectChoice(u.id, u.name) for u in units
        ]
        labelled = [
            SelectChoice(p.id, f"{p.name} — {p.unit.name}" if p.unit else p.name) for p in positions
        ]
        self.head_position_id.choices = [SelectChoice(0, _l("(none)")), *labelled]
        self.position_ids.choices = labelled

    def data_for_service(self) -> UnitData:
        return UnitData(
            name=self.name.data,
            address=self.address.data or None,
            unit_id=_none_if_zero(self.unit_id.data),
            head_position_id=_none_if_zero(self.head_position_id.data),
            position_ids=list(self.position_ids.data or ()),
            yearly_users=self.yearly_users.data,
            active=bool(self.active.data),
        )


class KindForm(VersionedForm):
    """Add or rename a jenis layanan."""

    name = StringField(
        _l("Jenis layanan"),
        filters=[strip],
        validators=[DataRequired(_l("Enter the name of the service.")), Length(max=200)],
    )
    active = BooleanField(_l("Offered on the public form"), default=True)


class HideCommentForm(Form):
    """Why an abusive comment is hidden (or shown again); kept in the history."""

    reason = TextAreaField(
        _l("Reason"),
        filters=[strip],
        validators=[DataRequired(_l("Give the reason.")), Length(max=500)],
        render_kw={"rows": 2},
    )
