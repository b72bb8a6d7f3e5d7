"""Self-assessment pages: realisasi per IKI, bukti dukung (files and links), their download."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.appraisals.queries import get_appraisal
from app.extensions import db
from app.models import Appraisal
from app.policy import can_edit_realisasi
from app.skp import bp
from app.skp.assessment.evidence import (
    UploadRejected,
    add_file,
    add_link,
    appraisal_evidence,
    appraisal_iki,
    discard_file,
    evidence_path,
    remove_evidence,
)
from app.skp.assessment.forms import (
    EvidenceFileForm,
    EvidenceLinkForm,
    RemoveEvidenceForm,
    change_reasons,
    evidence_reasons,
    realisasi_form_class,
    realisasi_values,
)
from app.skp.assessment.services import assessment_problems, save_realisasi
from app.skp.assessment.skm import bound_ikis, bound_values
from app.skp.numbers import format_number
from app.skp.pages import is_appraisee, page_context, refuse_edit, stale_redirect
from app.skp.periodic import part_labels, prefills, quarter_actions, quarters_of
from app.skp.plan.forms import ACCUMULATION_LABELS, GROUP_LABELS
from app.skp.plan.services import plan_rows
from app.workflow.engine import available
from app.workflow.errors import StaleState


def _ikis(rows) -> list:
    return [iki for rhk in rows for iki in rhk.ikis]


def _typed_ikis(rows) -> list:
    """The IKI whose realisasi is typed: not those read from a unit layanan's IKM."""
    return [iki for iki in _ikis(rows) if iki.service_unit_id is None]


def _form_class(rows, prefilled: dict):
    """The realisasi form of these plan rows (a reason field for each IKI UTAMA, and for
    each annual IKI pre-filled from its quarters); a bound IKI has no field."""
    typed = _typed_ikis(rows)
    utama = {iki.id for rhk in rows if rhk.group_ == "utama" for iki in rhk.ikis} & {
        iki.id for iki in typed
    }
    return realisasi_form_class(typed, utama, prefilled)


def _prefilled(appraisal: Appraisal, rows) -> tuple[dict, dict]:
    """An annual appraisal's quarters per IKI, and the realisasi pre-filled from them
    (not for an IKI bound to a unit layanan: it reads the year's IKM)."""
    quarters = quarters_of(appraisal)
    return quarters, prefills(_typed_ikis(rows), quarters)


def _render(
    appraisal: Appraisal,
    *,
    form=None,
    file_forms: dict | None = None,
    link_forms: dict | None = None,
    status: int = 200,
):
    """The realisasi page; forms passed in (with their errors) replace the fresh ones."""
    rows = plan_rows(appraisal.id)
    ikis = _ikis(rows)
    quarters, prefilled = _prefilled(appraisal, rows)
    editable = can_edit_realisasi(current_user, appraisal)
    version = {"version": appraisal.version}
    bound = bound_ikis(appraisal, ikis)
    if editable and form is None:
        data = (
            {
                f"iki_{iki.id}": format_number(_shown(iki, prefilled))
                if iki.target_kind == "number"
                else (iki.realisasi_text or "")
                for iki in ikis
                if iki.id not in bound
            }
            | {f"reason_{iki.id}": iki.evidence_reason or "" for iki in ikis}
            | {f"change_{iki.id}": iki.realisasi_reason or "" for iki in ikis}
        )
        form = _form_class(rows, prefilled)(formdata=None, data=data | version)
    file_forms = file_forms or {}
    link_forms = link_forms or {}
    if editable:
        for iki in ikis:
            file_forms.setdefault(iki.id, EvidenceFileForm(formdata=None, data=version))
            link_forms.setdefault(iki.id, EvidenceLinkForm(formdata=None, data=version))
    return render_template(
        "skp/realisasi.html",
        **page_context(appraisal),
        rows=rows,
        form=form if editable else None,
        file_forms=file_forms,
        link_forms=link_forms,
        remove_form=RemoveEvidenceForm(formdata=None, data=version) if editable else None,
        # Read from the rows loaded here (no query), by the submit guards' rules.
        missing=" ".join(assessment_problems(rows)) if editable else None,
        group_labels=GROUP_LABELS,
        actions=available(appraisal, current_user),
        quarters=quarters,
        prefilled=prefilled,
        # IKI whose realisasi is their unit layanan's IKM for the period (read-only).
        bound=bound,
        # A quarter's appraisal: the rencana aksi agreed for it in the annual plan.
        actions_planned=quarter_actions(appraisal),
        quarter_labels=part_labels(4),
        accumulation_labels=ACCUMULATION_LABELS,
    ), status


def _shown(iki, prefilled: dict):
    """The annual realisasi to show: what is recorded, else the value from the quarters."""
    return iki.realisasi_value if iki.realisasi_value is not None else prefilled.get(iki.id)


def _editable_or_refuse(appraisal: Appraisal):
    if not can_edit_realisasi(current_user, appraisal):
        return refuse_edit(appraisal, own_side=is_appraisee(appraisal), endpoint="skp.realisasi")
    return None


@bp.route("/appraisals/<int:appraisal_id>/realisasi", methods=["GET"])
@login_required
def realisasi(appraisal_id: int):
    """Realisasi and bukti dukung per IKI: editable by the appraisee in self-assessment."""
    return _render(get_appraisal(appraisal_id))


@bp.route("/appraisals/<int:appraisal_id>/realisasi", methods=["POST"])
@login_required
def record_realisasi(appraisal_id: int):
    """Save the realisasi typed so far (allowed at any time during the self-assessment)."""
    appraisal = get_appraisal(appraisal_id)
    if refused := _editable_or_refuse(appraisal):
        return refused
    rows = plan_rows(appraisal.id)
    ikis = _typed_ikis(rows)
    prefilled = _prefilled(appraisal, rows)[1]
    form = _form_class(rows, prefilled)()
    if not form.validate():
        flash(_("The realisasi was not saved: please correct the marked fields."), "danger")
        return _render(appraisal, form=form, status=422)
    try:
        save_realisasi(
            appraisal,
            current_user,
            realisasi_values(form, ikis),
            seen_version=form.version.data,
            reasons=evidence_reasons(form),
            prefilled=prefilled,
            changes=change_reasons(form),
            bound=bound_values(bound_ikis(appraisal, _ikis(rows))),
        )
    except StaleState:
        return stale_redirect(appraisal, "skp.realisasi")
    db.session.commit()
    flash(_("The realisasi has been saved."), "success")
    return redirect(url_for("skp.realisasi", appraisal_id=appraisal.id), 303)


def _typed(appraisal: Appraisal, rows: list) -> tuple:
    """The realisasi posted beside an evidence action (unsaved.js copies it in), and its values.

    Typing a realisasi, then uploading for another IKI, must not lose what was
    typed: it is validated with the action and saved in the same transaction.
    The values are (realisasi, reasons for no bukti dukung), or None when invalid.
    """
    prefilled = _prefilled(appraisal, rows)[1]
    form = _form_class(rows, prefilled)()
    if not form.validate():
        return form, None
    values = realisasi_values(form, _typed_ikis(rows))
    bound = bound_values(bound_ikis(appraisal, _ikis(rows)))
    return form, (values, evidence_reasons(form), prefilled, change_reasons(form), bound)


def _save_typed(appraisal: Appraisal, values: tuple, version: int) -> None:
    realisasi, reasons, prefilled, changes, bound = values
    if realisasi or reasons or bound:
        save_realisasi(
            appraisal,
            current_user,
            realisasi,
            seen_version=version,
            reasons=reasons,
            prefilled=prefilled,
            changes=changes,
            bound=bound,
        )


@bp.route("/appraisals/<int:appraisal_id>/iki/<int:iki_id>/evidence/file", methods=["POST"])
@login_required
def add_evidence_file(appraisal_id: int, iki_id: int):
    """Upload one file as bukti dukung of an IKI, saving the realisasi typed beside it."""
    return _add_evidence(
        appraisal_id,
        iki_id,
        EvidenceFileForm(),
        field="file",
        forms="file_forms",
        add=lambda appraisal, iki, form: (
            add_file(
                appraisal, iki, current_user, form.checked, seen_version=form.version.data
            ).stored_name
        ),
        done=_("The file has been added."),
    )


@bp.route("/appraisals/<int:appraisal_id>/iki/<int:iki_id>/evidence/link", methods=["POST"])
@login_required
def add_evidence_link(appraisal_id: int, iki_id: int):
    """Add a link (http or https) as bukti dukung of an IKI, saving the realisasi typed too."""
    return _add_evidence(
        appraisal_id,
        iki_id,
        EvidenceLinkForm(),
        field="url",
        forms="link_forms",
        add=lambda appraisal, iki, form: (
            add_link(appraisal, iki, current_user, form.url.data, seen_version=form.version.data)
            and None
        ),
        done=_("The link has been added."),
    )


def _store_file(appraisal: Appraisal, iki, form: EvidenceFileForm) -> str:
    """Store the checked file; its stored name, to remove if the commit fails."""
    evidence = add_file(appraisal, iki, current_user, form.checked, seen_version=form.version.data)
    return evidence.stored_name


def _store_link(appraisal: Appraisal, iki, form: EvidenceLinkForm) -> None:
    """Record the link; no file to remove if the commit fails."""
    add_link(appraisal, iki, current_user, form.url.data, seen_version=form.version.data)


def _add_evidence(appraisal_id: int, iki_id: int, form, *, field: str, forms: str, add, done: str):
    """Add one bukti dukung with `add` (which returns the stored file's name, if any).

    The realisasi typed on the page travels with the action and is saved in the
    same transaction; a refusal shows the page again with what was typed.
    """
    appraisal = get_appraisal(appraisal_id)
    if refused := _editable_or_refuse(appraisal):
        return refused
    iki = appraisal_iki(appraisal, iki_id) or abort(404)
    typed, values = _typed(appraisal, plan_rows(appraisal.id))
    if not form.validate() or values is None:
        return _render(appraisal, form=typed, **{forms: {iki.id: form}}, status=422)
    try:
        _save_typed(appraisal, values, form.version.data)
        stored = add(appraisal, iki, form)
    except StaleState:
        return stale_redirect(appraisal, "skp.realisasi")
    except UploadRejected as refused:
        db.session.rollback()
        form[field].errors = [refused.message]
        return _render(appraisal, form=typed, **{forms: {iki.id: form}}, status=422)
    _commit_or_discard(stored)
    flash(done, "success")
    return redirect(url_for("skp.realisasi", appraisal_id=appraisal_id, _anchor=f"iki-{iki_id}"))


def _commit_or_discard(stored: str | None) -> None:
    """Commit; if that fails, the file just written must not stay behind."""
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        discard_file(stored)
        raise


@bp.route("/appraisals/<int:appraisal_id>/evidence/<int:evidence_id>/remove", methods=["POST"])
@login_required
def withdraw_evidence(appraisal_id: int, evidence_id: int):
    """Remove bukti dukung while the self-assessment is still open, saving the typed realisasi."""
    appraisal = get_appraisal(appraisal_id)
    if refused := _editable_or_refuse(appraisal):
        return refused
    evidence = appraisal_evidence(appraisal, evidence_id) or abort(404)
    form = RemoveEvidenceForm()
    if not form.validate():
        abort(400)
    typed, values = _typed(appraisal, plan_rows(appraisal.id))
    if values is None:
        return _render(appraisal, form=typed, status=422)
    try:
        _save_typed(appraisal, values, form.version.data)
        stored = remove_evidence(appraisal, evidence, current_user, seen_version=form.version.data)
    except StaleState:
        return stale_redirect(appraisal, "skp.realisasi")
    db.session.commit()
    discard_file(stored)
    flash(_("The bukti dukung has been removed."), "success")
    return redirect(url_for("skp.realisasi", appraisal_id=appraisal.id), 303)


@bp.route("/appraisals/<int:appraisal_id>/evidence/<int:evidence_id>")
def download_evidence(appraisal_id: int, evidence_id: int):
    """A stored file, as an attachment, to those who may see the appraisal (404 to others)."""
    appraisal = get_appraisal(appraisal_id)
    evidence = appraisal_evidence(appraisal, evidence_id) or abort(404)
    path = evidence_path(evidence) or abort(404)
    response = send_file(
        path,
        mimetype=evidence.content_type or "application/octet-stream",
        as_attachment=True,
        download_name=evidence.filename or evidence.stored_name,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    # Opened anyway (e.g. a PDF viewer in the browser), it cannot run scripts as this site.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
