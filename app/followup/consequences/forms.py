"""The TPP table form: the share of TPP's performance part per predikat (the Perwali's)."""

from flask_babel import lazy_gettext as _l
from wtforms.validators import InputRequired, NumberRange

from app.followup.settings import CommaDecimalField
from app.forms import Form
from app.models.appraisal import PREDIKAT_LABELS


def _share(label):
    return CommaDecimalField(label, places=2, validators=[InputRequired(), NumberRange(0, 1)])


class TppTableForm(Form):
    sangat_baik = _share(PREDIKAT_LABELS["sangat_baik"])
    baik = _share(PREDIKAT_LABELS["baik"])
    butuh_perbaikan = _share(PREDIKAT_LABELS["butuh_perbaikan"])
    kurang = _share(PREDIKAT_LABELS["kurang"])
    sangat_kurang = _share(PREDIKAT_LABELS["sangat_kurang"])
    incomplete = _share(_l("SKP not complete (not final, or no predikat)"))
