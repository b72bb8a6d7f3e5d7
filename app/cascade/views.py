"""Matriks peran hasil pages: an atasan's matrix, and the OPD's coverage report."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from wtforms import SelectChoice

from app.appraisals.queries import get_appraisal
from app.cascade import bp
from app.cascade.forms import AssignmentForm, RemoveForm, TeamAssignmentForm
from app.cascade.services import Matrix, MatrixError, assign, matrix, opd_coverage, remove
from app.cascade.teams import TeamError, assign_team, remove_team_assignment, teams_of
from app.extensions import db
from app.models import Appraisal, Opd, Period
from app.policy import can_edit_matrix, dashboard_opds
from app.skp.pages import page_context


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _team_form(appraisal: Appraisal, found: Matrix, form: TeamAssignmentForm | None = None):
    """The form giving an RHK to a tim kerja of the atasan's OPD, or None without teams."""
    teams = teams_of(appraisal.opd_id, appraisal.period_id) if appraisal.opd_id else []
    if not teams:
        return None
    form = form or TeamAssignmentForm(formdata=None, prefix="team")
    form.atasan_rhk_id.choices = [SelectChoice(r.id, _short(r.text)) for r in found.rhks]
    form.tim_kerja_id.choices = [SelectChoice(t.id, t.name) for t in teams]
    return form


def _render(appraisal: Appraisal, found: Matrix, form, team_form, editable: bool, status: int):
    return render_template(
        "cascade/matrix.html",
        **page_context(appraisal),
        matrix=found,
        form=form,
        team_form=team_form,
        remove_form=RemoveForm() if editable else None,
    ), status


@bp.route("/appraisals/<int:appraisal_id>/matriks", methods=["GET", "POST"])
@login_required
def matrix_page(appraisal_id: int):
    """The atasan's RHK against their staff: who contributes what; the atasan edits it."""
    appraisal = get_appraisal(appraisal_id)
    editable = can_edit_matrix(current_user, appraisal)
    found = matrix(appraisal)
    form = AssignmentForm() if editable else None
    status = 200
    if form is not None:
        form.atasan_rhk_id.choices = [SelectChoice(r.id, _short(r.text)) for r in found.rhks]
        form.member_id.choices = [SelectChoice(m.id, m.employee.name) for m in found.members]
    if request.method == "POST":
        if form is None:
            abort(403)
        if form.validate():
            try:
                _cell, prefilled = assign(
                    appraisal,
                    atasan_rhk_id=form.atasan_rhk_id.data,
                    member_id=form.member_id.data,
                    role=form.role.data,
                    result=form.result.data,
                    actor=current_user,
                )
                db.session.commit()
            except MatrixError as error:
                db.session.rollback()
                field = getattr(form, error.field)
                field.errors = [*field.errors, str(error)]
            except IntegrityError:
                # Another tab of the atasan made the same cell first: theirs stands.
                db.session.rollback()
                flash(
                    _("This cell was just set elsewhere; here is the matrix as it is now."),
                    "warning",
                )
                return redirect(url_for("cascade.matrix_page", appraisal_id=appraisal.id))
            else:
                flash(
                    _("Saved. The result was added to their draft plan as an RHK UTAMA.")
                    if prefilled
                    else _("Saved. Their plan is no longer a draft: tell them of the change."),
                    "success",
                )
                return redirect(url_for("cascade.matrix_page", appraisal_id=appraisal.id))
        status = 422
    team_form = _team_form(appraisal, found) if editable else None
    return _render(appraisal, found, form, team_form, editable, status)


@bp.route("/appraisals/<int:appraisal_id>/matriks/tim", methods=["POST"])
@login_required
def assign_team_page(appraisal_id: int):
    """Give one of the atasan's RHK to a tim kerja: each member's draft plan gets its result."""
    appraisal = get_appraisal(appraisal_id)
    if not can_edit_matrix(current_user, appraisal):
        abort(403)
    found = matrix(appraisal)
    team_form = _team_form(appraisal, found, TeamAssignmentForm(prefix="team"))
    if team_form is None:
        abort(404)
    if team_form.validate():
        try:
            _given, added = assign_team(
                appraisal,
                atasan_rhk_id=team_form.atasan_rhk_id.data,
                tim_kerja_id=team_form.tim_kerja_id.data,
                role=team_form.role.data,
                result=team_form.result.data,
                actor=current_user,
            )
            db.session.commit()
        except TeamError as error:
            db.session.rollback()
            field = getattr(team_form, error.field)
            field.errors = [*field.errors, str(error)]
        except IntegrityError:
            db.session.rollback()
            flash(
                _("This team was just given the RHK elsewhere; here is the matrix as it is now."),
                "warning",
            )
            return redirect(url_for("cascade.matrix_page", appraisal_id=appraisal.id))
        else:
            flash(
                ngettext(
                    "Saved. The shared result was added to %(num)d member's draft plan.",
                    "Saved. The shared result was added to the draft plans of %(num)d members.",
                    added,
                )
                if added
                else _("Saved. No member's plan is a draft now: tell them of the change."),
                "success",
            )
            return redirect(url_for("cascade.matrix_page", appraisal_id=appraisal.id))
    form = AssignmentForm(formdata=None)
    form.atasan_rhk_id.choices = [SelectChoice(r.id, _short(r.text)) for r in found.rhks]
    form.member_id.choices = [SelectChoice(m.id, m.employee.name) for m in found.members]
    return _render(appraisal, found, form, team_form, True, 422)


@bp.route("/appraisals/<int:appraisal_id>/matriks/tim/<int:assignment_id>/hapus", methods=["POST"])
@login_required
def remove_team(appraisal_id: int, assignment_id: int):
    """Take an RHK back from a team; the members' plans keep the RHK it pre-filled."""
    appraisal = get_appraisal(appraisal_id)
    if not can_edit_matrix(current_user, appraisal):
        abort(403)
    if not RemoveForm().validate():
        abort(400)
    if remove_team_assignment(appraisal, assignment_id):
        db.session.commit()
        flash(
            _(
                "The team's assignment was cleared. Members' plans keep the RHK; "
                "they may remove it."
            ),
            "success",
        )
    else:
        flash(_("That assignment was already cleared."), "info")
    return redirect(url_for("cascade.matrix_page", appraisal_id=appraisal.id))


@bp.route("/appraisals/<int:appraisal_id>/matriks/<int:assignment_id>/hapus", methods=["POST"])
@login_required
def remove_cell(appraisal_id: int, assignment_id: int):
    """Clear one cell; the subordinate's plan keeps the RHK it pre-filled."""
    appraisal = get_appraisal(appraisal_id)
    if not can_edit_matrix(current_user, appraisal):
        abort(403)
    if not RemoveForm().validate():
        abort(400)
    if remove(appraisal, assignment_id):
        db.session.commit()
        flash(_("The cell was cleared. Their plan keeps the RHK; they may remove it."), "success")
    else:
        flash(_("That cell was already cleared."), "info")
    return redirect(url_for("cascade.matrix_page", appraisal_id=appraisal.id))


@bp.route("/kaskade")
@login_required
def coverage():
    """Per atasan of an OPD: RHK covered by staff, and staff RHK UTAMA linked to nothing."""
    allowed = dashboard_opds(current_user)
    if allowed == []:
        abort(403)
    opds = db.session.scalars(
        db.select(Opd).where(Opd.id.in_(allowed)) if allowed is not None else db.select(Opd)
    ).all()
    opds = sorted(opds, key=lambda o: o.name)
    periods = db.session.scalars(db.select(Period).order_by(Period.year.desc(), Period.kind)).all()
    opd = next(
        (o for o in opds if o.id == request.args.get("opd", type=int)), opds[0] if opds else None
    )
    period = next(
        (p for p in periods if p.id == request.args.get("period", type=int)),
        next((p for p in periods if p.status == "open"), periods[0] if periods else None),
    )
    rows = opd_coverage(period.id, opd.id) if opd and period else []
    return render_template(
        "cascade/coverage.html", opds=opds, opd=opd, periods=periods, period=period, rows=rows
    )
