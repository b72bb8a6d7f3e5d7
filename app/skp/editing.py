"""Shared by every content edit: the version the form was rendered at, held against the row."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import Appraisal
from app.models.types import utcnow
from app.workflow.engine import latest_event
from app.workflow.errors import StaleState

# Numeric(14, 2): twelve digits before the decimal separator.
MAX_NUMBER = Decimal("999999999999.99")
NOT_A_NUMBER = _l("Enter a number of 0 or more, with at most two decimals (e.g. 12 or 12,5).")


def hold_version(appraisal: Appraisal, seen_version: int, now: datetime | None = None) -> None:
    """Refuse an edit whose form was rendered before the appraisal last moved.

    The conditional UPDATE takes the appraisal's row lock, as fire()'s
    compare-and-set does, so an edit and a step never interleave: either the edit
    lands first and the step follows it, or the step won and the edit is refused.
    The version is left alone, so content edits do not make open forms stale.
    """
    result = db.session.execute(
        sa.update(Appraisal)
        .where(Appraisal.id == appraisal.id, Appraisal.version == seen_version)
        .values(updated_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise StaleState(latest_event(appraisal.id))


class NotANumber(ValueError):
    """The text is not a number of 0 or more with at most two decimals."""


def parse_number(text: str | None) -> Decimal | None:
    """A non-negative amount typed by a person: "12", "12.5" or "12,5"; None when blank.

    A comma is taken as the decimal separator (Indonesian usage); thousands
    separators are refused rather than guessed.
    """
    text = (text or "").strip()
    if not text:
        return None
    if text.count(",") + text.count(".") > 1:
        raise NotANumber(text)
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise NotANumber(text) from None
    if not value.is_finite() or value < 0 or value > MAX_NUMBER:
        raise NotANumber(text)
    if value.as_tuple().exponent < -2:
        raise NotANumber(text)
    return value


def format_number(value: Decimal | None) -> str:
    """A stored amount as a person would type it back: 12, 12.5 (no trailing zeros)."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
