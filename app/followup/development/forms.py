"""Forms of the rencana pengembangan: a need, an action, the pegawai's answer, progress."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    DecimalField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from app.followup.development.services import (
    ACTION_LABELS,
    CERTIFICATE_EXTENSIONS,
    COMPETENCY_LABELS,
    check_certificate,
)
from app.forms import Form, strip
from app.models.development import CLASSICAL_ACTIONS
from app.models.skp import BERAKHLAK_LABELS
from app.skp.assessment.evidence import UploadRejected

QUARTERS = [
    SelectChoice(str(q), f"TW {label}") for q, label in enumerate(("I", "II", "III", "IV"), start=1)
]


class NeedForm(Form):
    competency = SelectField(
        _l("Competency"), choices=[SelectChoice(k, v) for k, v in COMPETENCY_LABELS.items()]
    )
    description = TextAreaField(
        _l("The gap seen"),
        filters=[strip],
        validators=[DataRequired(_l("Describe the gap.")), Length(max=2000)],
    )
    # "b:<BerAKHLAK value>" or "i:<IKI id>": where the gap shows (optional).
    shows_in = SelectField(_l("Shows in"), validators=[Optional()])

    def set_choices(self, behaviours: list[str], ikis: list[tuple[int, str]]) -> None:
        choices = [SelectChoice("", _l("— not tied —"))]
        choices += [
            SelectChoice(f"b:{v}", BERAKHLAK_LABELS[v], optgroup=_l("BerAKHLAK"))
            for v in behaviours
        ]
        choices += [
            SelectChoice(f"i:{iki_id}", text[:120], optgroup=_l("IKI")) for iki_id, text in ikis
        ]
        self.shows_in.choices = choices

    def link(self) -> tuple[str | None, int | None]:
        """(behaviour, iki_id) from the choice."""
        value = self.shows_in.data or ""
        if value.startswith("b:"):
            return value[2:], None
        if value.startswith("i:"):
            return None, int(value[2:])
        return None, None


def _action_choices() -> list[SelectChoice]:
    return [
        SelectChoice(
            k,
            v,
            optgroup=_l("Classical") if k in CLASSICAL_ACTIONS else _l("Non-classical"),
        )
        for k, v in ACTION_LABELS.items()
    ]


class ActionForm(Form):
    kind = SelectField(_l("Development action"), choices=_action_choices())
    title = StringField(
        _l("What, in a few words"),
        filters=[strip],
        validators=[DataRequired(_l("Name the action.")), Length(max=300)],
    )
    target_year = IntegerField(
        _l("Target year"),
        validators=[InputRequired(_l("Give the year.")), NumberRange(min=2000, max=2100)],
    )
    target_quarter = SelectField(_l("Target quarter"), choices=QUARTERS)
    need = SelectField(_l("For the need"), validators=[Optional()])

    def set_needs(self, needs) -> None:
        self.need.choices = [SelectChoice("", _l("— none —"))] + [
            SelectChoice(str(n.id), f"{COMPETENCY_LABELS[n.competency]}: {n.description[:80]}")
            for n in needs
        ]


class RemoveForm(Form):
    """Only the CSRF token: the button says what to remove."""


class AnswerForm(Form):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    answer = RadioField(
        _l("Your answer"),
        choices=[
            SelectChoice("agree", _l("I agree with this plan")),
            SelectChoice("comment", _l("I have a comment")),
        ],
        validators=[InputRequired(_l("Choose an answer."))],
    )
    comment = TextAreaField(_l("Comment"), filters=[strip], validators=[Length(max=2000)])

    def validate_comment(self, field) -> None:
        if self.answer.data == "comment" and not field.data:
            raise ValidationError(_l("Write your comment."))


class DoneForm(Form):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    done_on = DateField(_l("Done on"), validators=[InputRequired(_l("Give the date."))])
    jp = DecimalField(
        _l("JP (hours of lesson)"),
        places=1,
        validators=[InputRequired(_l("Give the JP.")), NumberRange(min=0, max=9999)],
    )
    certificate = FileField(
        _l("Certificate (PDF, JPEG, PNG; at most 5 MB)"),
        render_kw={"accept": ",".join(CERTIFICATE_EXTENSIONS)},
    )
    checked = None

    def validate_done_on(self, field) -> None:
        if field.data and field.data > date.today():
            raise ValidationError(_l("The date is in the future."))

    def validate_certificate(self, field) -> None:
        if not field.data or not getattr(field.data, "filename", None):
            return
        try:
            self.checked = check_certificate(field.data.filename, field.data.stream)
        except UploadRejected as error:
            raise ValidationError(error.message) from None
