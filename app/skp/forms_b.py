"""Forms of the review, verification and OPD predikat pages.

The review and the OPD predikat forms have one field per row (IKI, BerAKHLAK
value, OPD), so they are built per page by subclassing; WTForms reads the class
attributes when the form is instantiated.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from wtforms import (
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from app.forms import Form
from app.models.skp import BERAKHLAK
from app.skp import scoring
from app.workflow.forms import MAX_COMMENT

MAX_FEEDBACK = 5000


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def rating_choices(blank_label) -> list[SelectChoice]:
    """The three ratings (Indonesian domain words) after a blank choice."""
    return [SelectChoice("", blank_label)] + [
        SelectChoice(r, scoring.RATING_LABELS[r]) for r in scoring.RATINGS
    ]


def feedback_field(label) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[Length(max=MAX_FEEDBACK)],
        filters=[_strip],
        render_kw={"rows": 2},
    )


class ReviewForm(Form):
    """The ratings and their comment; `review_form()` adds the umpan balik fields."""

    rating_hk = SelectField(_l("Hasil kerja rating"), choices=rating_choices(_l("— not yet —")))
    rating_pk = SelectField(_l("Perilaku kerja rating"), choices=rating_choices(_l("— not yet —")))
    # No Optional(): it would stop the chain before the Di Bawah check below.
    rating_comment = TextAreaField(
        _l("Comment on the ratings"),
        validators=[Length(max=MAX_COMMENT)],
        filters=[_strip],
        render_kw={"rows": 3},
    )
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])

    def validate_rating_comment(self, field) -> None:
        if "di_bawah" in (self.rating_hk.data, self.rating_pk.data) and not field.data:
            raise ValidationError(_l("A Di Bawah Ekspektasi rating needs a comment."))

    def iki_field(self, iki_id: int):
        return self[f"iki_{iki_id}"]

    def behaviour_field(self, value: str):
        return self[f"pk_{value}"]

    def iki_feedback(self, iki_ids: Iterable[int]) -> dict[int, str | None]:
        return {iki_id: self.iki_field(iki_id).data for iki_id in iki_ids}

    def behaviour_feedback(self) -> dict[str, str | None]:
        return {value: self.behaviour_field(value).data for value in BERAKHLAK}


def review_form(iki_ids: Iterable[int], **kwargs) -> ReviewForm:
    """A ReviewForm with an umpan balik field per IKI and per BerAKHLAK value."""

    class PageReviewForm(ReviewForm):
        pass

    for iki_id in iki_ids:
        setattr(PageReviewForm, f"iki_{iki_id}", feedback_field(_l("Umpan balik")))
    for value in BERAKHLAK:
        setattr(PageReviewForm, f"pk_{value}", feedback_field(_l("Umpan balik")))
    return PageReviewForm(**kwargs)


class BatchFinaliseForm(Form):
    """The appraisals ticked on the OPD page, each as "id:version" (the version seen)."""

    # The page renders one checkbox per appraisal itself; the values are checked below.
    selected = SelectMultipleField(_l("Appraisals"), choices=[], validate_choice=False)
    comment = TextAreaField(
        _l("Comment"), validators=[Optional(), Length(max=MAX_COMMENT)], filters=[_strip]
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


class OpdPredikatForm(Form):
    """One organisation predikat per OPD; `opd_predikat_form()` adds the fields."""


def opd_predikat_form(opd_ids: Iterable[int], **kwargs) -> OpdPredikatForm:
    """An OpdPredikatForm with a select per OPD (blank: not set)."""
    choices = [SelectChoice("", _l("— not set —"))] + [
        SelectChoice(p, scoring.ORG_PREDIKAT_LABELS[p]) for p in scoring.ORG_PREDIKAT
    ]

    class PageOpdPredikatForm(OpdPredikatForm):
        pass

    for opd_id in opd_ids:
        setattr(PageOpdPredikatForm, f"opd_{opd_id}", SelectField(_l("Predikat"), choices=choices))
    return PageOpdPredikatForm(**kwargs)
