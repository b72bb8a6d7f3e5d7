"""Dialog kinerja: one note."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from app.forms import Form, strip
from app.skp.dialog.services import MAX_NOTE


class DialogForm(Form):
    body = TextAreaField(
        _l("Your note"),
        filters=[strip],
        validators=[DataRequired(_l("Write the note.")), Length(max=MAX_NOTE)],
        render_kw={"rows": 4},
    )
