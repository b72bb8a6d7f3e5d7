"""Amounts typed by people: parsed and shown back the same way."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

# Numeric(14, 2): twelve digits before the decimal separator.
MAX_NUMBER = Decimal("999999999999.99")
NOT_A_NUMBER = _l("Enter a number of 0 or more, with at most two decimals (e.g. 12 or 12,5).")


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
