"""Admin pages for mid-year changes: a mutasi with a new SKP segment, and planning exclusions."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms import SelectChoice

from app.admin import bp
from app.admin.forms import ExclusionForm, SegmentForm
from app.auth.forms import EmptyForm
from app.extensions import db
from app.models import Employee, Opd, Period, PlanningExclusion, Position, Unit
from app.org.nip import compact_nip
from app.periods.exclusions import ExclusionRefused, exclude, exclusions_of
from app.periods.segments import SegmentRefused, move_employee, open_periods_of
from app.policy import permission_required


def position_choices() -> list[SelectChoice]:
    """Every position, grouped by OPD and unit (optgroups); one query."""
    positions = db.session.execute(
        sa.select(Position.id, Position.name, Opd.name, Unit.name)
        .join(Opd, Opd.id == Position.opd_id)
        .outerjoin(Unit, Unit.id == Position.unit_id)
        .order_by(Opd.name, Unit.name.nulls_first(), Position.name)
    )
    return [
        SelectChoice(pid, name, optgroup=f"{opd} · {unit}" if unit else opd)
        for pid, name, opd, unit in positions
    ]


def segment_form(employee: Employee) -> SegmentForm | None:
    """The mutasi form for the employee's open periods; None when they have no SKP open."""
    periods = open_periods_of(employee.id)
    if not periods:
        return None
    form = SegmentForm()
    form.position_id.choices = position_choices()
    form.period.choices = [
        SelectChoice(
            f"{period.id}-{latest.segment}",
            _("%(period)s (now segment %(n)d)", period=period.name, n=latest.segment),
        )
        for period, latest in periods
    ]
    if request.method == "GET":
        form.position_id.data = employee.position_id
    return form


@bp.route("/employees/<int:employee_id>/segment", methods=["POST"])
@permission_required("appraisals.reassign")
def start_segment_view(employee_id: int):
    """Move the employee to a new jabatan from a date, with a new SKP segment from then."""
    employee = db.session.get(Employee, employee_id) or abort(404)
    here = url_for("admin.employee", employee_id=employee.id)
    form = segment_form(employee)
    if form is None:
        flash(_("%(name)s has no SKP in an open period.", name=employee.name), "danger")
        return redirect(here)
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "danger")
        return redirect(here)
    chosen = form.chosen()
    period = db.session.get(Period, chosen[0]) if chosen else None
    if period is None:
        flash(_("Choose a period."), "danger")
        return redirect(here)
    try:
        started = move_employee(
            employee,
            form.position_id.data,
            period,
            form.move_date.data,
            current_user,
            seen_segment=chosen[1],
        )
    except SegmentRefused as refused:
        db.session.rollback()  # the position change too: nothing half-written
        flash(refused.message, "danger")
        return redirect(here)
    except IntegrityError:
        db.session.rollback()  # the unique segment number: another admin was first
        flash(_("Someone else has just started a new SKP segment for this employee."), "danger")
        return redirect(here)
    db.session.commit()
    flash(
        _(
            "Segment %(n)d of the SKP of %(name)s starts on %(date)s, appraised by %(atasan)s.",
            n=started.segment.segment,
            name=employee.name,
            date=started.segment.start_date.strftime("%d-%m-%Y"),
            atasan=started.segment.appraiser.name if started.segment.appraiser else "—",
        ),
        "success",
    )
    return redirect(here)


@bp.route("/exclusions", methods=["GET", "POST"])
@permission_required("periods.manage")
def exclusions():
    """Employees excluded from SKP planning in a period (tugas belajar, CLTN, ...)."""
    periods = db.session.scalars(
        sa.select(Period).where(Period.status != "closed").order_by(Period.start_date.desc())
    ).all()
    form = ExclusionForm()
    form.period_id.choices = [SelectChoice(p.id, p.name) for p in periods]
    chosen = request.args.get("period", type=int) or (form.period_id.data if periods else None)
    period = next((p for p in periods if p.id == chosen), periods[0] if periods else None)
    if request.method == "GET" and period is not None:
        form.period_id.data = period.id
    if form.validate_on_submit():
        employee = db.session.scalar(
            sa.select(Employee).where(Employee.nip == compact_nip(form.nip.data))
        )
        if employee is None:
            form.nip.errors.append(_("No employee has this NIP."))
        else:
            period = db.session.get(Period, form.period_id.data)
            try:
                exclude(
                    employee,
                    period,
                    form.reason.data,
                    form.start_date.data,
                    form.end_date.data,
                    current_user,
                    form.note.data,
                )
            except ExclusionRefused as refused:
                form[refused.field].errors.append(refused.message)
            else:
                db.session.commit()
                flash(_("%(name)s is excluded from planning.", name=employee.name), "success")
                return redirect(url_for("admin.exclusions", period=period.id))
    return render_template(
        "admin/exclusions.html",
        form=form,
        periods=periods,
        period=period,
        rows=exclusions_of(period.id) if period else [],
        button=EmptyForm(),
    )


@bp.route("/exclusions/<int:exclusion_id>/delete", methods=["POST"])
@permission_required("periods.manage")
def delete_exclusion(exclusion_id: int):
    """Take an exclusion back (entered by mistake, or the employee returned early)."""
    exclusion = db.session.get(PlanningExclusion, exclusion_id) or abort(404)
    period_id = exclusion.period_id
    if EmptyForm().validate_on_submit():
        db.session.delete(exclusion)
        db.session.commit()
        flash(_("The exclusion has been removed."), "success")
    return redirect(url_for("admin.exclusions", period=period_id))
