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

from app.auth.passwords import MAX_LENGTH, MIN_LENGTH, password_problem
from app.forms import Form

# Shown above the new-password fields before anything is typed (ASVS V6).
PASSWORD_RULES = _l(
    "%(min)d to %(max)d characters; any letters, digits, spaces or symbols, no other "
    "rules. Not a common password, and not containing your NIP, name or email.",
    min=MIN_LENGTH,
    max=MAX_LENGTH,
)


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
    """A new password and its repetition, checked against the rules for `account`."""

    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(_l("Enter a new password.")),
            Length(
                min=MIN_LENGTH,
                max=MAX_LENGTH,
                message=_l(
                    "The password must be %(min)d to %(max)d characters.",
                    min=MIN_LENGTH,
                    max=MAX_LENGTH,
                ),
            ),
        ],
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[EqualTo("password", message=_l("The two passwords are not the same."))],
    )

    def __init__(self, *args, account, **kwargs):
        self.account = account
        super().__init__(*args, **kwargs)

    def validate_password(self, field) -> None:
        problem = password_problem(field.data or "", self.account)
        if problem is not None:
            raise ValidationError(problem)


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
