"""Amounts typed and read by people, in their language's notation: the one place for numbers.

Indonesian writes "1.200" for twelve hundred and "96,5" for ninety-six and a half;
English writes "1,200" and "96.5". Babel knows each locale's symbols; this module
parses what a person typed with them (strictly: "1.5" in Indonesian could be 15 or
1,5, so it is refused with both readings offered) and shows every stored amount
the same way back, on pages (the `number` filter), in the PDF, mail and CSV.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from babel.numbers import NumberFormatError, format_decimal, get_group_symbol, parse_decimal
from flask import has_app_context
from flask_babel import get_locale
from flask_babel import gettext as _

# Numeric(14, 2): twelve digits before the decimal separator.
MAX_NUMBER = Decimal("999999999999.99")
# Grouped thousands, at most two decimals, no trailing zeros: 1.200,5 (id) / 1,200.5 (en).
PATTERN = "#,##0.##"
# Digits with dots and commas between them; anything else (letters, exponents,
# spaces, other scripts' digits) is refused before Babel reads it.
SHAPE = re.compile(r"-?[0-9]+(?:[.,][0-9]+)*")


class NotANumber(ValueError):
    """The text is not a number of 0 or more with at most two decimals; says why."""

    def __init__(self, text: str, message: str | None = None):
        super().__init__(text)
        self.text = text
        self._message = message

    @property
    def message(self) -> str:
        return self._message or not_a_number()


def not_a_number() -> str:
    """What a number looks like, with examples in the user's notation."""
    return _(
        "Enter a number of 0 or more, with at most two decimals (e.g. %(big)s or %(small)s).",
        big=format_number(1200),
        small=format_number(Decimal("96.5")),
    )


def _locale(locale: str | None) -> str:
    if locale:
        return str(locale)
    # force_locale() sets the locale on the app context too (mail rendered by the CLI).
    return str(get_locale() or "id") if has_app_context() else "id"


def parse_number(text: str | None, locale: str | None = None) -> Decimal | None:
    """A non-negative amount typed in the locale's notation ("1.200,5" in id); None when blank."""
    text = (text or "").strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if not SHAPE.fullmatch(text):
        raise NotANumber(text)
    if text.startswith("-"):
        raise NotANumber(text, _("The number cannot be negative."))
    try:
        value = parse_decimal(text, locale=_locale(locale), strict=True)
    except NumberFormatError as error:
        readings = [s for s in (error.suggestions or []) if SHAPE.fullmatch(s)]
        if readings:
            raise NotANumber(
                text,
                _(
                    "“%(text)s” is unclear: did you mean %(readings)s?",
                    text=text,
                    readings=_(" or ").join(f"“{s}”" for s in readings),
                ),
            ) from None
        raise NotANumber(text) from None
    if value > MAX_NUMBER:
        raise NotANumber(text, _("The number is too large."))
    if value != value.quantize(Decimal("0.01")):
        raise NotANumber(
            text,
            _("At most two decimals, e.g. %(example)s.", example=format_number(Decimal("96.25"))),
        )
    return value


def format_number(value: Decimal | int | float | None, locale: str | None = None) -> str:
    """An amount as a person of the locale writes it: 1.200,5 (id), 1,200.5 (en); "" for None."""
    if value is None:
        return ""
    locale = _locale(locale)
    if type(value) is int and value >= 0:
        # Counts fill the monitor's tables by the hundred: grouped by hand, the same
        # text as Babel's at a fiftieth of its cost.
        return f"{value:,}".replace(",", _group_symbol(locale))
    return format_decimal(value, format=PATTERN, locale=locale)


@cache
def _group_symbol(locale: str) -> str:
    return get_group_symbol(locale)


def format_share(part: int, whole: int, locale: str | None = None) -> str:
    """`part` as a percentage of `whole` with one decimal: "12,5" (id); "—" when whole is 0."""
    if not whole:
        return "—"
    share = Decimal(100 * part) / Decimal(whole)
    return format_decimal(share, format="#,##0.0", locale=_locale(locale))
