"""Numbers in the reader's notation, typed and shown: one module (app/skp/numbers.py)."""

from decimal import Decimal

import pytest
from flask_babel import force_locale

from app.skp.numbers import NotANumber, format_number, format_share, parse_number


@pytest.mark.parametrize(
    ("locale", "text", "value"),
    [
        ("id", "1.200", Decimal("1200")),
        ("id", "1.200,5", Decimal("1200.5")),
        ("id", "96,5", Decimal("96.5")),
        ("id", "0,25", Decimal("0.25")),
        ("id", "1200", Decimal("1200")),
        ("id", " 12 ", Decimal("12")),
        ("id", "1.000.000", Decimal("1000000")),
        ("id", "", None),
        ("en", "1,200", Decimal("1200")),
        ("en", "1,200.5", Decimal("1200.5")),
        ("en", "96.5", Decimal("96.5")),
        ("en", "0.25", Decimal("0.25")),
        ("en", "1200", Decimal("1200")),
        ("en", "1.5", Decimal("1.5")),
    ],
)
def test_a_number_typed_in_the_locales_notation_is_read(app, locale, text, value):
    with app.app_context():
        assert parse_number(text, locale) == value


@pytest.mark.parametrize(
    ("locale", "text", "says"),
    [
        ("id", "1.5", "“15” or “1,5”"),  # the dot groups thousands in Indonesian: ambiguous
        ("id", "12.50", "“12,5”"),
        ("en", "96,5", "“96.5”"),
        ("en", "1.200,5", "“1,200.5”"),
        ("id", "-5", "negative"),
        ("en", "-5", "negative"),
        ("id", "1,255", "two decimals"),
        ("en", "0.125", "two decimals"),
        ("id", "1e3", "with at most two decimals"),
        ("id", "12,", "with at most two decimals"),
        ("id", "abc", "with at most two decimals"),
        ("id", "NaN", "with at most two decimals"),
        ("id", "١٢", "with at most two decimals"),
        ("id", "1.000.000.000.000", "too large"),
    ],
)
def test_what_is_not_a_clear_number_is_refused_with_the_reason(app, locale, text, says):
    with app.test_request_context(), force_locale("en"):  # the reasons in English
        with pytest.raises(NotANumber) as refused:
            parse_number(text, locale)
        assert says in refused.value.message


@pytest.mark.parametrize(
    ("locale", "value", "shown"),
    [
        ("id", Decimal("1200"), "1.200"),
        ("id", Decimal("1200.50"), "1.200,5"),
        ("id", Decimal("96.5"), "96,5"),
        ("id", Decimal("0.25"), "0,25"),
        ("id", 25000, "25.000"),
        ("en", Decimal("1200.50"), "1,200.5"),
        ("en", Decimal("96.5"), "96.5"),
        ("id", None, ""),
    ],
)
def test_a_stored_number_is_shown_as_the_reader_writes_it(app, locale, value, shown):
    with app.app_context():
        assert format_number(value, locale) == shown
        if value is not None:  # what is shown reads back as the same number
            assert parse_number(shown, locale) == value


def test_a_share_has_one_decimal_in_the_readers_notation(app):
    with app.app_context():
        assert format_share(1, 8, "id") == "12,5"
        assert format_share(1, 8, "en") == "12.5"
        assert format_share(1, 0, "id") == "—"
