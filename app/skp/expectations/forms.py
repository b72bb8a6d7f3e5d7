"""Ekspektasi khusus pimpinan: one optional text per BerAKHLAK value."""

from __future__ import annotations

from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from app.forms import VersionedForm, strip
from app.models.skp import BERAKHLAK_LABELS
from app.skp.expectations.services import MAX_EXPECTATION


class ExpectationsForm(VersionedForm):
    """One optional text per BerAKHLAK value; fields are added below, named by value."""


for _value, _label in BERAKHLAK_LABELS.items():
    setattr(
        ExpectationsForm,
        _value,
        TextAreaField(
            _label,
            filters=[strip],
            validators=[Optional(), Length(max=MAX_EXPECTATION)],
            render_kw={"rows": 2},
        ),
    )
