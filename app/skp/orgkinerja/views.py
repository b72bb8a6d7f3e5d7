"""Pages: the capaian kinerja organisasi of an OPD and its units, setting one, and the
published table capaian -> organisation predikat (read by all staff, edited by admin BKD)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from app import policy
from app.extensions import db
from app.feedback.evidence import combined, opd_units
from app.models import Opd, Period, Unit
from app.periods.services import all_periods, working_period
from app.skp import bp, scoring
from app.skp.assessment.skm import report_path
from app.skp.numbers import format_number
from app.skp.orgkinerja import bands as band_table
from app.skp.orgkinerja import services as orgkinerja
from app.skp.orgkinerja.forms import AchievementForm, BandsForm


def _period(periods: list[Period]) -> Period | None:
    period_id = request.args.get("period", type=int)
    if period_id is not None:
        return next((p for p in periods if p.id == period_id), None) or abort(404)
    return working_period(periods)


@bp.route("/org-achievement")
@login_required
def org_achievements():
    """The capaian and organisation predikat of an OPD and each of its units in a period."""
    periods = all_periods()
    period = _period(periods)
    if period is None:
        flash(_("There is no period yet."), "info")
        return redirect(url_for("main.index"))
    own = current_user.employee.position.opd_id if current_user.employee.position else None
    opd_id = request.args.get("opd", type=int) or own
    opd = db.session.get(Opd, opd_id) if opd_id else None
    if opd is None:
        abort(404)
    if not policy.can_view_achievements(current_user, opd.id):
        abort(403)
    view_all = policy.can(current_user, "org_achievement.view_all")
    may_set_all = policy.can(current_user, "org_achievement.manage")
    achievements = orgkinerja.achievements_of(opd.id, period.id)
    bands = band_table.current_bands()
    rows = [(None, opd.name)] + [(unit.id, unit.name) for unit in orgkinerja.units_of(opd.id)]
    return render_template(
        "skp/org_achievements.html",
        period=period,
        periods=periods,
        opd=opd,
        # The wali kota and the sekda set the capaian of OPDs other than their own.
        opds=orgkinerja.all_opds()
        if view_all or policy.sets_every_opds_achievement(current_user)
        else [],
        rows=[
            (
                unit_id,
                name,
                achievements.get(unit_id),
                bands.predikat_for(achievements[unit_id].capaian)
                if unit_id in achievements
                else None,
            )
            for unit_id, name in rows
        ],
        # The rows this person may set: every row for admin BKD, else those they lead.
        may_set_all=may_set_all,
        settable=set() if may_set_all else policy.achievement_scopes_of(current_user, opd.id),
        skm=_skm_evidence(opd.id, period),
        ikm_path=report_path,
    )


def _skm_evidence(opd_id: int, period: Period) -> dict:
    """The IKM of the OPD's units layanan in the period, as evidence beside the capaian:
    for each unit row the units layanan that are that unit, for the OPD row all of them
    taken together (by row key, None for the OPD). One statement."""
    units = opd_units(opd_id, period.start_date, period.end_date)
    evidence: dict = {None: (units, combined(units))} if units else {}
    for service_unit in units:
        if service_unit.unit_id is not None:
            evidence.setdefault(service_unit.unit_id, ([], None))[0].append(service_unit)
    return {
        key: (listed, total if key is None else combined(listed))
        for key, (listed, total) in evidence.items()
    }


def _load(period_id: int, opd_id: int, unit_key: int) -> tuple[Period, Opd, Unit | None]:
    """The period, OPD and unit (unit_key 0: the OPD itself); 404 when any is unknown."""
    period = db.session.get(Period, period_id) or abort(404)
    opd = db.session.get(Opd, opd_id) or abort(404)
    unit = None
    if unit_key:
        unit = db.session.get(Unit, unit_key)
        if unit is None or unit.opd_id != opd.id:
            abort(404)
    return period, opd, unit


@bp.route("/org-achievement/<int:period_id>/<int:opd_id>/<int:unit_key>", methods=["GET", "POST"])
@login_required
def org_achievement_edit(period_id: int, opd_id: int, unit_key: int):
    """The pimpinan above (or admin BKD) sets the capaian of the OPD or unit, with a reason."""
    period, opd, unit = _load(period_id, opd_id, unit_key)
    unit_id = unit.id if unit else None
    if not policy.can_set_achievement(current_user, opd.id, unit_id):
        abort(403)
    current = orgkinerja.achievements_of(opd.id, period.id).get(unit_id)
    form = AchievementForm(
        data={
            "capaian": format_number(current.capaian) if current else "",
            "reason": "",
            "version": current.version if current else 0,
        }
    )
    if form.validate_on_submit():
        try:
            orgkinerja.set_achievement(
                opd.id, unit_id, period, form.value, form.reason.data, current_user,
                seen_version=form.version.data,
            )  # fmt: skip
        except orgkinerja.StaleAchievement:
            db.session.rollback()
            flash(
                _(
                    "The capaian was set by someone else meanwhile; here is the current "
                    "value. Nothing was saved."
                ),
                "warning",
            )
            return redirect(request.path)
        db.session.commit()
        flash(_("The capaian kinerja organisasi has been saved."), "success")
        return redirect(url_for("skp.org_achievements", period=period.id, opd=opd.id))
    bands = band_table.current_bands()
    return render_template(
        "skp/org_achievement_edit.html",
        period=period,
        opd=opd,
        unit=unit,
        current=current,
        predikat=bands.predikat_for(current.capaian) if current else None,
        history=orgkinerja.history_of(current),
        form=form,
    ), (422 if form.errors else 200)


@bp.route("/org-predikat-table")
@login_required
def org_predikat_table():
    """The published table capaian kinerja organisasi -> organisation predikat, and its history."""
    return render_template(
        "skp/org_predikat_table.html",
        bands=band_table.current_bands(),
        history=band_table.history(),
        order=scoring.ORG_PREDIKAT,
        rules=scoring.POLA_DISTRIBUSI,
        band_values=band_table.from_text,
    )


@bp.route("/admin/org-predikat-table", methods=["GET", "POST"])
@policy.permission_required("org_predikat_table.manage")
def org_predikat_table_edit():
    """Admin BKD changes the table's thresholds, with a reason; the change is kept."""
    bands = band_table.current_bands()
    data = {key: format_number(bands.thresholds[key]) for key in BandsForm.EDITABLE}
    form = BandsForm(data=data | {"version": bands.version, "reason": ""})
    if form.validate_on_submit():
        try:
            changed = band_table.save_bands(
                form.thresholds, form.reason.data, current_user, seen_version=form.version.data
            )
            db.session.commit()
        except (band_table.StaleTable, IntegrityError):
            db.session.rollback()
            flash(
                _(
                    "The table was changed by someone else meanwhile; here it is now. "
                    "Nothing was saved."
                ),
                "warning",
            )
            return redirect(url_for("skp.org_predikat_table_edit"))
        flash(_("The table has been saved.") if changed else _("Nothing changed."), "success")
        return redirect(url_for("skp.org_predikat_table"))
    return render_template("skp/org_predikat_table_edit.html", form=form, bands=bands), (
        422 if form.errors else 200
    )
