"""Inbox forms: the filters (GET, choices from the database)."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField

from app.forms import Form


class InboxFilterForm(Form):
    class Meta:
        csrf = False  # a GET filter changes nothing

    # 0 and "" stand for "all"; anything not among the choices is a form error.
    period = SelectField(_l("Period"), coerce=int, default=0, validate_choice=True)
    opd = SelectField(_l("OPD"), coerce=int, default=0, validate_choice=True)
    step = SelectField(_l("Step"), default="", validate_choice=True)
