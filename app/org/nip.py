"""NIP (Nomor Induk Pegawai) validation.

A NIP is 18 digits: birth date YYYYMMDD, appointment YYYYMM, sex (1 or 2) and a
three-digit sequence. PPPK numbers follow the same layout.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

MIN_BIRTH_YEAR = 1940
MIN_AGE_AT_APPOINTMENT = 17


class NipError(ValueError):
    """The NIP is malformed; the message is fit for the user."""


@dataclass(frozen=True)
class NipParts:
    birth_date: date
    appointment_year: int
    appointment_month: int
    sex: int
    sequence: str


def parse_nip(raw: str, *, today: date | None = None) -> NipParts:
    """Split a NIP into its parts, raising NipError with a readable reason."""
    today = today or date.today()
    nip = compact_nip(raw)
    if not nip.isdigit() or not nip.isascii():
        raise NipError(_l("NIP must contain digits only."))
    if len(nip) != 18:
        raise NipError(_l("NIP must be exactly 18 digits."))
    try:
        birth = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise NipError(_l("The birth date in the NIP (digits 1-8) is not a real date.")) from None
    if birth.year < MIN_BIRTH_YEAR or birth > today:
        raise NipError(_l("The birth date in the NIP (digits 1-8) is not plausible."))
    year, month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= month <= 12:
        raise NipError(_l("The appointment month in the NIP (digits 9-14) is not a real month."))
    if year < birth.year + MIN_AGE_AT_APPOINTMENT or (year, month) > (today.year, today.month):
        raise NipError(_l("The appointment date in the NIP (digits 9-14) is not plausible."))
    sex = int(nip[14])
    if sex not in (1, 2):
        raise NipError(_l("Digit 15 of the NIP (sex) must be 1 or 2."))
    return NipParts(birth, year, month, sex, nip[15:18])


def compact_nip(raw: str | None) -> str:
    """The NIP as stored: without spaces, which people type in groups. Not checked."""
    return (raw or "").strip().replace(" ", "")
