"""Appraisal page (step, actions, history, diagram) and the workflow action forms.

Every state change goes through `app.workflow.engine.fire`; these views only
load, authorise, validate, call it once, and commit.
"""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.appraisals import bp
from app.appraisals.queries import carried_development, get_appraisal, history
from app.appraisals.services import NoAppraiser, SegmentEnded, reassign_appraiser
from app.auth.forms import EmptyForm
from app.extensions import db
from app.models.types import utcnow
from app.outbox.receipt import note_view
from app.policy import can
from app.workflow.audit import pending_return
from app.workflow.engine import available, engine
from app.workflow.errors import StaleState
from app.workflow.notify import objection_deadline, offers_objection
from app.workflow.roles import ROLE_LABELS, appraisal_roles
from app.workflow.tasks import open_tasks_of
from app.workflow.web import refuse_stale, step_page


@bp.route("/appraisals/<int:appraisal_id>")
@login_required
def detail(appraisal_id: int):
    """The appraisal: where it stands, what the viewer may do now, and its history."""
    appraisal = get_appraisal(appraisal_id)
    if note_view(appraisal, current_user, utcnow()):
        db.session.commit()  # the appraisee's first look at the final SKP is its receipt
    spec = engine().spec(appraisal.workflow)
    events = history(appraisal)
    state = spec.states[appraisal.state]
    my_roles = appraisal_roles(current_user, appraisal)
    # Last period's development plan, for the pegawai and who acts on their SKP.
    mine = appraisal.employee_id == current_user.employee_id
    carried = carried_development(appraisal) if mine or my_roles else []
    return render_template(
        "appraisals/detail.html",
        appraisal=appraisal,
        spec=spec,
        state=state,
        offers_objection=offers_objection(spec, state),
        objection_until=objection_deadline(appraisal, spec, state),
        waiting=open_tasks_of(appraisal),
        actions=available(appraisal, current_user),
        events=events,
        returned=pending_return(appraisal, events),
        role_labels=ROLE_LABELS,
        my_roles=my_roles,
        diagram=engine().diagram(spec.name, appraisal.state, str(get_locale())),
        can_reassign=can(current_user, "appraisals.reassign"),
        button=EmptyForm(),
        today=date.today(),
        carried=carried,
    )


@bp.route("/appraisals/<int:appraisal_id>/act/<trigger>", methods=["GET", "POST"])
@login_required
def act(appraisal_id: int, trigger: str):
    """Confirm and fire one workflow step. GET only shows the form: mail scanners follow links."""
    appraisal = get_appraisal(appraisal_id)
    spec = engine().spec(appraisal.workflow)
    return step_page(
        appraisal,
        trigger,
        current_user,
        here=url_for("appraisals.detail", appraisal_id=appraisal.id),
        template="appraisals/act.html",
        appraisal=appraisal,
        state=spec.states[appraisal.state],
    )


@bp.route("/appraisals/<int:appraisal_id>/reassign", methods=["POST"])
@login_required
def reassign(appraisal_id: int):
    """Admin BKD: point the appraisal at the employee's current atasan; open tasks follow."""
    if not can(current_user, "appraisals.reassign"):
        abort(403)
    appraisal = get_appraisal(appraisal_id)
    here = url_for("appraisals.detail", appraisal_id=appraisal.id)
    form = EmptyForm()
    if form.validate_on_submit():
        version = request.form.get("version", type=int)
        try:
            changed = reassign_appraiser(appraisal, current_user, seen_version=version)
        except StaleState as error:
            return refuse_stale(appraisal, error.event, here)
        except NoAppraiser:
            db.session.rollback()
            flash(_("This employee has no atasan in SIKAP."), "danger")
        except SegmentEnded:
            flash(
                _(
                    "This SKP segment ended with a change of jabatan: it stays with the "
                    "appraiser of the months it covers."
                ),
                "warning",
            )
        else:
            db.session.commit()
            if changed:
                flash(_("The appraiser has been updated and open tasks moved."), "success")
            else:
                flash(_("The appraiser is already the current atasan."), "info")
    return redirect(here)
