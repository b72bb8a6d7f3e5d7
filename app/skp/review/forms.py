"""The review form: umpan balik per IKI and per BerAKHLAK value, the two ratings.

It has one field per row (IKI, BerAKHLAK value), so it is built per page by
subclassing; WTForms reads the class attributes when the form is instantiated.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from wtforms import (
    IntegerField,
    SelectChoice,
    SelectField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import InputRequired, Length
from wtforms.widgets import HiddenInput

from app.forms import Form, strip
from app.models.skp import BERAKHLAK
from app.skp import scoring
from app.skp.capaian import suggest_rating_hk
from app.skp.review.services import refusal_message
from app.workflow.forms import MAX_COMMENT

MAX_FEEDBACK = 5000


def rating_choices(blank_label) -> list[SelectChoice]:
    """The three ratings (Indonesian domain words) after a blank choice."""
    return [SelectChoice("", blank_label)] + [
        SelectChoice(r, scoring.RATING_LABELS[r]) for r in scoring.RATINGS
    ]


def feedback_field(label) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[Length(max=MAX_FEEDBACK)],
        filters=[strip],
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
        filters=[strip],
        render_kw={"rows": 3},
    )
    rating_hk_reason = TextAreaField(
        _l("Why another hasil kerja rating than the suggested one"),
        validators=[Length(max=MAX_COMMENT)],
        filters=[strip],
        render_kw={"rows": 2},
    )
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])

    # (RHK id, group) of the page's RHK, set by `review_form()`.
    rhk_groups: tuple[tuple[int, str], ...] = ()
    # The rating a unit's head gets from the unit's capaian (replaces the RHK's suggestion).
    unit_suggested: str | None = None

    def validate_rating_comment(self, field) -> None:
        if "di_bawah" in (self.rating_hk.data, self.rating_pk.data) and not field.data:
            raise ValidationError(_l("A Di Bawah Ekspektasi rating needs a comment."))

    def suggested_hk(self) -> str | None:
        """The suggested hasil kerja rating: the unit's for its head, else the RHK ratings'
        on the form (None until all are rated)."""
        if self.unit_suggested:
            return self.unit_suggested
        return suggest_rating_hk(
            (group, self[f"rhk_{rhk_id}"].data or None) for rhk_id, group in self.rhk_groups
        )

    def validate_rating_hk_reason(self, field) -> None:
        # Another rating than the suggestion only with a written reason (issue 13).
        suggested = self.suggested_hk()
        chosen = self.rating_hk.data or None
        if suggested and chosen and chosen != suggested and not field.data:
            raise ValidationError(refusal_message(suggested, bool(self.unit_suggested)))

    def rhk_ratings(self) -> dict[int, str | None]:
        return {rhk_id: self[f"rhk_{rhk_id}"].data or None for rhk_id, _ in self.rhk_groups}

    def quality_marks(self, iki_ids: Iterable[int]) -> dict[int, str | None]:
        return {iki_id: self[f"mark_{iki_id}"].data or None for iki_id in iki_ids}

    def iki_field(self, iki_id: int):
        return self[f"iki_{iki_id}"]

    def behaviour_field(self, value: str):
        return self[f"pk_{value}"]

    def iki_feedback(self, iki_ids: Iterable[int]) -> dict[int, str | None]:
        return {iki_id: self.iki_field(iki_id).data for iki_id in iki_ids}

    def behaviour_feedback(self) -> dict[str, str | None]:
        return {value: self.behaviour_field(value).data for value in BERAKHLAK}


def review_form(
    iki_ids: Iterable[int],
    rhk_groups: Iterable[tuple[int, str]] = (),
    quality_ids: Iterable[int] = (),
    unit_suggested: str | None = None,
    **kwargs,
) -> ReviewForm:
    """A ReviewForm with umpan balik per IKI and BerAKHLAK value, a rating per RHK
    (`rhk_groups`: RHK id and group) and a mark per qualitative IKI (`quality_ids`)."""

    class PageReviewForm(ReviewForm):
        pass

    PageReviewForm.rhk_groups = tuple(rhk_groups)
    PageReviewForm.unit_suggested = unit_suggested
    for rhk_id, _group in PageReviewForm.rhk_groups:
        setattr(
            PageReviewForm,
            f"rhk_{rhk_id}",
            SelectField(_l("Rating of this RHK"), choices=rating_choices(_l("— not yet —"))),
        )
    for iki_id in quality_ids:
        setattr(
            PageReviewForm,
            f"mark_{iki_id}",
            SelectField(_l("Capaian (qualitative)"), choices=rating_choices(_l("— not yet —"))),
        )
    for iki_id in iki_ids:
        setattr(PageReviewForm, f"iki_{iki_id}", feedback_field(_l("Umpan balik")))
    for value in BERAKHLAK:
        setattr(PageReviewForm, f"pk_{value}", feedback_field(_l("Umpan balik")))
    return PageReviewForm(**kwargs)
