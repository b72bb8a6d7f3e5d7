"""Pengelola kinerja: appointed per OPD by its kepala OPD (or BKD) from the OPD's accounts.

A pengelola kinerja drafts and submits the plan of an employee of that OPD who
has none by the second week of January (PermenPANRB 8/2021, Bab II A.4); the
plan and the audit trail name them (app.workflow.roles, app.skp.plan).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length

from app.admin import bp
from app.extensions import db
from app.forms import Form
from app.models import Account, Appraisal, Employee, Opd, PengelolaKinerja, Period, Position
from app.models.accounts import ADMIN_BKD
from app.models.types import utcnow
from app.policy import can_appoint_operators, opds_headed_by, permission_required
from app.workflow.names import DRAFT
from app.workflow.roles import operator_opds, operator_window_open


class AppointForm(Form):
    nip = StringField(
        _l("NIP of the pengelola kinerja"),
        validators=[DataRequired(_l("Enter the NIP.")), Length(max=18)],
    )


class RemoveForm(Form):
    operator_id = HiddenField(validators=[DataRequired()])


class OperatorError(ValueError):
    pass


def operators_of(opd_id: int) -> list[tuple[PengelolaKinerja, Employee]]:
    return list(
        db.session.execute(
            sa.select(PengelolaKinerja, Employee)
            .join(Account, Account.id == PengelolaKinerja.account_id)
            .join(Employee, Employee.id == Account.employee_id)
            .where(PengelolaKinerja.opd_id == opd_id)
            .order_by(Employee.name)
        ).all()
    )


def appoint(opd: Opd, nip: str, actor: Account) -> Employee:
    """Appoint the holder of `nip` (an account of this OPD) as its pengelola kinerja."""
    row = db.session.execute(
        sa.select(Account, Employee, Position.opd_id)
        .join(Employee, Employee.id == Account.employee_id)
        .outerjoin(Position, Position.id == Employee.position_id)
        .where(Employee.nip == nip.strip())
    ).first()
    if row is None:
        raise OperatorError(_("No account has this NIP."))
    account, employee, opd_id = row
    if opd_id != opd.id or not employee.active or not account.is_enabled:
        raise OperatorError(_("Only an active account of this OPD can be its pengelola kinerja."))
    exists = db.session.scalar(
        sa.select(PengelolaKinerja.id).where(
            PengelolaKinerja.opd_id == opd.id, PengelolaKinerja.account_id == account.id
        )
    )
    if exists:
        raise OperatorError(_("%(name)s is already a pengelola kinerja here.", name=employee.name))
    db.session.add(
        PengelolaKinerja(
            opd_id=opd.id, account_id=account.id, appointed_by_id=actor.id, appointed_at=utcnow()
        )
    )
    db.session.flush()
    return employee


def _opd_for_page() -> Opd:
    """The OPD asked for (?opd=), else the first one the user may manage."""
    wanted = request.args.get("opd", type=int)
    if wanted is None:
        headed = opds_headed_by(current_user)
        if headed:
            return headed[0]
        if ADMIN_BKD in current_user.granted_roles:
            return db.session.scalar(sa.select(Opd).order_by(Opd.code).limit(1)) or abort(404)
        abort(403)
    opd = db.session.get(Opd, wanted) or abort(404)
    if not can_appoint_operators(current_user, opd.id):
        abort(403)
    return opd


@bp.route("/pengelola-kinerja", methods=["GET", "POST"])
@permission_required("operators.manage")
def operators():
    """The OPD's pengelola kinerja; the kepala OPD (or BKD) appoints and removes them."""
    opd = _opd_for_page()
    form, remove = AppointForm(), RemoveForm(formdata=None)
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        try:
            employee = appoint(opd, form.nip.data, current_user)
        except OperatorError as error:
            db.session.rollback()
            form.nip.errors.append(str(error))
            status = 422
        else:
            db.session.commit()
            flash(_("%(name)s is now a pengelola kinerja.", name=employee.name), "success")
            return redirect(url_for("admin.operators", opd=opd.id), 303)
    elif request.method == "POST":
        status = 422
    choices = (
        db.session.scalars(sa.select(Opd).order_by(Opd.code)).all()
        if ADMIN_BKD in current_user.granted_roles
        else opds_headed_by(current_user)
    )
    return render_template(
        "admin/operators.html",
        opd=opd,
        opds=choices,
        rows=operators_of(opd.id),
        form=form,
        remove=remove,
    ), status


@bp.route("/pengelola-kinerja/<int:opd_id>/remove", methods=["POST"])
@permission_required("operators.manage")
def remove_operator(opd_id: int):
    """End an appointment."""
    if not can_appoint_operators(current_user, opd_id):
        abort(403)
    form = RemoveForm()
    if not form.validate_on_submit():
        abort(400)
    operator_id = int(form.operator_id.data) if form.operator_id.data.isdigit() else 0
    row = db.session.get(PengelolaKinerja, operator_id)
    if row is None or row.opd_id != opd_id:
        abort(404)
    db.session.delete(row)
    db.session.commit()
    flash(_("The appointment has ended."), "success")
    return redirect(url_for("admin.operators", opd=opd_id), 303)


def drafts_for(account: Account, limit: int = 200) -> list[tuple[Appraisal, Employee]]:
    """Plans still in draft in the OPDs the account is pengelola kinerja of (open periods)."""
    opd_ids = operator_opds(account)
    if not opd_ids:
        return []
    return list(
        db.session.execute(
            sa.select(Appraisal, Employee)
            .join(Employee, Employee.id == Appraisal.employee_id)
            .join(Period, Period.id == Appraisal.period_id)
            .where(
                Appraisal.opd_id.in_(opd_ids),
                Appraisal.state == DRAFT,
                Appraisal.employee_id != account.employee_id,
                Period.status == "open",
            )
            .options(sa.orm.contains_eager(Appraisal.period))
            .order_by(Period.year.desc(), Employee.name)
            .limit(limit)
        ).all()
    )


@bp.route("/pengelola-kinerja/drafts")
@login_required
def operator_drafts():
    """For a pengelola kinerja: the plans of their OPD not yet submitted, to draft for them."""
    if not operator_opds(current_user):
        abort(403)
    rows = [
        (appraisal, employee, operator_window_open(appraisal))
        for appraisal, employee in drafts_for(current_user)
    ]
    return render_template("admin/operator_drafts.html", rows=rows)
