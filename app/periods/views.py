"""Admin pages for periods: list, create, edit, open (with progress), close/reopen, extensions."""

from datetime import date

import sqlalchemy as sa
from flask import abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectChoice

from app.extensions import db
from app.models import Job, Opd, Period
from app.periods import bp, deadlines, jobs, services
from app.periods.calendar import CALENDAR_FIELDS, departures, proposed_calendar
from app.periods.forms import (
    KIND_LABELS,
    STEP_LABELS,
    CloseForm,
    ExtensionForm,
    OpenPeriodForm,
    PeriodForm,
    ReopenForm,
)
from app.periods.holders import appraisals_without_decider
from app.periods.unresolved import unresolved_employees
from app.policy import permission_required
from app.workflow.engine import engine
from app.workflow.web import localized


def _messages(code: str) -> str:
    return {
        "duplicate": _("There is already a period of this kind in this year."),
        "fixed": _("This cannot change once appraisals have been opened in the period."),
        "closed": _("The period is closed; it cannot be opened."),
        "running": _("The period is already being opened; wait for that job to finish."),
    }[code]


# Why no pejabat penilai could be found (app.org.appraisers.REASONS).
REASON_LABELS = {
    "no_atasan": _l("Nobody up the reporting line satisfies the appraiser rule"),
    "no_kepala_daerah": _l("The rule names the kepala daerah, who is not in SIKAP"),
    "no_sekda": _l("The rule names the sekda, who is not in SIKAP"),
}


def get_period(period_id: int) -> Period:
    return db.session.get(Period, period_id) or abort(404)


def _workflow_choices() -> list[SelectChoice]:
    # A period runs SKP workflows only (not a complaint's, app.workflow.subjects).
    specs = {name: spec for name, spec in engine().specs.items() if spec.subject == "appraisal"}
    return [SelectChoice(name, localized(specs[name].label)) for name in sorted(specs)]


def _save(form: PeriodForm, period: Period | None):
    """Create or update from a valid form; returns the period, or None with the error shown."""
    data = {
        name: form[name].data for name in ("name", "year", "kind", "workflow", "target_breakdown")
    }
    data |= {name: form[name].data for name in CALENDAR_FIELDS}
    data["calendar_reason"] = form.calendar_reason.data
    try:
        if period is None:
            period = services.create_period(data, current_user)
        else:
            services.update_period(period, data, current_user)
    except services.PeriodError as error:
        db.session.rollback()
        if error.code == "calendar_reason":
            moved = departures(data, _dates(period) if period else None)
            names = ", ".join(str(form[name].label.text) for name in moved)
            form.calendar_reason.errors.append(
                _(
                    "These dates differ from the statutory calendar: %(fields)s. "
                    "Give the reason, or propose the statutory dates again.",
                    fields=names,
                )
            )
        else:
            form[error.field].errors.append(_messages(error.code))
        return None
    db.session.commit()
    return period


def _dates(period: Period) -> dict:
    return {name: getattr(period, name) for name in CALENDAR_FIELDS}


def _propose(form: PeriodForm) -> None:
    """Fill the form's dates with the statutory calendar of its year and kind."""
    year, kind = form.year.data, form.kind.data
    if isinstance(year, int) and 2000 <= year <= 2100 and kind in KIND_LABELS:
        for name, value in proposed_calendar(year, kind).items():
            form[name].data = value


@bp.route("/")
@permission_required("periods.manage")
def index():
    """Every period with its status, appraisal count and latest opening job."""
    return render_template(
        "periods/index.html", rows=services.period_overview(), kind_labels=KIND_LABELS
    )


@bp.route("/new", methods=["GET", "POST"])
@permission_required("periods.manage")
def new():
    """Create a period (annual or Triwulan), in status draft, with the statutory dates proposed."""
    form = PeriodForm()
    form.workflow.choices = _workflow_choices()
    if not form.is_submitted():
        form.year.data, form.kind.data = date.today().year, "annual"
        _propose(form)
    elif form.propose.data:
        _propose(form)
        form.calendar_reason.data = ""
    elif form.validate_on_submit() and (period := _save(form, None)):
        flash(_("The period %(name)s has been created.", name=period.name), "success")
        return redirect(url_for("periods.index"))
    return render_template("periods/form.html", form=form, period=None)


@bp.route("/<int:period_id>/edit", methods=["GET", "POST"])
@permission_required("periods.manage")
def edit(period_id: int):
    """Change a period's name, dates and deadlines (away from the statutory ones with a reason)."""
    period = get_period(period_id)
    form = PeriodForm(obj=period)
    form.workflow.choices = _workflow_choices()
    if form.is_submitted() and form.propose.data:
        _propose(form)
    elif form.validate_on_submit() and _save(form, period):
        flash(_("The period has been saved."), "success")
        return redirect(url_for("periods.index"))
    return render_template(
        "periods/form.html",
        form=form,
        period=period,
        changes=services.status_changes(period.id),
        calendar_changes=services.calendar_changes(period.id),
    )


@bp.route("/<int:period_id>/open", methods=["GET", "POST"])
@permission_required("periods.manage")
def open_period(period_id: int):
    """Choose the OPDs and queue the opening of the period; a worker runs it."""
    period = get_period(period_id)
    form = OpenPeriodForm()
    form.opds.choices = [
        SelectChoice(opd.id, f"{opd.code} — {opd.name}")
        for opd in db.session.scalars(sa.select(Opd).order_by(Opd.code))
    ]
    if form.validate_on_submit():
        try:
            job = jobs.start_open_job(period, form.opds.data or None, current_user)
        except jobs.JobRefused as error:
            db.session.rollback()
            flash(_messages(str(error)), "danger")
        else:
            job_id = job.id
            db.session.commit()
            return redirect(url_for("periods.job", job_id=job_id))
    return render_template(
        "periods/open.html",
        form=form,
        period=period,
        running=jobs.running_job(period),
        # Before opening: whom it would skip for want of a pejabat penilai, and why.
        unresolved=unresolved_employees(period, form.opds.data or None),
        reason_labels=REASON_LABELS,
    )


@bp.route("/<int:period_id>/close", methods=["GET", "POST"])
@permission_required("periods.manage")
def close(period_id: int):
    """Confirm closing a period (saying what it stops), then close it, logged."""
    period = get_period(period_id)
    form = CloseForm()
    if period.status == "open" and form.validate_on_submit():
        services.close_period(period, current_user, form.reason.data)
        db.session.commit()
        flash(_("The period has been closed: its SKPs are read-only."), "success")
        return redirect(url_for("periods.close", period_id=period.id))
    return _status_page(period, close_form=form)


@bp.route("/<int:period_id>/reopen", methods=["POST"])
@permission_required("periods.manage")
def reopen(period_id: int):
    """Reopen a closed period, with the reason logged; open tasks come back."""
    period = get_period(period_id)
    form = ReopenForm()
    if period.status == "closed" and form.validate_on_submit():
        services.reopen_period(period, current_user, form.reason.data)
        db.session.commit()
        flash(_("The period has been reopened."), "success")
        return redirect(url_for("periods.close", period_id=period.id))
    return _status_page(period, reopen_form=form, status=422)


def _status_page(period: Period, *, close_form=None, reopen_form=None, status: int = 200):
    skps, tasks = services.open_work(period) if period.status == "open" else (0, 0)
    return render_template(
        "periods/status.html",
        period=period,
        closing_skps=skps,
        closing_tasks=tasks,
        close_form=close_form or CloseForm(formdata=None),
        reopen_form=reopen_form or ReopenForm(formdata=None),
        changes=services.status_changes(period.id),
    ), status


def get_job(job_id: int) -> Job:
    return db.session.get(Job, job_id) or abort(404)


@bp.route("/jobs/<int:job_id>")
@permission_required("periods.manage")
def job(job_id: int):
    """The progress of an opening job; polls the JSON below, refreshes itself without JS."""
    job = get_job(job_id)
    opds = services.opds_by_ids(job.params_dict.get("opd_ids", []))
    # Once the appraisals exist: those whose keberatan nobody in SIKAP could decide.
    stuck = appraisals_without_decider(job.period) if job.status == "done" else []
    return render_template("periods/job.html", job=job, opds=opds, without_decider=stuck)


@bp.route("/jobs/<int:job_id>.json")
@permission_required("periods.manage")
def job_status(job_id: int):
    """The job's status, progress and counts, for the progress bar."""
    job = get_job(job_id)
    return jsonify(
        id=job.id,
        status="failed" if job.is_stale() else job.status,
        finished=job.finished or job.is_stale(),
        done=job.done,
        total=job.total,
        percent=job.percent,
        counts=job.counts_dict,
        error=job.error,
    )


@bp.route("/<int:period_id>/extensions", methods=["GET", "POST"])
@permission_required("periods.manage")
def extensions(period_id: int):
    """Grant a deadline extension to one appraisal; the log of every grant in the period."""
    period = get_period(period_id)
    form = ExtensionForm()
    if form.validate_on_submit():
        appraisal = deadlines.find_appraisal(period.id, form.nip.data)
        if appraisal is None:
            form.nip.errors.append(_("No appraisal in this period for this NIP."))
        else:
            try:
                data = form.data
                deadlines.grant_extension(
                    appraisal, data["step"], data["new_deadline"], data["reason"], current_user
                )
            except deadlines.ExtensionRefused as error:
                db.session.rollback()
                form[error.field].errors.append(error.message)
            else:
                db.session.commit()
                flash(_("The deadline has been extended."), "success")
                return redirect(url_for("periods.extensions", period_id=period.id))
    return render_template(
        "periods/extensions.html",
        form=form,
        period=period,
        rows=deadlines.extensions_of_period(period.id),
        step_labels=STEP_LABELS,
    )
