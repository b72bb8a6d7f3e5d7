"""Self-assessment forms: realisasi per IKI, bukti dukung (a file or a link), removing one.

Every form carries the appraisal's version as it was when it was rendered: a
form from an earlier step is refused, never applied.
"""

from __future__ import annotations

from decimal import Decimal

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from app.forms import VersionedForm, strip
from app.models import Iki
from app.skp.assessment.evidence import ACCEPTED_EXTENSIONS, UploadRejected, check_upload, check_url
from app.skp.numbers import NotANumber, format_number, parse_number

MAX_REALISASI_TEXT = 2000


class RemoveEvidenceForm(VersionedForm):
    """Only the version and the CSRF token: the button says what to remove."""


def _number(form, field) -> None:
    try:
        parse_number(field.data)
    except NotANumber as error:
        raise ValidationError(error.message) from None


def realisasi_form_class(
    ikis: list[Iki], utama: set[int] = frozenset(), prefilled: dict[int, Decimal] | None = None
) -> type[VersionedForm]:
    """A form with one realisasi field per IKI, `iki_<id>`: a number or a text, as the target.

    Each IKI UTAMA (ids in `utama`) also gets `reason_<id>`: why it has no bukti dukung.
    Each annual IKI pre-filled from its quarters (`prefilled`, app/skp/periodic.py) gets
    `change_<id>`: why the pegawai changed that value, required when they did.
    """
    prefilled = dict(prefilled or {})
    fields = {"utama_ids": frozenset(utama), "prefilled": prefilled, "validate": _validate}
    for iki_id in prefilled:
        fields[f"change_{iki_id}"] = TextAreaField(
            _l("Why does it differ from the quarters?"),
            filters=[strip],
            validators=[Optional(), Length(max=MAX_REALISASI_TEXT)],
            render_kw={"rows": 2},
        )
    for iki_id in utama:
        fields[f"reason_{iki_id}"] = TextAreaField(
            _l("No bukti dukung? Write why"),
            filters=[strip],
            validators=[Optional(), Length(max=MAX_REALISASI_TEXT)],
            render_kw={"rows": 2},
        )
    for iki in ikis:
        if iki.target_kind == "number":
            fields[f"iki_{iki.id}"] = StringField(
                _l("Realisasi"), filters=[strip], validators=[Length(max=20), _number]
            )
        else:
            fields[f"iki_{iki.id}"] = TextAreaField(
                _l("Realisasi"),
                filters=[strip],
                validators=[Optional(), Length(max=MAX_REALISASI_TEXT)],
                render_kw={"rows": 2},
            )
    return type("RealisasiForm", (VersionedForm,), fields)


def _validate(form, extra_validators=None) -> bool:
    """The fields' own checks, then: a changed pre-filled realisasi needs a reason."""
    ok = VersionedForm.validate(form, extra_validators)
    for iki_id, expected in form.prefilled.items():
        value, reason = form[f"iki_{iki_id}"], form[f"change_{iki_id}"]
        if value.errors or reason.data:
            continue
        typed = parse_number(value.data)
        if typed is not None and typed != expected:
            reason.errors = [
                *reason.errors,
                str(
                    _l(
                        "The realisasi differs from the %(value)s pre-filled from the quarters:"
                        " write why.",
                        value=format_number(expected),
                    )
                ),
            ]
            ok = False
    return ok


def change_reasons(form: VersionedForm) -> dict[int, str | None]:
    """The reasons typed for changing a pre-filled annual realisasi, by IKI id (those sent)."""
    return {
        iki_id: form[f"change_{iki_id}"].data or None
        for iki_id in form.prefilled
        if form[f"change_{iki_id}"].raw_data
    }


def realisasi_values(form: VersionedForm, ikis: list[Iki]) -> dict:
    """The validated realisasi by IKI id: a Decimal, a text, or None when left blank.

    An IKI whose field was not sent at all is left out, so that it is not cleared.
    """
    values = {}
    for iki in ikis:
        field = form[f"iki_{iki.id}"]
        if not field.raw_data:
            continue
        data = field.data
        values[iki.id] = parse_number(data) if iki.target_kind == "number" else (data or None)
    return values


def evidence_reasons(form: VersionedForm) -> dict[int, str | None]:
    """The reasons typed for IKI UTAMA without bukti dukung, by IKI id (those sent only)."""
    return {
        iki_id: form[f"reason_{iki_id}"].data or None
        for iki_id in form.utama_ids
        if form[f"reason_{iki_id}"].raw_data
    }


class EvidenceFileForm(VersionedForm):
    """One file; its content is checked here, so that a refusal lands on the field."""

    file = FileField(
        _l("File (PDF, JPEG, PNG, XLSX, DOCX; at most 10 MB)"),
        validators=[FileRequired(_l("Choose a file."))],
        render_kw={"accept": ",".join(ACCEPTED_EXTENSIONS)},
    )
    checked = None

    def validate_file(self, field) -> None:
        try:
            self.checked = check_upload(
                field.data.filename, field.data.stream, current_app.config["EVIDENCE_MAX_BYTES"]
            )
        except UploadRejected as error:
            raise ValidationError(error.message) from None


class EvidenceLinkForm(VersionedForm):
    url = StringField(_l("Link (http or https)"), filters=[strip])

    def validate_url(self, field) -> None:
        try:
            field.data = check_url(field.data)
        except UploadRejected as error:
            raise ValidationError(error.message) from None
