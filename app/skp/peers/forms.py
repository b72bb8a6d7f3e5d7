"""Peer survey forms: the appraiser's choice of colleagues, and one colleague's answer."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectChoice, SelectMultipleField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms import Form
from app.models.skp import BERAKHLAK, BERAKHLAK_LABELS

SCALE_CHOICES = [
    SelectChoice("1", _l("1 — far below")),
    SelectChoice("2", _l("2 — below")),
    SelectChoice("3", _l("3 — as expected")),
    SelectChoice("4", _l("4 — above")),
    SelectChoice("5", _l("5 — far above")),
]


class PeerSurveyForm(Form):
    # Checkboxes, not a multiple <select>: choosing several there takes Ctrl-click,
    # which many users do not know, and one plain click silently drops the others.
    colleagues = SelectMultipleField(
        _l("Colleagues to ask (at least 3)"),
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        description=_l("Same OPD, not the employee. Answers are anonymous to everyone."),
    )


class PeerAnswerForm(Form):
    """A rating for each BerAKHLAK value (fields named as the values) and a comment."""

    comment = TextAreaField(
        _l("Comment (optional)"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 4}
    )


for _value in BERAKHLAK:
    setattr(
        PeerAnswerForm,
        _value,
        RadioField(
            BERAKHLAK_LABELS[_value],
            choices=SCALE_CHOICES,
            validators=[InputRequired(_l("Choose a rating."))],
        ),
    )
