"""The forms a transition may name. Definitions refer to them by these names only.

The generic form is here; features register their own (subclasses of
TransitionForm) with `register_form`.
"""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from app.forms import Form

MAX_COMMENT = 5000


class TransitionForm(Form):
    """A comment (required or optional, as the definition says) and the version seen."""

    comment = TextAreaField(
        _l("Comment"),
        validators=[Optional(), Length(max=MAX_COMMENT)],
        render_kw={"rows": 4},
    )
    # The version of the appraisal the user saw: a stale form is refused, never re-applied.
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    state = HiddenField()

    def require_comment(self, message) -> None:
        """Make the comment required (for transitions whose definition says so)."""
        kept = [v for v in self.comment.validators if not isinstance(v, Optional)]
        self.comment.validators = [DataRequired(message), *kept]
        self.comment.flags.required = True


FORMS: dict[str, type[TransitionForm]] = {"transition": TransitionForm}


def register_form(name: str, form: type[TransitionForm]) -> type[TransitionForm]:
    """Make `form` available to definitions as `name` (features call this at import)."""
    if FORMS.get(name, form) is not form:
        raise ValueError(f"form {name!r} registered twice")
    FORMS[name] = form
    return form
