"""Unit layanan pages: the list, a unit's form with its jenis layanan, and the posters."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.extensions import db, render_quota
from app.feedback import posters
from app.feedback.units import bp, services
from app.feedback.units.forms import KindForm, UnitForm
from app.models import Opd, ServiceKind, ServiceUnit


def managed_unit(unit_id: int) -> ServiceUnit:
    """The unit, if the signed-in user manages its OPD: 404 if none, 403 if not theirs."""
    unit = services.get_unit(unit_id)
    if unit is None:
        abort(404)
    if not policy.can_manage_service_units(current_user, unit.opd_id):
        abort(403)
    return unit


def _managed_opd(opd_id: int | None) -> Opd:
    opd = db.session.get(Opd, opd_id) if opd_id else None
    if opd is None:
        abort(404)
    if not policy.can_manage_service_units(current_user, opd.id):
        abort(403)
    return opd


def _scope() -> list[int] | None:
    """The OPDs the user manages (None: all); 403 for whoever manages none."""
    scope = policy.service_unit_opds(current_user)
    if scope == []:
        abort(403)
    return scope


def _stale(unit_id: int):
    flash(
        _(
            "Someone else saved this unit layanan first. Nothing was saved; "
            "check the unit as it is now and try again."
        ),
        "warning",
    )
    return redirect(url_for("service_units.edit", unit_id=unit_id), 303)


@bp.route("/unit-layanan")
@login_required
def index():
    """The units of the OPDs the user manages (admin BKD: every OPD, or the chosen one)."""
    scope = _scope()
    opds = services.opds(scope)
    chosen = request.args.get("opd", type=int)
    if chosen is not None and not policy.can_manage_service_units(current_user, chosen):
        abort(403)
    shown = [chosen] if chosen is not None else scope
    return render_template(
        "feedback/units/index.html",
        units=services.units_of(shown),
        opds=opds,
        chosen=chosen,
        public_url=posters.public_url,
    )


@bp.route("/unit-layanan/baru", methods=["GET", "POST"])
@login_required
def new():
    """A new unit of an OPD (chosen first when the user manages several)."""
    scope = _scope()
    opd_id = request.args.get("opd", type=int)
    if opd_id is None and scope is not None and len(scope) == 1:
        opd_id = scope[0]
    if opd_id is None:
        return render_template("feedback/units/choose_opd.html", opds=services.opds(scope))
    opd = _managed_opd(opd_id)
    form = UnitForm(data={"version": 0, "active": True})
    form.set_choices(services.org_units(opd.id), services.positions(opd.id))
    if form.validate_on_submit():
        unit = services.create_unit(opd, form.data_for_service())
        unit_id = unit.id
        db.session.commit()
        flash(_("The unit layanan has been added. Add its jenis layanan below."), "success")
        return redirect(url_for("service_units.edit", unit_id=unit_id), 303)
    status = 422 if form.is_submitted() else 200
    return render_template("feedback/units/form.html", form=form, opd=opd, unit=None), status


@bp.route("/unit-layanan/<int:unit_id>", methods=["GET", "POST"])
@login_required
def edit(unit_id: int):
    """A unit: its fields, serving positions and jenis layanan (versioned)."""
    unit = managed_unit(unit_id)
    form = UnitForm() if request.method == "POST" else _filled(unit)
    form.set_choices(services.org_units(unit.opd_id), services.positions(unit.opd_id))
    if form.validate_on_submit():
        try:
            services.edit_unit(unit, form.data_for_service(), form.version.data)
        except services.StaleUnit:
            db.session.rollback()
            return _stale(unit_id)
        db.session.commit()
        flash(_("The unit layanan has been saved."), "success")
        return redirect(url_for("service_units.edit", unit_id=unit_id), 303)
    status = 422 if form.is_submitted() else 200
    return _render_unit(unit, form, KindForm(formdata=None, data={"version": unit.version}), status)


def _filled(unit: ServiceUnit) -> UnitForm:
    """The unit's form as the unit stands (positions as ids, "(none)" as 0)."""
    form = UnitForm(formdata=None, obj=unit)
    form.position_ids.data = [p.id for p in unit.positions]
    form.unit_id.data = unit.unit_id or 0
    form.head_position_id.data = unit.head_position_id or 0
    return form


def _render_unit(unit: ServiceUnit, form: UnitForm, kind_form: KindForm, status: int):
    return render_template(
        "feedback/units/form.html",
        form=form,
        kind_form=kind_form,
        opd=unit.opd,
        unit=unit,
        url=posters.public_url(unit),
        short=posters.short_address(unit),
    ), status


@bp.route("/unit-layanan/<int:unit_id>/jenis-layanan", methods=["POST"])
@login_required
def add_kind(unit_id: int):
    """Add a jenis layanan to the unit."""
    unit = managed_unit(unit_id)
    form = KindForm()
    if not form.validate_on_submit():
        edit_form = _filled(unit)
        edit_form.set_choices(services.org_units(unit.opd_id), services.positions(unit.opd_id))
        return _render_unit(unit, edit_form, form, 422)
    try:
        services.add_kind(unit, form.name.data, form.version.data)
    except services.StaleUnit:
        db.session.rollback()
        return _stale(unit_id)
    except services.DuplicateKind:
        db.session.rollback()
        flash(_("The unit already has a jenis layanan of that name."), "warning")
        return redirect(url_for("service_units.edit", unit_id=unit_id), 303)
    db.session.commit()
    flash(_("The jenis layanan has been added."), "success")
    return redirect(url_for("service_units.edit", unit_id=unit_id), 303)


@bp.route("/unit-layanan/<int:unit_id>/jenis-layanan/<int:kind_id>", methods=["POST"])
@login_required
def edit_kind(unit_id: int, kind_id: int):
    """Rename a jenis layanan, or take it off (or back onto) the public form."""
    unit = managed_unit(unit_id)
    kind = db.session.get(ServiceKind, kind_id)
    if kind is None or kind.service_unit_id != unit.id:
        abort(404)
    form = KindForm()
    if not form.validate_on_submit():
        flash(_("Enter the name of the service."), "warning")
        return redirect(url_for("service_units.edit", unit_id=unit_id), 303)
    try:
        services.edit_kind(unit, kind, form.name.data, bool(form.active.data), form.version.data)
    except services.StaleUnit:
        db.session.rollback()
        return _stale(unit_id)
    except services.DuplicateKind:
        db.session.rollback()
        flash(_("The unit already has a jenis layanan of that name."), "warning")
        return redirect(url_for("service_units.edit", unit_id=unit_id), 303)
    db.session.commit()
    flash(_("The jenis layanan has been saved."), "success")
    return redirect(url_for("service_units.edit", unit_id=unit_id), 303)


def _pdf(data: bytes, filename: str):
    response = make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/unit-layanan/<int:unit_id>/poster.pdf")
@login_required
@render_quota
def poster(unit_id: int):
    """The unit's A4 poster with its QR code."""
    unit = managed_unit(unit_id)
    return _pdf(posters.render_posters_pdf([unit]), f"poster-skm-{unit.code}.pdf")


@bp.route("/unit-layanan/opd/<int:opd_id>/poster.pdf")
@login_required
@render_quota
def opd_posters(opd_id: int):
    """The posters of every active unit of the OPD, one page each."""
    opd = _managed_opd(opd_id)
    units = [u for u in services.units_of([opd.id]) if u.active]
    if not units:
        flash(_("This OPD has no active unit layanan to print."), "warning")
        return redirect(url_for("service_units.index", opd=opd.id), 303)
    return _pdf(posters.render_posters_pdf(units), f"poster-skm-{opd.code}.pdf")
