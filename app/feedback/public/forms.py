"""The public SKM form: the nine elements, the respondent profile, the service, a comment."""

from __future__ import annotations

import re
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from app.feedback.questionnaire import (
    EDUCATION_LABELS,
    ELEMENTS,
    GENDER_LABELS,
    OCCUPATION_LABELS,
)
from app.forms import Form, strip
from app.models import ServiceKind
from app.models.skm import SKM_AGE_MAX, SKM_AGE_MIN, SKM_COMMENT_MAX

CHOOSE = _l("— choose —")
PHONE_RE = r"^\+?[0-9][0-9 .-]{5,28}$"
# An HTML tag or comment: "<b>", "</a>", "<script src=…>", "<!-- -->". A lone "<" (as in
# "antrean < 10 menit") is plain text and stays allowed.
MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?][^<>]*>")


def _placeholder_and(labels: dict) -> list[SelectChoice]:
    return [SelectChoice("", CHOOSE)] + [SelectChoice(k, v) for k, v in labels.items()]


def _element_field(element) -> RadioField:
    return RadioField(
        element.name,
        choices=[SelectChoice(score, label) for score, label in enumerate(element.answers, 1)],
        coerce=int,
        validators=[InputRequired(_l("Choose one of the four answers."))],
    )


class SkmForm(Form):
    """One respondent's answers; `set_services` and `served_window` are set per request."""

    token = HiddenField()
    # The honeypot: hidden from people (CSS, aria-hidden), filled only by robots.
    website = StringField(_l("Leave this field empty"), filters=[strip])

    service_kind_id = SelectField(_l("Service you received"), coerce=int, validate_choice=True)
    served_on = DateField(
        _l("Date of the service"),
        format="%Y-%m-%d",
        validators=[InputRequired(_l("Enter the date of the service."))],
    )
    gender = RadioField(
        _l("Sex"),
        choices=[SelectChoice(k, v) for k, v in GENDER_LABELS.items()],
        validators=[InputRequired(_l("Choose one."))],
    )
    age = IntegerField(
        _l("Age (years)"),
        validators=[
            InputRequired(_l("Enter your age.")),
            NumberRange(SKM_AGE_MIN, SKM_AGE_MAX, _l("Enter an age from %(min)s to %(max)s.")),
        ],
    )
    education = SelectField(
        _l("Highest education"),
        choices=_placeholder_and(EDUCATION_LABELS),
        validators=[DataRequired(_l("Choose one."))],
    )
    occupation = SelectField(
        _l("Main occupation"),
        choices=_placeholder_and(OCCUPATION_LABELS),
        validators=[DataRequired(_l("Choose one."))],
    )
    comment = TextAreaField(
        _l("Suggestions or comments (optional)"),
        filters=[strip],
        validators=[
            Optional(),
            Length(
                max=SKM_COMMENT_MAX,
                message=_l("Write at most %(max)d characters."),
            ),
        ],
    )
    is_complaint = BooleanField(_l("This is a complaint (pengaduan): I would like an answer"))
    contact_name = StringField(
        _l("Name (optional)"), filters=[strip], validators=[Optional(), Length(max=120)]
    )
    contact_email = StringField(
        _l("Email (optional)"),
        filters=[strip],
        validators=[Optional(), Length(max=254), Email(_l("Enter a valid email address."))],
    )
    contact_phone = StringField(
        _l("Phone or WhatsApp (optional)"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=30),
            Regexp(PHONE_RE, message=_l("Enter a phone number: digits, spaces, + or -.")),
        ],
    )

    oldest: date
    today: date

    def set_services(self, kinds: list[ServiceKind]) -> None:
        """Offer the unit's active jenis layanan; a unit without any asks nothing."""
        self.service_kind_id.choices = [SelectChoice(0, CHOOSE)] + [
            SelectChoice(k.id, k.name) for k in kinds
        ]
        self.has_services = bool(kinds)

    def served_window(self, today: date, max_days: int) -> None:
        self.today, self.oldest = today, today - timedelta(days=max_days)

    def validate_comment(self, field):
        # Comments are always shown escaped; markup is refused as well, so that what a
        # unit head or the public page shows is exactly what the respondent meant.
        if field.data and MARKUP.search(field.data):
            raise ValidationError(_l("Write the comment as plain text, without HTML code (< >)."))

    def validate_contact_name(self, field):
        if field.data and MARKUP.search(field.data):
            raise ValidationError(_l("Write the name as plain text, without HTML code (< >)."))

    def validate_service_kind_id(self, field):
        if self.has_services and not field.data:
            raise ValidationError(_l("Choose the service you received."))

    def validate_served_on(self, field):
        if field.data and field.data > self.today:
            raise ValidationError(_l("The date cannot be in the future."))
        if field.data and field.data < self.oldest:
            raise ValidationError(
                _l(
                    "The survey is for services of the last %(days)d days.",
                    days=(self.today - self.oldest).days,
                )
            )

    @property
    def element_fields(self) -> list:
        return [(element, self[element.column]) for element in ELEMENTS]

    @property
    def in_page_order(self) -> list:
        """The fields as the page shows them (the error summary lists them so)."""
        names = ("service_kind_id", "served_on", *(e.column for e in ELEMENTS), "gender", "age")
        names += ("education", "occupation", "comment", "contact_name", "contact_email")
        return [self[name] for name in (*names, "contact_phone")]

    @property
    def answers(self) -> dict[str, int]:
        return {element.column: self[element.column].data for element in ELEMENTS}


for _element in ELEMENTS:
    setattr(SkmForm, _element.column, _element_field(_element))
