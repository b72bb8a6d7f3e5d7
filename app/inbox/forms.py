"""Inbox forms: the filters (GET, choices from the database)."""

from functools import lru_cache

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import SelectField

from app.forms import Form


class InboxFilterForm(Form):
    class Meta:
        csrf = False  # a GET filter changes nothing

    # 0 and "" stand for "all"; anything not among the choices is a form error.
    period = SelectField(_l("Period"), coerce=int, default=0, validate_choice=True)
    opd = SelectField(_l("OPD"), coerce=int, default=0, validate_choice=True)
    step = SelectField(_l("Step"), default="", validate_choice=True)


def select_options(field: SelectField) -> Markup:
    """The field's <option> elements, as its template wrote them with iter_choices.

    The OPD filter alone has some fifty options, all escaped and compared one
    by one on every inbox view: the HTML is kept per (choices, chosen value).
    """
    choices = tuple((value, str(label)) for value, label in field.choices)
    return _options(choices, field.data, field.coerce)


@lru_cache(maxsize=256)
def _options(choices: tuple[tuple[object, str], ...], data: object, coerce) -> Markup:
    return Markup("").join(
        Markup('<option{} value="{}">{}</option>').format(
            Markup(" selected") if coerce(value) == data else "", value, label
        )
        for value, label in choices
    )
