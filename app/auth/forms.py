"""Sign-in and password forms."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from app.forms import Form

MIN_PASSWORD_LENGTH = 10


def strong_password(form, field) -> None:
    value = field.data or ""
    if value.isdigit() or value.isalpha():
        raise ValidationError(_l("Use letters and at least one digit or symbol."))


class LoginForm(Form):
    login = StringField(
        _l("NIP or email"),
        validators=[DataRequired(_l("Enter your NIP or email.")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=200)]
    )
    remember = BooleanField(_l("Keep me signed in on this device"))
    next = HiddenField()


class NewPasswordMixin:
    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(_l("Enter a new password.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=_l(
                    "The password must be %(min)d to %(max)d characters.",
                    min=MIN_PASSWORD_LENGTH,
                    max=200,
                ),
            ),
            strong_password,
        ],
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[EqualTo("password", message=_l("The two passwords are not the same."))],
    )


class ChangePasswordForm(NewPasswordMixin, Form):
    current = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password."))]
    )


class ResetPasswordForm(NewPasswordMixin, Form):
    pass


class RequestResetForm(Form):
    login = StringField(
        _l("NIP or email"),
        validators=[DataRequired(_l("Enter your NIP or email.")), Length(max=254)],
    )


class LanguageForm(Form):
    lang = SelectField(
        _l("Language"),
        choices=[SelectChoice("id", "Bahasa Indonesia"), SelectChoice("en", "English")],
        validate_choice=True,
    )
    next = HiddenField()


class EmptyForm(Form):
    """A form with only the CSRF token, for buttons that POST."""
