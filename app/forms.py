"""The base form: WTForms' own messages in the user's language.

WTForms ships no Indonesian catalogue, so ours lives beside the app's messages
(app/translations/<lang>/LC_MESSAGES/wtforms.po).
"""

from functools import cache
from pathlib import Path

from babel import support
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired
from wtforms.widgets import HiddenInput

TRANSLATIONS_DIR = Path(__file__).parent / "translations"


@cache
def _wtforms_translations(locale: str) -> support.Translations:
    return support.Translations.load(str(TRANSLATIONS_DIR), [locale], domain="wtforms")


class Form(FlaskForm):
    """Every form of the app derives from this one."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return _wtforms_translations(str(get_locale()))


def strip(value):
    """Field filter: surrounding white space is never part of what was meant."""
    return value.strip() if isinstance(value, str) else value


class VersionedForm(Form):
    """A form that edits an appraisal, carrying the version the user saw.

    A form rendered before the appraisal moved on is refused, never applied.
    """

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
