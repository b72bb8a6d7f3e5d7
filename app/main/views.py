"""Home page."""

from flask import render_template
from flask_login import current_user, login_required

from app import policy
from app.main import bp
from app.org.reporting import atasan_of


@bp.route("/")
@login_required
def index():
    """The signed-in employee's home: who they are, their atasan, their roles."""
    employee = current_user.employee
    return render_template(
        "main/index.html",
        employee=employee,
        atasan=atasan_of(employee),
        roles=sorted(policy.roles_of_account(current_user)),
        opds=policy.opds_headed_by(current_user),
    )
