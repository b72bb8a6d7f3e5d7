"""Verification forms: the batch of appraisals to finalise."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from app.forms import Form, strip
from app.workflow.forms import MAX_COMMENT


class BatchFinaliseForm(Form):
    """The appraisals ticked on the OPD page, each as "id:version" (the version seen)."""

    # The page renders one checkbox per appraisal itself; the values are checked below.
    selected = SelectMultipleField(_l("Appraisals"), choices=[], validate_choice=False)
    comment = TextAreaField(
        _l("Comment"), validators=[Optional(), Length(max=MAX_COMMENT)], filters=[strip]
    )

    def validate_selected(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Tick at least one appraisal."))
        for item in field.data:
            if parse_selected(item) is None:
                raise ValidationError(_l("The selection is not valid; reload the page."))

    def items(self) -> list[tuple[int, int]]:
        """The ticked (appraisal id, version seen) pairs, each once."""
        return list(dict.fromkeys(parse_selected(item) for item in self.selected.data))


def parse_selected(item: str) -> tuple[int, int] | None:
    appraisal_id, _, version = (item or "").partition(":")
    if not (appraisal_id.isdigit() and version.isdigit()):
        return None
    if len(appraisal_id) > 12 or len(version) > 12:
        return None
    return int(appraisal_id), int(version)
