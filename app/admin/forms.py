"""Admin forms: employee search, new employee, roles, mutasi, planning exclusions."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectChoice, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from app.forms import Form
from app.models.accounts import GRANTED_ROLES
from app.models.org import EMPLOYEE_STATUSES
from app.models.periods import EXCLUSION_REASON_LABELS, EXCLUSION_REASONS
from app.org.nip import NipError, parse_nip


class SearchForm(Form):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField(_l("NIP or name"), validators=[Optional(), Length(max=100)])
    opd = SelectField(_l("OPD"), coerce=int, validators=[Optional()], validate_choice=False)


def valid_nip(form, field) -> None:
    try:
        parse_nip(field.data or "")
    except NipError as error:
        raise ValidationError(str(error)) from None


class EmployeeForm(Form):
    nip = StringField(_l("NIP"), validators=[DataRequired(_l("Enter the NIP.")), valid_nip])
    name = StringField(
        _l("Name with academic titles"),
        validators=[DataRequired(_l("Enter the name.")), Length(max=200)],
    )
    pangkat_golongan = StringField(_l("Pangkat/golongan"), validators=[Optional(), Length(max=60)])
    status = SelectField(_l("Status"), choices=[SelectChoice(s, s) for s in EMPLOYEE_STATUSES])
    email = StringField(
        _l("Email"),
        validators=[Optional(), Length(max=254), Email(_l("Enter a valid email address."))],
    )
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=30)])
    position_id = SelectField(_l("Position"), coerce=int, validate_choice=True)


ROLE_LABELS = {
    "verifikator_bkd": _l("BKD verifier"),
    "admin_bkd": _l("BKD administrator"),
    "pimpinan_daerah": _l("Pimpinan daerah (monitoring, read-only)"),
}


class RoleForm(Form):
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(r, ROLE_LABELS[r]) for r in GRANTED_ROLES],
        validate_choice=True,
    )


class AppraiserRuleForm(Form):
    """Change the appraiser rule of one position kind and level, with the reason."""

    rule = SelectField(_l("Position kind and level"), validate_choice=False)
    penilai = SelectField(_l("Pejabat penilai"), validate_choice=False)
    atasan_penilai = SelectField(_l("Atasan pejabat penilai"), validate_choice=False)
    reason = StringField(
        _l("Reason"),
        validators=[DataRequired(_l("Please write the reason.")), Length(max=500)],
    )


class SegmentForm(Form):
    """Mutasi: the employee's new jabatan, from a date, with a new SKP segment from then."""

    position_id = SelectField(_l("New position"), coerce=int, validate_choice=True)
    # "<period id>-<segment number the form showed>": a segment started by someone else
    # meanwhile no longer matches a choice, and the start is refused.
    period = SelectField(_l("Period"), validate_choice=False)
    move_date = DateField(_l("Move date"), validators=[InputRequired(_l("Enter a valid date."))])

    def chosen(self) -> tuple[int, int] | None:
        """(period id, segment number seen) of the choice, or None if it is malformed."""
        period_id, _dash, segment = (self.period.data or "").partition("-")
        if not (period_id.isdigit() and segment.isdigit()):
            return None
        return int(period_id), int(segment)


class ExclusionForm(Form):
    """An employee excluded from SKP planning in a period, with the reason and dates."""

    nip = StringField(_l("NIP"), validators=[DataRequired(_l("Enter the NIP.")), valid_nip])
    period_id = SelectField(_l("Period"), coerce=int, validate_choice=True)
    reason = SelectField(
        _l("Reason"),
        choices=[SelectChoice(r, EXCLUSION_REASON_LABELS[r]) for r in EXCLUSION_REASONS],
        validate_choice=True,
    )
    start_date = DateField(_l("Start date"), validators=[InputRequired(_l("Enter a valid date."))])
    end_date = DateField(_l("End date"), validators=[InputRequired(_l("Enter a valid date."))])
    note = StringField(_l("Note (decree number, ...)"), validators=[Optional(), Length(max=500)])

    def validate_end_date(self, field) -> None:
        if self.start_date.data and field.data and field.data < self.start_date.data:
            raise ValidationError(_l("The end date cannot be before the start date."))
