"""Admin forms: employee search, new employee, roles."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from app.forms import Form
from app.models.accounts import GRANTED_ROLES
from app.models.org import EMPLOYEE_STATUSES
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


ROLE_LABELS = {"verifikator_bkd": _l("BKD verifier"), "admin_bkd": _l("BKD administrator")}


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
