"""What the SKM's stored codes mean to a reader: profile answers and age bands."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

GENDER_LABELS = {"L": _l("Male"), "P": _l("Female")}
EDUCATION_LABELS = {
    "sd": _l("Primary school (SD)"),
    "smp": _l("Junior high school (SMP)"),
    "sma": _l("Senior high school (SMA)"),
    "diploma": _l("Diploma (D1-D4)"),
    "s1": _l("Bachelor (S1)"),
    "s2": _l("Master or higher (S2/S3)"),
}
OCCUPATION_LABELS = {
    "pns_tni_polri": _l("PNS/TNI/Polri"),
    "swasta": _l("Private employee"),
    "wiraswasta": _l("Self-employed"),
    "pelajar": _l("Student"),
    "lainnya": _l("Other"),
}
# (lowest age, highest age, label): the age bands of the report's profile.
AGE_BANDS = (
    (10, 19, _l("under 20")),
    (20, 29, "20-29"),
    (30, 39, "30-39"),
    (40, 49, "40-49"),
    (50, 110, _l("50 and over")),
)
