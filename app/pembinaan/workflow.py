"""What the pembinaan definition names (its forms and effects), and the effect that opens a
case when an SKP becomes final with a predikat of Kurang or Sangat Kurang.

Imported by app.plugins before any definition is loaded. Effects run inside
fire(), after the compare-and-set and in the same transaction: a refusal here
(InvalidInput) rolls the whole step back.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.forms import strip
from app.models import Account, Appraisal, PembinaanCase
from app.models.pembinaan import OUTCOME_LABELS, OUTCOMES, PEMBINAAN_PREDIKAT
from app.pembinaan import services
from app.workflow.effects import effect
from app.workflow.errors import InvalidInput
from app.workflow.forms import TransitionForm, register_form

MAX_TEXT = 5000


def _outcome_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("Choose the outcome"))] + [
        SelectChoice(key, OUTCOME_LABELS[key]) for key in OUTCOMES
    ]


class PembinaanPlanForm(TransitionForm):
    """The atasan's pembinaan plan: what the employee is to improve, how, and by when."""

    plan = TextAreaField(
        _l("Pembinaan plan"),
        description=_l(
            "What is to improve, the support the atasan gives (coaching, mentoring, "
            "training), the targets and the dates."
        ),
        filters=[strip],
        validators=[DataRequired(_l("Please write the plan.")), Length(max=MAX_TEXT)],
        render_kw={"rows": 8},
    )


class PembinaanNoteForm(TransitionForm):
    """The atasan's monitoring note for this month."""

    note = TextAreaField(
        _l("Monitoring note for this month"),
        filters=[strip],
        validators=[DataRequired(_l("Please write the note.")), Length(max=MAX_TEXT)],
        render_kw={"rows": 6},
    )


class _NamesTheOutcome:
    """The step's comment (what the audit trail keeps) starts with the chosen outcome, so
    the event itself says how the case ended, whoever reads the chain."""

    @property
    def data(self) -> dict:
        data = dict(TransitionForm.data.fget(self))
        label = OUTCOME_LABELS.get(data.get("outcome") or "")
        text = (data.get("comment") or "").strip()
        data["summary"] = text
        if label:
            # In the city's words whatever the reader's language: the trail is a record.
            data["comment"] = f"Hasil pembinaan: {label}." + (f" {text}" if text else "")
        return data


class PembinaanOutcomeForm(_NamesTheOutcome, TransitionForm):
    """The atasan proposes how the case ends, with a summary of the pembinaan."""

    outcome = SelectField(
        _l("Outcome"),
        choices=_outcome_choices,
        validators=[DataRequired(_l("Please choose the outcome."))],
    )
    comment = TextAreaField(
        _l("Summary of the pembinaan and its result"),
        filters=[strip],
        validators=[Length(max=MAX_TEXT)],
        render_kw={"rows": 6},
    )


class PembinaanConfirmForm(_NamesTheOutcome, TransitionForm):
    """The kepala OPD (or BKD) confirms the outcome, choosing it again on purpose."""

    outcome = SelectField(
        _l("Outcome to confirm"),
        choices=_outcome_choices,
        validators=[DataRequired(_l("Please choose the outcome."))],
    )


register_form("pembinaan_plan", PembinaanPlanForm)
register_form("pembinaan_note", PembinaanNoteForm)
register_form("pembinaan_outcome", PembinaanOutcomeForm)
register_form("pembinaan_confirm", PembinaanConfirmForm)


def _text(form: Mapping, name: str, missing) -> str:
    text = (form.get(name) or "").strip()
    if not text:
        raise InvalidInput({name: [str(missing)]})
    if len(text) > MAX_TEXT:
        raise InvalidInput({name: [str(_l("The text is too long."))]})
    return text


def _outcome(form: Mapping) -> str:
    outcome = form.get("outcome")
    if outcome not in OUTCOMES:
        raise InvalidInput({"outcome": [str(_l("Please choose the outcome."))]})
    return outcome


@effect("record_pembinaan_plan")
def record_plan(case: PembinaanCase, actor: Account, form: Mapping, now: datetime) -> None:
    """Keep the plan the atasan submits (a plan sent back and submitted again replaces it)."""
    case.plan = _text(form, "plan", _l("Please write the plan."))
    case.plan_agreed_at = None


@effect("record_pembinaan_agreement")
def record_agreement(case: PembinaanCase, actor: Account, form: Mapping, now: datetime) -> None:
    """The employee agreed to the plan now."""
    case.plan_agreed_at = now


@effect("record_pembinaan_note")
def record_note(case: PembinaanCase, actor: Account, form: Mapping, now: datetime) -> None:
    """This month's monitoring note (one per month: a second is refused on its field)."""
    text = _text(form, "note", _l("Please write the note."))
    if not services.add_note(case, actor, text, now):
        raise InvalidInput({"note": [str(_l("This month's monitoring note is already recorded."))]})


@effect("record_pembinaan_outcome")
def record_outcome(case: PembinaanCase, actor: Account, form: Mapping, now: datetime) -> None:
    """The proposed outcome and the summary, until the kepala OPD confirms or returns it."""
    case.outcome = _outcome(form)
    case.outcome_note = (form.get("summary") or "").strip() or None


@effect("confirm_pembinaan_outcome")
def confirm_outcome(case: PembinaanCase, actor: Account, form: Mapping, now: datetime) -> None:
    """The outcome as confirmed (the confirmer may correct the proposal)."""
    case.outcome = _outcome(form)


@effect("clear_pembinaan_outcome")
def clear_outcome(case: PembinaanCase, actor: Account, form: Mapping, now: datetime) -> None:
    """A returned proposal is no outcome: monitoring goes on."""
    case.outcome = None


@effect("open_pembinaan_case")
def open_on_final_predikat(
    appraisal: Appraisal, actor: Account, form: Mapping, now: datetime
) -> None:
    """An SKP final with a predikat of Kurang or Sangat Kurang opens its pembinaan case
    (named after record_document, which sets the predikat; never a second case)."""
    if appraisal.predikat in PEMBINAAN_PREDIKAT:
        services.open_pembinaan(appraisal, now)
