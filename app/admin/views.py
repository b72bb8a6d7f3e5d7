"""Admin pages: employees and their accounts and roles."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectChoice

from app.admin import bp, services
from app.admin.forms import EmployeeForm, RoleForm, SearchForm
from app.admin.moves import segment_form
from app.auth.forms import EmptyForm
from app.extensions import db
from app.models import Account, Employee, Opd, Position, Unit
from app.policy import can, permission_required

ERRORS = {
    "nip": ("nip", _l("This NIP is already registered.")),
    "email": ("email", _l("This email is already used by another employee.")),
}


def _messages(code: str) -> str:
    return {
        "no-email": _("The employee has no email address; add one before opening an account."),
        "exists": _("This employee already has an account."),
        "self": _("You cannot do this to your own account."),
    }[code]


def get_employee(employee_id: int) -> Employee:
    return db.session.get(Employee, employee_id) or abort(404)


def get_account(account_id: int) -> Account:
    return db.session.get(Account, account_id) or abort(404)


def _opd_choices() -> list[SelectChoice]:
    opds = db.session.scalars(sa.select(Opd).order_by(Opd.name))
    return [SelectChoice(0, _("All OPD"))] + [SelectChoice(opd.id, opd.name) for opd in opds]


@bp.route("/employees")
@permission_required("employees.view")
def employees():
    """List and search employees with their account status."""
    form = SearchForm(request.args)
    form.opd.choices = _opd_choices()
    form.validate()
    # A refused search text (too long, control characters) is shown on its field, not run.
    query = None if form.q.errors else form.q.data
    page = db.paginate(services.employee_query(query, form.opd.data), per_page=50, error_out=False)
    accounts = services.accounts_by_employee([e.id for e in page.items])
    return render_template("admin/employees.html", form=form, page=page, accounts=accounts)


@bp.route("/employees/new", methods=["GET", "POST"])
@permission_required("accounts.manage")
def new_employee():
    """Register an employee by hand (bulk changes go through the roster import)."""
    form = EmployeeForm()
    # Grouped by OPD and unit (optgroups), so that "Kepala Seksi …" is found where it sits.
    positions = db.session.execute(
        sa.select(Position.id, Position.name, Opd.name, Unit.name)
        .join(Opd, Opd.id == Position.opd_id)
        .outerjoin(Unit, Unit.id == Position.unit_id)
        .order_by(Opd.name, Unit.name.nulls_first(), Position.name)
    )
    form.position_id.choices = [SelectChoice(0, _("(none)"))] + [
        SelectChoice(pid, name, optgroup=f"{opd} · {unit}" if unit else opd)
        for pid, name, opd, unit in positions
    ]
    if form.validate_on_submit():
        try:
            employee = services.create_employee(form.data)
        except services.AdminError as error:
            field, message = ERRORS[str(error)]
            form[field].errors.append(str(message))
        else:
            db.session.commit()
            flash(_("Employee %(name)s has been added.", name=employee.name), "success")
            return redirect(url_for("admin.employee", employee_id=employee.id))
    return render_template("admin/new_employee.html", form=form)


@bp.route("/employees/<int:employee_id>")
@permission_required("employees.view")
def employee(employee_id: int):
    """One employee: data, account, roles."""
    employee = get_employee(employee_id)
    account = services.accounts_by_employee([employee.id]).get(employee.id)
    return render_template(
        "admin/employee.html",
        employee=employee,
        account=account,
        role_form=RoleForm(),
        button=EmptyForm(),
        segment_form=segment_form(employee) if can(current_user, "appraisals.reassign") else None,
    )


@bp.route("/employees/<int:employee_id>/account", methods=["POST"])
@permission_required("accounts.manage")
def create_account(employee_id: int):
    """Open an account and mail the employee a link to set a password."""
    employee = get_employee(employee_id)
    if EmptyForm().validate_on_submit():
        try:
            services.create_account(employee, current_user)
        except services.AdminError as error:
            flash(_messages(str(error)), "danger")
        else:
            db.session.commit()
            flash(
                _("The account was opened and a link to set the password was emailed."), "success"
            )
    return redirect(url_for("admin.employee", employee_id=employee.id))


@bp.route("/accounts/<int:account_id>/<any(activate, deactivate):action>", methods=["POST"])
@permission_required("accounts.manage")
def set_enabled(account_id: int, action: str):
    """Deactivate (ending its sessions) or reactivate an account."""
    account = get_account(account_id)
    if EmptyForm().validate_on_submit():
        try:
            services.set_account_enabled(account, action == "activate", current_user)
        except services.AdminError as error:
            flash(_messages(str(error)), "danger")
        else:
            db.session.commit()
            flash(_("The account has been updated."), "success")
    return redirect(url_for("admin.employee", employee_id=account.employee_id))


@bp.route("/accounts/<int:account_id>/roles", methods=["POST"])
@permission_required("roles.manage")
def grant_role(account_id: int):
    """Grant a BKD role."""
    account = get_account(account_id)
    form = RoleForm()
    if form.validate_on_submit():
        services.grant_role(account, form.role.data, current_user)
        db.session.commit()
        flash(_("The role has been granted."), "success")
    else:
        flash(_("Choose a valid role."), "danger")
    return redirect(url_for("admin.employee", employee_id=account.employee_id))


@bp.route("/accounts/<int:account_id>/roles/<role>/revoke", methods=["POST"])
@permission_required("roles.manage")
def revoke_role(account_id: int, role: str):
    """Revoke a BKD role."""
    account = get_account(account_id)
    if EmptyForm().validate_on_submit():
        try:
            services.revoke_role(account, role, current_user)
        except services.AdminError as error:
            flash(_messages(str(error)), "danger")
        else:
            db.session.commit()
            flash(_("The role has been revoked."), "success")
    return redirect(url_for("admin.employee", employee_id=account.employee_id))
