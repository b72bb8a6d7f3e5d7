"""The SKM questionnaire's words (Lampiran PermenPANRB 14/2017): questions, answers, profile.

Each of the nine elements has its own four answers, worst (1) to best (4), as the
regulation's questionnaire prints them. The element keys are those of
app.feedback.ikm.SKM_ELEMENTS, in the same order as the answer columns u1..u9.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.feedback.ikm import SKM_ELEMENTS
from app.models.skm import ANSWER_COLUMNS


@dataclass(frozen=True)
class Element:
    """One SKM element: its key, answer column, name, question and answers (score 1 to 4)."""

    key: str
    column: str
    name: str
    question: str
    answers: tuple[str, str, str, str]


_SUITABLE = (_l("Not suitable"), _l("Less suitable"), _l("Suitable"), _l("Very suitable"))

_ELEMENT_TEXT = {
    "persyaratan": (
        _l("Requirements"),
        _l("How well did the requirements of the service suit the kind of service?"),
        _SUITABLE,
    ),
    "prosedur": (
        _l("Systems, mechanisms and procedures"),
        _l("How easy was the procedure of the service at this unit?"),
        (_l("Not easy"), _l("Less easy"), _l("Easy"), _l("Very easy")),
    ),
    "waktu": (
        _l("Completion time"),
        _l("How fast was the service given?"),
        (_l("Not fast"), _l("Less fast"), _l("Fast"), _l("Very fast")),
    ),
    "biaya_tarif": (
        _l("Cost or fee"),
        _l("How fair was the cost or fee of the service?"),
        (_l("Very expensive"), _l("Fairly expensive"), _l("Cheap"), _l("Free of charge")),
    ),
    "produk": (
        _l("Product of the service"),
        _l("How well did what you received match what the service standard promises?"),
        _SUITABLE,
    ),
    "kompetensi_pelaksana": (
        _l("Competence of the staff"),
        _l("How competent were the staff who served you?"),
        (_l("Not competent"), _l("Less competent"), _l("Competent"), _l("Very competent")),
    ),
    "perilaku_pelaksana": (
        _l("Conduct of the staff"),
        _l("How polite and friendly were the staff who served you?"),
        (
            _l("Not polite and friendly"),
            _l("Less polite and friendly"),
            _l("Polite and friendly"),
            _l("Very polite and friendly"),
        ),
    ),
    "sarana_prasarana": (
        _l("Facilities and infrastructure"),
        _l("What was the quality of the facilities and infrastructure?"),
        (_l("Poor"), _l("Adequate"), _l("Good"), _l("Very good")),
    ),
    "penanganan_pengaduan": (
        _l("Handling of complaints, suggestions and input"),
        _l("How are complaints of the users of the service handled?"),
        (
            _l("There is none"),
            _l("There is one, but it does not work"),
            _l("It works, but not fully"),
            _l("It is well managed"),
        ),
    ),
}

ELEMENTS: tuple[Element, ...] = tuple(
    Element(key, column, *_ELEMENT_TEXT[key])
    for key, column in zip(SKM_ELEMENTS, ANSWER_COLUMNS, strict=True)
)

GENDER_LABELS = {"L": _l("Male"), "P": _l("Female")}
EDUCATION_LABELS = {
    "sd": _l("Primary school (SD) or less"),
    "smp": _l("Junior high school (SMP)"),
    "sma": _l("Senior high school (SMA)"),
    "diploma": _l("Diploma (D1, D2, D3, D4)"),
    "s1": _l("Bachelor (S1)"),
    "s2": _l("Master (S2) or higher"),
}
OCCUPATION_LABELS = {
    "pns_tni_polri": _l("Civil servant, TNI or POLRI"),
    "swasta": _l("Private employee"),
    "wiraswasta": _l("Self-employed or entrepreneur"),
    "pelajar": _l("Pupil or student"),
    "lainnya": _l("Other"),
}
