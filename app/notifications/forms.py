"""Forms of the notification pages."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField

from app.forms import Form


class MailModeForm(Form):
    """How a person wants SIKAP's workflow mail: at once, or in one daily digest."""

    mail_mode = SelectField(
        _l("Workflow emails"),
        choices=[
            SelectChoice("immediate", _l("Immediately: one email per step, reminder or copy")),
            SelectChoice("digest", _l("Once a day: one digest listing new tasks and reminders")),
        ],
        validate_choice=True,
    )
