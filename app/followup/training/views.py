"""Training and sosialisasi events for admin BKD; the per-OPD sosialisasi table for BKD."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.extensions import db
from app.followup.development.services import discard_certificate, store_certificate
from app.followup.development.views import send_certificate
from app.followup.training import bp
from app.followup.training.forms import ApplyForm, CertificateForm, EventForm, ListForm, NipForm
from app.followup.training.services import (
    KIND_LABELS,
    EventInput,
    ListRefused,
    attach_certificate,
    attendance_of,
    create_event,
    employees_by_nip,
    events,
    mark_attended,
    match,
    read_nips,
    sosialisasi_by_opd,
)
from app.models import Opd
from app.models.development import TrainingAttendance, TrainingEvent
from app.periods.services import all_periods, working_period


def _managing() -> None:
    if not policy.can_manage_training(current_user):
        abort(403)


def _event(event_id: int) -> TrainingEvent:
    _managing()
    return db.session.get(TrainingEvent, event_id) or abort(404)


@bp.route("/pelatihan")
@login_required
def index():
    """Every training and sosialisasi event, newest first."""
    _managing()
    return render_template("training/index.html", rows=events(), kind_labels=KIND_LABELS)


@bp.route("/pelatihan/baru", methods=["GET", "POST"])
@login_required
def new():
    """Create an event."""
    _managing()
    form = EventForm()
    form.opds.choices = [
        (opd.id, opd.name) for opd in db.session.scalars(sa.select(Opd).order_by(Opd.name))
    ]
    if form.validate_on_submit():
        event = create_event(
            current_user,
            EventInput(
                kind=form.kind.data,
                title=form.title.data,
                topic=form.topic.data or None,
                organiser=form.organiser.data,
                start_date=form.start_date.data,
                end_date=form.end_date.data,
                jp=form.jp.data,
                opd_ids=form.opds.data or [],
            ),
        )
        db.session.commit()
        flash(_("The event has been created."), "success")
        return redirect(url_for("training.event", event_id=event.id), 303)
    return render_template("training/new.html", form=form), (422 if form.errors else 200)


def _render_event(event, *, nip_form=None, list_form=None, matched=None, status=200):
    return render_template(
        "training/event.html",
        event=event,
        kind_labels=KIND_LABELS,
        attendance=attendance_of(event),
        nip_form=nip_form or NipForm(prefix="one"),
        list_form=list_form or ListForm(prefix="list"),
        matched=matched,
        apply_form=ApplyForm(prefix="apply"),
        certificate_form=CertificateForm,
    ), status


@bp.route("/pelatihan/<int:event_id>")
@login_required
def event(event_id: int):
    """The event: its attendance, marking by NIP, importing a list, certificates."""
    return _render_event(_event(event_id))


@bp.route("/pelatihan/<int:event_id>/hadir", methods=["POST"])
@login_required
def mark(event_id: int):
    """Mark one employee, by NIP, as attending."""
    event_ = _event(event_id)
    form = NipForm(prefix="one")
    if not form.validate_on_submit():
        return _render_event(event_, nip_form=form, status=422)
    employee = employees_by_nip([form.nip.data]).get(form.nip.data)
    if employee is None:
        form.nip.errors = [_("No active employee has this NIP.")]
        return _render_event(event_, nip_form=form, status=422)
    mark_attended(event_, [employee], current_user)
    db.session.commit()
    flash(_("%(name)s is marked as attending.", name=employee.name), "success")
    return redirect(url_for("training.event", event_id=event_id), 303)


@bp.route("/pelatihan/<int:event_id>/impor", methods=["POST"])
@login_required
def import_dry_run(event_id: int):
    """Read a list and show who would be marked and which NIPs are unknown; writes nothing."""
    event_ = _event(event_id)
    form = ListForm(prefix="list")
    if not form.validate_on_submit():
        return _render_event(event_, list_form=form, status=422)
    try:
        nips = read_nips(form.file.data.filename, form.file.data.read())
    except ListRefused as refused:
        form.file.errors = [refused.message]
        return _render_event(event_, list_form=form, status=422)
    return _render_event(event_, list_form=form, matched=match(event_, nips))


@bp.route("/pelatihan/<int:event_id>/impor/terapkan", methods=["POST"])
@login_required
def import_apply(event_id: int):
    """Mark the employees the dry run matched (matched again here)."""
    event_ = _event(event_id)
    form = ApplyForm(prefix="apply")
    if not form.validate_on_submit():
        abort(400)
    result = match(event_, form.nips.data.split(","))
    added = mark_attended(event_, result.added, current_user)
    db.session.commit()
    flash(_("%(count)d attendees added from the list.", count=added), "success")
    return redirect(url_for("training.event", event_id=event_id), 303)


def _attendance(event_id: int, attendance_id: int) -> TrainingAttendance | None:
    return db.session.scalars(
        sa.select(TrainingAttendance).where(
            TrainingAttendance.id == attendance_id, TrainingAttendance.event_id == event_id
        )
    ).first()


@bp.route("/pelatihan/<int:event_id>/peserta/<int:attendance_id>/sertifikat", methods=["POST"])
@login_required
def upload_certificate(event_id: int, attendance_id: int):
    """Store an attendee's certificate."""
    event_ = _event(event_id)
    attendance = _attendance(event_id, attendance_id) or abort(404)
    form = CertificateForm(prefix=f"cert{attendance.id}")
    if not form.validate_on_submit():
        flash(" ".join(str(m) for ms in form.errors.values() for m in ms), "danger")
        return _render_event(event_, status=422)
    stored = store_certificate(form.checked)
    previous = attendance.certificate_stored
    try:
        attach_certificate(attendance, form.checked, stored)
        db.session.commit()
    except Exception:
        discard_certificate(stored)
        raise
    discard_certificate(previous)
    flash(_("The certificate has been stored."), "success")
    return redirect(url_for("training.event", event_id=event_id), 303)


@bp.route("/pelatihan/<int:event_id>/peserta/<int:attendance_id>/sertifikat")
@login_required
def certificate(event_id: int, attendance_id: int):
    """An attendee's certificate: to admin BKD and the attendee (404 to others)."""
    attendance = _attendance(event_id, attendance_id)
    if attendance is None or not policy.can_view_training_certificate(current_user, attendance):
        abort(404)
    return send_certificate(attendance.certificate_stored, attendance.certificate_name)


@bp.route("/pelatihan/sosialisasi")
@login_required
def sosialisasi():
    """Per OPD: sosialisasi attendance beside SKP completion, to see where it is missing."""
    if not policy.can_view_city_development(current_user):
        abort(403)
    year = request.args.get("year", type=int) or date.today().year
    period = working_period(all_periods())
    return render_template(
        "training/sosialisasi.html",
        year=year,
        period=period,
        rows=sosialisasi_by_opd(year, period),
    )
