"""Forms: the capaian kinerja organisasi of one satuan organisasi, and the predikat table."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, StringField, TextAreaField, ValidationError
from wtforms.validators import InputRequired, Length
from wtforms.widgets import HiddenInput

from app.forms import Form, strip
from app.skp import scoring
from app.skp.numbers import NotANumber, format_number, parse_number
from app.skp.orgkinerja.services import MAX_CAPAIAN
from app.workflow.forms import MAX_COMMENT


def percent_field(label) -> StringField:
    """A percentage typed in the user's notation (96,5 in Indonesian), checked by `_percent`."""
    return StringField(label, filters=[strip], render_kw={"inputmode": "decimal"})


def _percent(field) -> Decimal:
    try:
        value = parse_number(field.data)
    except NotANumber as error:
        raise ValidationError(error.message) from None
    if value is None:
        raise ValidationError(_l("Enter the capaian in %."))
    if value > MAX_CAPAIAN:
        raise ValidationError(
            _l("The capaian is at most %(max)s%%.", max=format_number(MAX_CAPAIAN))
        )
    return value


class AchievementForm(Form):
    """The capaian (%) of the OPD or unit in the period, why, and the version seen."""

    capaian = percent_field(_l("Capaian kinerja organisasi (%)"))
    reason = TextAreaField(
        _l("Reason"),
        validators=[InputRequired(_l("Write the reason.")), Length(max=MAX_COMMENT)],
        filters=[strip],
        render_kw={"rows": 3},
    )
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])

    def validate_capaian(self, field) -> None:
        self.value = _percent(field)


class BandsForm(Form):
    """The lowest capaian of each organisation predikat above the lowest (which starts at 0)."""

    istimewa = percent_field(scoring.ORG_PREDIKAT_LABELS["istimewa"])
    baik = percent_field(scoring.ORG_PREDIKAT_LABELS["baik"])
    butuh_perbaikan = percent_field(scoring.ORG_PREDIKAT_LABELS["butuh_perbaikan"])
    kurang = percent_field(scoring.ORG_PREDIKAT_LABELS["kurang"])
    reason = TextAreaField(
        _l("Reason for the change"),
        validators=[InputRequired(_l("Write the reason.")), Length(max=MAX_COMMENT)],
        filters=[strip],
        render_kw={"rows": 3},
    )
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])

    EDITABLE = ("istimewa", "baik", "butuh_perbaikan", "kurang")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        self.thresholds: dict[str, Decimal] = {"sangat_kurang": Decimal(0)}
        for key in self.EDITABLE:
            field = self[key]
            try:
                self.thresholds[key] = _percent(field)
            except ValidationError as error:
                field.errors = [*field.errors, str(error)]
                valid = False
        if valid and scoring.check_bands(self.thresholds):
            self.istimewa.errors = [
                *self.istimewa.errors,
                str(
                    _l(
                        "Each threshold must be above the next one down "
                        "(Istimewa > Baik > Butuh Perbaikan > Kurang > 0)."
                    )
                ),
            ]
            valid = False
        return valid
