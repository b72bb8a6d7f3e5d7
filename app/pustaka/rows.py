"""One library entry as plain data, checked: the same rules for the form, the XLSX and the seed.

`check_row` reads text cells (or numbers, from a spreadsheet) and returns the
entry's values, or the list of what is wrong with them, in the user's language.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

from app.models.pustaka import FUNCTIONS
from app.models.skp import ASPECTS, DIRECTIONS

MAX_TEXT = 1000
MAX_UNIT = 50
MAX_NUMBER = Decimal("999999999999.99")
CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,19}$")

FUNCTION_LABELS = {
    "administrasi_umum": _l("General administration"),
    "keuangan": _l("Finance"),
    "kepegawaian": _l("Personnel (SDM aparatur)"),
    "perencanaan": _l("Planning and policy analysis"),
    "teknologi_informasi": _l("Information technology"),
    "pengawasan": _l("Internal audit and supervision"),
    "kesehatan": _l("Health services"),
    "pendidikan": _l("Education"),
    "kependudukan": _l("Population administration (Dukcapil)"),
    "perizinan": _l("Licensing (PTSP)"),
    "ketertiban": _l("Public order (Satpol PP)"),
    "penyuluhan": _l("Extension services (penyuluhan)"),
    "kewilayahan": _l("Kecamatan and kelurahan"),
    "sosial": _l("Social services"),
}
assert tuple(FUNCTION_LABELS) == FUNCTIONS

# The columns of the XLSX, in order: (field, header). Headers are Indonesian, as
# the people filling the sheet write them; they are data, not interface text.
COLUMNS = (
    ("code", "kode"),
    ("function", "fungsi"),
    ("jabatan", "jabatan"),
    ("rhk_text", "rhk"),
    ("iki_text", "iki"),
    ("aspect", "aspek"),
    ("unit", "satuan"),
    ("direction", "arah"),
    ("target_min", "target_min"),
    ("target_max", "target_max"),
    ("target_text", "target_teks"),
    ("measurement", "cara_ukur"),
    ("evidence", "bukti_dukung"),
)
REQUIRED = ("code", "function", "jabatan", "rhk_text", "iki_text", "aspect", "direction")
REQUIRED += ("measurement", "evidence")


@dataclass
class EntryData:
    """An entry's values as checked (jabatan one name per line)."""

    code: str
    function: str
    jabatan: str
    rhk_text: str
    iki_text: str
    aspect: str
    unit: str | None
    direction: str
    target_min: Decimal | None
    target_max: Decimal | None
    target_text: str | None
    measurement: str
    evidence: str

    def values(self) -> dict:
        return asdict(self)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _number(value) -> Decimal | None:
    """A cell's number: a spreadsheet number, or text with one decimal separator."""
    if value is None or _text(value) == "":
        return None
    if isinstance(value, bool):
        raise InvalidOperation
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        text = _text(value).replace(" ", "")
        # "1.200" is twelve hundred in Indonesian and 1.2 in English: refused, not guessed.
        if text.count(",") + text.count(".") > 1 or re.search(r"[.,][0-9]{3}$", text):
            raise InvalidOperation
        number = Decimal(text.replace(",", "."))
    if not number.is_finite() or number < 0 or number > MAX_NUMBER:
        raise InvalidOperation
    return number.quantize(Decimal("0.01"))


def _jabatan(value) -> str:
    """One name per line, whether separated by lines or by ';' (a spreadsheet cell)."""
    names = [n.strip() for n in re.split(r"[\n;]", _text(value))]
    return "\n".join(dict.fromkeys(n for n in names if n))


def check_row(cells: dict) -> tuple[EntryData | None, list[str]]:
    """The entry's values, or None and what is wrong (one message per problem)."""
    raw = {name: cells.get(name) for name, _header in COLUMNS}
    text = {name: _text(value) for name, value in raw.items()}
    text["code"] = text["code"].upper()
    text["jabatan"] = _jabatan(raw["jabatan"])
    errors: list[str] = []
    headers = dict(COLUMNS)
    for name in REQUIRED:
        if not text[name]:
            errors.append(str(_l("Column “%(column)s” is empty.", column=headers[name])))
    for name in ("rhk_text", "iki_text", "measurement", "evidence", "target_text", "jabatan"):
        if len(text[name]) > MAX_TEXT:
            errors.append(str(_l("Column “%(column)s” is too long.", column=headers[name])))
    if len(text["unit"]) > MAX_UNIT:
        errors.append(str(_l("Column “%(column)s” is too long.", column=headers["unit"])))
    if text["code"] and not CODE.match(text["code"]):
        errors.append(str(_l("The code may have only letters, digits and '-', e.g. KES-001.")))
    for name, allowed in (("function", FUNCTIONS), ("aspect", ASPECTS), ("direction", DIRECTIONS)):
        if text[name] and text[name] not in allowed:
            errors.append(
                str(
                    _l(
                        "“%(value)s” is not a valid %(column)s; use one of: %(allowed)s.",
                        value=text[name],
                        column=headers[name],
                        allowed=", ".join(allowed),
                    )
                )
            )
    numbers: dict[str, Decimal | None] = {}
    for name in ("target_min", "target_max"):
        try:
            numbers[name] = _number(raw[name])
        except (InvalidOperation, ValueError):
            numbers[name] = None
            errors.append(
                str(
                    _l(
                        "Column “%(column)s” is not a number of 0 or more"
                        " (write it without thousands separators, e.g. 1200 or 96,5).",
                        column=headers[name],
                    )
                )
            )
    low, high = numbers["target_min"], numbers["target_max"]
    if low is not None and high is not None and low > high:
        errors.append(str(_l("target_min is larger than target_max.")))
    if text["direction"] == "quality":
        if not text["target_text"]:
            errors.append(str(_l("A qualitative IKI needs its suggested target in target_teks.")))
    elif text["direction"] in DIRECTIONS:
        if not text["unit"]:
            errors.append(str(_l("A numeric IKI needs its unit (satuan).")))
        if low is None and high is None:
            errors.append(
                str(_l("A numeric IKI needs a suggested target (target_min/target_max)."))
            )
    if errors:
        return None, errors
    return (
        EntryData(
            code=text["code"],
            function=text["function"],
            jabatan=text["jabatan"],
            rhk_text=text["rhk_text"],
            iki_text=text["iki_text"],
            aspect=text["aspect"],
            unit=text["unit"] or None,
            direction=text["direction"],
            target_min=low,
            target_max=high,
            target_text=text["target_text"] or None,
            measurement=text["measurement"],
            evidence=text["evidence"],
        ),
        [],
    )
