"""Matriks peran hasil pages: an atasan's matrix, and the OPD's coverage report."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from app.appraisals.queries import get_appraisal
from app.cascade import bp
from app.cascade.forms import AssignmentForm, RemoveForm
from app.cascade.services import MatrixError, assign, matrix, opd_coverage, remove
from app.extensions import db
from app.models import Opd, Period
from app.policy import can_edit_matrix, dashboard_opds
from app.skp.pages import page_context


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
        form.atasan_rhk_id.choices = [(r.id, _short(r.text)) for r in found.rhks]
        form.member_id.choices = [(m.id, m.employee.name) for m in found.members]
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
    return render_template(
        "cascade/matrix.html",
        **page_context(appraisal),
        matrix=found,
        form=form,
        remove_form=RemoveForm() if editable else None,
    ), status


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
