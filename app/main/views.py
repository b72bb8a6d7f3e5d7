"""Home page."""

from flask import render_template, request
from flask_babel import get_locale
from flask_login import current_user, login_required

from app import policy
from app.announcements.services import unread_for
from app.guide.tour import tour_for
from app.main import bp
from app.org.reporting import atasan_of
from app.workflow.roles import operator_opds


@bp.route("/")
@login_required
def index():
    """The signed-in employee's home: who they are, their atasan, roles, announcements."""
    employee = current_user.employee
    roles = policy.roles_of_account(current_user)
    opds = policy.opds_headed_by(current_user)
    sets_opd_capaian = _sets_opd_capaian(employee)
    return render_template(
        "main/index.html",
        employee=employee,
        atasan=atasan_of(employee),
        roles=sorted(roles),
        opds=opds,
        operator=bool(operator_opds(current_user)),
        announcements=unread_for(current_user),
        tour=tour_for(current_user, roles, str(get_locale()), replay="tour" in request.args),
        sets_opd_capaian=sets_opd_capaian,
        reads_talent=policy.offers_talent(current_user, bool(opds), sets_opd_capaian),
    )


def _sets_opd_capaian(employee) -> bool:
    """Whether to offer the OPDs' capaian kinerja organisasi: the wali kota and the sekda.

    Asked only of a kepala daerah or JPT position, so the other homes cost no query
    (a Plt of the sekda reaches the page from the published predikat table).
    """
    position = employee.position
    if position is None or position.kind not in ("kepala_daerah", "jpt"):
        return False
    return policy.sets_every_opds_achievement(current_user)
