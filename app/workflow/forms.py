"""The forms a transition may name. Definitions refer to them by these names only."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from app.forms import Form
from app.skp.scoring import RATING_LABELS, RATINGS

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


class ObjectionForm(TransitionForm):
    """Keberatan: the reasons are required and must say something."""

    comment = TextAreaField(
        _l("Reasons for the objection"),
        validators=[Optional(), Length(min=20, max=MAX_COMMENT)],
        render_kw={"rows": 6},
    )


KEEP_RATING = [SelectChoice("", _l("— keep the current rating —"))] + [
    SelectChoice(r, RATING_LABELS[r]) for r in RATINGS
]


class ObjectionDecisionForm(TransitionForm):
    """The superior's decision on a keberatan: its reasons, and new ratings where they change.

    A blank rating keeps the current one; the predikat is recomputed from the
    result (effect apply_objection_decision in app/skp/effects.py).
    """

    rating_hk = SelectField(_l("Hasil kerja rating"), choices=KEEP_RATING, default="")
    rating_pk = SelectField(_l("Perilaku kerja rating"), choices=KEEP_RATING, default="")


FORMS: dict[str, type[TransitionForm]] = {
    "transition": TransitionForm,
    "objection": ObjectionForm,
    "objection_decision": ObjectionDecisionForm,
}
