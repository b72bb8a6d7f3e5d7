"""The base form: WTForms' own messages in the user's language.

WTForms ships no Indonesian catalogue, so ours lives beside the app's messages
(app/translations/<lang>/LC_MESSAGES/wtforms.po).
"""

import re
from functools import cache
from pathlib import Path

from babel import support
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import InputRequired
from wtforms.widgets import HiddenInput

TRANSLATIONS_DIR = Path(__file__).parent / "translations"


@cache
def _wtforms_translations(locale: str) -> support.Translations:
    return support.Translations.load(str(TRANSLATIONS_DIR), [locale], domain="wtforms")


# C0 control characters other than tab, line feed and carriage return, and DEL.
# PostgreSQL cannot store NUL in text at all; the others are never typed on purpose.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def refuse_control_characters(value):
    """Field filter: a text with control characters is refused on its field, never stored."""
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        raise ValueError(_("Remove the control characters (such as NUL) from this text."))
    return value


class Form(FlaskForm):
    """Every form of the app derives from this one."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return _wtforms_translations(str(get_locale()))

        def bind_field(self, form, unbound_field, options):
            # Every text field (text, textarea, password, hidden) refuses control characters
            # before its own filters run.
            if issubclass(unbound_field.field_class, StringField):
                filters = unbound_field.kwargs.get("filters") or ()
                options = {**options, "filters": [refuse_control_characters, *filters]}
            return super().bind_field(form, unbound_field, options)


def strip(value):
    """Field filter: surrounding white space is never part of what was meant."""
    return value.strip() if isinstance(value, str) else value


class VersionedForm(Form):
    """A form that edits an appraisal, carrying the version the user saw.

    A form rendered before the appraisal moved on is refused, never applied.
    """

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
