"""Period forms: the period itself, opening it, and deadline extensions."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from app.forms import Form
from app.models.appraisal import PERIOD_KIND_LABELS
from app.models.periods import DEADLINE_STEPS

KIND_LABELS = PERIOD_KIND_LABELS
STEP_LABELS = {"draft": _l("Drafting the plan"), "self_assessment": _l("Self-assessment")}


def _required_date(label):
    return DateField(label, validators=[InputRequired(_l("Enter a valid date."))])


class PeriodForm(Form):
    name = StringField(
        _l("Name"), validators=[DataRequired(_l("Enter the name.")), Length(max=100)]
    )
    year = IntegerField(
        _l("Year"),
        validators=[
            InputRequired(_l("Enter the year.")),
            NumberRange(2000, 2100, _l("Enter a year between 2000 and 2100.")),
        ],
    )
    kind = SelectField(
        _l("Kind"), choices=[SelectChoice(k, label) for k, label in KIND_LABELS.items()]
    )
    workflow = SelectField(_l("Workflow"), validate_choice=True)
    # An annual period: what its plans set periodic targets and rencana aksi for.
    target_breakdown = SelectField(
        _l("Periodic targets in the annual plan"),
        choices=[
            SelectChoice("quarter", _l("Per quarter (Triwulan I to IV)")),
            SelectChoice("month", _l("Per month")),
        ],
        default="quarter",
        description=_l("Annual periods only; fixed once appraisals have been opened."),
    )
    start_date = _required_date(_l("Start date"))
    end_date = _required_date(_l("End date"))
    plan_deadline = _required_date(_l("Deadline of the plan"))
    plan_approval_deadline = _required_date(_l("Deadline of the plan approval (appraiser)"))
    assessment_deadline = _required_date(_l("Deadline of the self-assessment"))
    review_deadline = _required_date(_l("Deadline of the review (appraiser)"))
    calendar_reason = TextAreaField(
        _l("Reason for dates other than the statutory calendar"),
        validators=[Length(max=1000)],
        description=_l("Required when a date differs from the one proposed."),
    )
    # Fills the dates with the statutory calendar of the year and kind chosen; saves nothing.
    propose = SubmitField(_l("Propose the statutory dates"))

    def validate_start_date(self, field):
        if field.data and self.year.data and field.data.year != self.year.data:
            raise ValidationError(_l("The start date must fall in the period's year."))

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The end date must not be before the start date."))

    def _not_before_start(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The deadline must not be before the start date."))

    validate_plan_deadline = _not_before_start
    validate_plan_approval_deadline = _not_before_start
    validate_assessment_deadline = _not_before_start
    validate_review_deadline = _not_before_start


class OpenPeriodForm(Form):
    opds = SelectMultipleField(
        _l("OPD"),
        coerce=int,
        description=_l("Leave empty to open the period for every OPD."),
    )


class ExtensionForm(Form):
    nip = StringField(
        _l("NIP of the employee"),
        validators=[DataRequired(_l("Enter the NIP.")), Length(max=30)],
    )
    step = SelectField(
        _l("Step"), choices=[SelectChoice(s, STEP_LABELS[s]) for s in DEADLINE_STEPS]
    )
    new_deadline = _required_date(_l("New deadline"))
    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(_l("Give the reason for the extension.")), Length(max=1000)],
    )


class CloseForm(Form):
    reason = TextAreaField(_l("Reason (optional)"), validators=[Length(max=1000)])


class ReopenForm(Form):
    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(_l("Give the reason for reopening.")), Length(max=1000)],
    )
