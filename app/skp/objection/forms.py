"""Keberatan forms: the appraisee's reasons, and the superior's decision with new ratings."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, TextAreaField
from wtforms.validators import Length, Optional

from app.skp.scoring import RATING_LABELS, RATINGS
from app.workflow.forms import MAX_COMMENT, TransitionForm


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
    result (effect apply_objection_decision in app/skp/rules.py).
    """

    rating_hk = SelectField(_l("Hasil kerja rating"), choices=KEEP_RATING, default="")
    rating_pk = SelectField(_l("Perilaku kerja rating"), choices=KEEP_RATING, default="")


class ExplanationRequestForm(TransitionForm):
    """The atasan pejabat penilai's request: what the two sides should explain."""

    comment = TextAreaField(
        _l("What should the appraiser and the employee explain?"),
        validators=[Optional(), Length(min=10, max=MAX_COMMENT)],
        render_kw={"rows": 5},
    )


class ExplanationForm(TransitionForm):
    """One side's explanation on the keberatan, for the atasan pejabat penilai."""

    comment = TextAreaField(
        _l("Your explanation"),
        validators=[Optional(), Length(min=10, max=MAX_COMMENT)],
        render_kw={"rows": 6},
    )
