"""Umpan balik berkelanjutan: one post on an IKI's thread."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.forms import VersionedForm, strip
from app.skp.feedback.services import MAX_POST

# The pages a post may return to (anything else returns to the thread's own page).
BACK_TO = ("skp.plan", "skp.realisasi")


class FeedbackForm(VersionedForm):
    body = TextAreaField(
        _l("Umpan balik"),
        filters=[strip],
        validators=[
            DataRequired(_l("Write the umpan balik first.")),
            Length(
                max=MAX_POST,
                message=_l("The umpan balik is too long: at most %(max)d characters."),
            ),
        ],
        render_kw={"rows": 3, "maxlength": MAX_POST},
    )
    back = HiddenField()
