"""Perjanjian Kinerja pages: the PK of an OPD and year, edited by its kepala OPD or admin BKD."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from app.extensions import db
from app.models import Opd, Period, PkIndikator
from app.pk import bp
from app.pk.forms import (
    DIRECTION_LABELS,
    ApplyForm,
    IndikatorForm,
    LinkForm,
    RealisasiForm,
    SasaranForm,
)
from app.pk.organisation import NoFigure, apply_to_organisation, period_lines
from app.pk.services import (
    achievement,
    add_indikator,
    add_sasaran,
    ensure_pk,
    head_rhks,
    indikator_capaian,
    link_rhk,
    pk_for,
    set_realisasi,
)
from app.policy import can_edit_pk, can_set_achievement, dashboard_opds
from app.skp.orgkinerja.services import StaleAchievement

YEARS_SHOWN = 3


def _opds() -> list[Opd]:
    allowed = dashboard_opds(current_user)
    if allowed == []:
        abort(403)
    query = db.select(Opd).order_by(Opd.name)
    if allowed is not None:
        query = query.where(Opd.id.in_(allowed))
    return list(db.session.scalars(query))


def _here(opd_id: int, year: int):
    return redirect(url_for("pk.index", opd=opd_id, year=year))


def _forms(pk, rhks, **given):
    sasaran_choices = [SelectChoice(s.id, s.text[:80]) for s in (pk.sasaran if pk else [])]
    forms = {
        "sasaran_form": given.get("sasaran_form") or SasaranForm(formdata=None),
        "indikator_form": given.get("indikator_form") or IndikatorForm(formdata=None),
        "realisasi_form": RealisasiForm(formdata=None),
        "link_form": LinkForm(formdata=None),
        "apply_form": ApplyForm(formdata=None),
    }
    forms["indikator_form"].sasaran_id.choices = sasaran_choices
    forms["link_form"].rhk_id.choices = [SelectChoice(r.id, r.text[:80]) for r in rhks]
    forms["link_form"].sasaran_id.choices = [SelectChoice(0, _("— none —")), *sasaran_choices]
    return forms


def _page(opd: Opd, year: int, status: int = 200, **given):
    pk = pk_for(opd.id, year)
    rhks = head_rhks(opd.id, year)
    quarters = (1, 2, 3, 4, None)
    return render_template(
        "pk/index.html",
        opds=_opds(),
        opd=opd,
        year=year,
        years=[date.today().year - n for n in range(YEARS_SHOWN)],
        pk=pk,
        rhks=rhks,
        editable=can_edit_pk(current_user, opd.id),
        quarters=quarters,
        achievements={q: achievement(pk, q) for q in quarters},
        period_lines=period_lines(pk, opd.id, year),
        may_apply=can_set_achievement(current_user, opd.id, None),
        capaian_of=indikator_capaian,
        direction_labels=DIRECTION_LABELS,
        **_forms(pk, rhks, **given),
    ), status


@bp.route("/pk")
@login_required
def index():
    """The PK of an OPD and year: sasaran, indicators, targets, realisasi and achievement."""
    opds = _opds()
    opd = next((o for o in opds if o.id == request.args.get("opd", type=int)), None)
    opd = opd or (opds[0] if opds else None)
    if opd is None:
        abort(404)
    year = request.args.get("year", type=int) or date.today().year
    return _page(opd, year)


def _editable_opd(opd_id: int) -> Opd:
    opd = db.session.get(Opd, opd_id)
    if opd is None:
        abort(404)
    if not can_edit_pk(current_user, opd_id):
        abort(403)
    return opd


@bp.route("/pk/<int:opd_id>/<int:year>/sasaran", methods=["POST"])
@login_required
def new_sasaran(opd_id: int, year: int):
    opd = _editable_opd(opd_id)
    form = SasaranForm()
    if not form.validate():
        return _page(opd, year, 422, sasaran_form=form)
    add_sasaran(ensure_pk(opd.id, year), form.text.data)
    db.session.commit()
    flash(_("The sasaran was added."), "success")
    return _here(opd.id, year)


@bp.route("/pk/<int:opd_id>/<int:year>/indikator", methods=["POST"])
@login_required
def new_indikator(opd_id: int, year: int):
    opd = _editable_opd(opd_id)
    pk = pk_for(opd.id, year)
    form = IndikatorForm()
    form.sasaran_id.choices = [SelectChoice(s.id, s.text) for s in (pk.sasaran if pk else [])]
    if not form.validate():
        return _page(opd, year, 422, indikator_form=form)
    sasaran = next(s for s in pk.sasaran if s.id == form.sasaran_id.data)
    add_indikator(
        sasaran,
        text=form.text.data,
        unit=form.unit.data,
        direction=form.direction.data,
        tolerance=form.tolerance.data,
        target_year=form.target_year.data,
        quarters={q: getattr(form, f"target_q{q}").data for q in (1, 2, 3, 4)},
    )
    db.session.commit()
    flash(_("The indicator was added."), "success")
    return _here(opd.id, year)


@bp.route("/pk/indikator/<int:indikator_id>/realisasi", methods=["POST"])
@login_required
def realisasi(indikator_id: int):
    indikator = db.session.get(PkIndikator, indikator_id)
    if indikator is None:
        abort(404)
    pk = indikator.sasaran.pk
    opd = _editable_opd(pk.opd_id)
    form = RealisasiForm()
    if not form.validate():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "danger")
        return _page(opd, pk.year, 422)
    quarter = None if form.quarter.data == "year" else int(form.quarter.data)
    set_realisasi(indikator, quarter, form.value.data)
    db.session.commit()
    flash(_("The realisasi was recorded."), "success")
    return _here(opd.id, pk.year)


@bp.route("/pk/<int:opd_id>/<int:year>/tautan", methods=["POST"])
@login_required
def link(opd_id: int, year: int):
    opd = _editable_opd(opd_id)
    pk = pk_for(opd.id, year)
    form = LinkForm()
    form.rhk_id.choices = [SelectChoice(r.id, r.text) for r in head_rhks(opd.id, year)]
    form.sasaran_id.choices = [SelectChoice(0, "")] + [
        SelectChoice(s.id, s.text) for s in (pk.sasaran if pk else [])
    ]
    if pk is None or not form.validate():
        flash(_("Choose an RHK and a sasaran of this PK."), "danger")
        return _page(opd, year, 422)
    link_rhk(pk, form.rhk_id.data, form.sasaran_id.data or None)
    db.session.commit()
    flash(_("The RHK link was saved."), "success")
    return _here(opd.id, year)


@bp.route("/pk/<int:opd_id>/<int:year>/terapkan", methods=["POST"])
@login_required
def apply(opd_id: int, year: int):
    """Make the PK's figure for a period the OPD's capaian kinerja organisasi."""
    opd = db.session.get(Opd, opd_id)
    if opd is None:
        abort(404)
    if not can_set_achievement(current_user, opd.id, None):
        abort(403)
    pk = pk_for(opd.id, year)
    period = db.session.get(Period, request.form.get("period_id", type=int) or 0)
    version = request.form.get("version", type=int)
    if pk is None or period is None or period.year != year or version is None:
        flash(_("Choose a period of this year; reload the page."), "danger")
        return _page(opd, year, 422)
    if not ApplyForm().validate():
        abort(400)
    try:
        applied = apply_to_organisation(pk, period, current_user, seen_version=version)
    except NoFigure:
        flash(_("The PK has no realisasi for %(period)s yet.", period=period.name), "warning")
        return _here(opd.id, year)
    except StaleAchievement:
        db.session.rollback()
        flash(_("Someone set this capaian meanwhile; here is the page as it is now."), "warning")
        return _here(opd.id, year)
    db.session.commit()
    flash(
        _(
            "The capaian kinerja organisasi of %(period)s is now %(value)s %%.",
            period=period.name,
            value=applied.capaian,
        ),
        "success",
    )
    return _here(opd.id, year)
