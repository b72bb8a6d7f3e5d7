"""NIP validation: 18 digits, a real birth date, a real appointment month, sex 1 or 2."""

from datetime import date

import pytest
from flask_babel import force_locale

from app.org.nip import NipError, parse_nip

TODAY = date(2026, 11, 27)
FULLWIDTH = {ord(d): 0xFF10 + int(d) for d in "0123456789"}  # digits typed on a CJK keyboard


@pytest.mark.parametrize(
    ("nip", "birth", "appointed", "sex"),
    [
        ("198503122010031001", date(1985, 3, 12), (2010, 3), 1),
        ("199912312024122002", date(1999, 12, 31), (2024, 12), 2),
        ("1985 0312 2010 03 1 001", date(1985, 3, 12), (2010, 3), 1),  # typed with spaces
        ("200002292020011123", date(2000, 2, 29), (2020, 1), 1),  # leap day
    ],
)
def test_valid_nip_is_split_into_its_parts(nip, birth, appointed, sex):
    parts = parse_nip(nip, today=TODAY)
    assert parts.birth_date == birth
    assert (parts.appointment_year, parts.appointment_month) == appointed
    assert parts.sex == sex


@pytest.mark.parametrize(
    ("nip", "reason"),
    [
        ("", "digits only"),
        ("19850312201003100A", "digits only"),
        ("198503122010031001".translate(FULLWIDTH), "digits only"),
        ("19850312201003100", "exactly 18 digits"),
        ("1985031220100310011", "exactly 18 digits"),
        ("198502302010031001", "birth date in the NIP (digits 1-8) is not a real date"),
        ("198513122010031001", "birth date in the NIP (digits 1-8) is not a real date"),
        ("190003122010031001", "birth date in the NIP (digits 1-8) is not plausible"),
        ("202701012045011001", "birth date in the NIP (digits 1-8) is not plausible"),
        ("198503122010131001", "appointment month in the NIP (digits 9-14) is not a real month"),
        ("198503122010001001", "appointment month in the NIP (digits 9-14) is not a real month"),
        ("198503121990031001", "appointment date in the NIP (digits 9-14) is not plausible"),
        ("198503122027011001", "appointment date in the NIP (digits 9-14) is not plausible"),
        ("198503122010033001", "Digit 15 of the NIP (sex) must be 1 or 2"),
        ("198503122010030001", "Digit 15 of the NIP (sex) must be 1 or 2"),
    ],
)
def test_invalid_nip_is_refused_with_its_reason(plain_app, nip, reason):
    with pytest.raises(NipError) as raised:
        parse_nip(nip, today=TODAY)
    with force_locale("en"):
        assert reason in str(raised.value)


def test_nip_message_is_indonesian_by_default(plain_app):
    with pytest.raises(NipError) as raised:
        parse_nip("12345", today=TODAY)
    assert str(raised.value) == "NIP harus tepat 18 digit."
