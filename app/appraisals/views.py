"""Appraisal page (step, actions, history, diagram) and the workflow action forms.

Every state change goes through `app.workflow.engine.fire`; these views only
load, authorise, validate, call it once, and commit.
"""

from datetime import date

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from app.appraisals import bp
from app.appraisals.queries import ROLE_LABELS, get_appraisal, history
from app.appraisals.services import NoAppraiser, reassign_appraiser
from app.auth.forms import EmptyForm
from app.extensions import db
from app.policy import appraisal_roles, can
from app.workflow.engine import available, engine, fire, latest_event
from app.workflow.errors import GuardFailed, InvalidInput, NotAllowed, StaleState
from app.workflow.forms import FORMS
from app.workflow.tasks import open_task_of


def _locale() -> str:
    return str(get_locale())


def _wants_html() -> bool:
    """Browsers ask for text/html by name; API clients and scripts do not."""
    return any(mimetype == "text/html" for mimetype, _quality in request.accept_mimetypes)


def _stale_message(error: StaleState, spec) -> str:
    event = error.event
    if event is None:
        return _("Someone else changed this SKP first. Nothing was changed by your action.")
    return _(
        "%(name)s already moved this SKP to “%(step)s” on %(when)s. "
        "Nothing was changed by your action.",
        name=event.actor.name if event.actor else "SIKAP",
        step=spec.states[event.to_state].label[_locale()],
        when=format_datetime(event.created_at, "d MMM yyyy HH:mm"),
    )


@bp.route("/appraisals/<int:appraisal_id>")
@login_required
def detail(appraisal_id: int):
    """The appraisal: where it stands, what the viewer may do now, and its history."""
    appraisal = get_appraisal(appraisal_id)
    spec = engine().spec(appraisal.workflow)
    locale = _locale()
    return render_template(
        "appraisals/detail.html",
        appraisal=appraisal,
        spec=spec,
        locale=locale,
        state=spec.states[appraisal.state],
        task=open_task_of(appraisal),
        actions=available(appraisal, current_user),
        events=history(appraisal),
        role_labels=ROLE_LABELS,
        my_roles=appraisal_roles(current_user, appraisal),
        diagram=Markup(engine().diagram(spec.name, appraisal.state, locale)),
        can_reassign=can(current_user, "appraisals.reassign"),
        button=EmptyForm(),
        today=date.today(),
    )


@bp.route("/appraisals/<int:appraisal_id>/act/<trigger>", methods=["GET", "POST"])
@login_required
def act(appraisal_id: int, trigger: str):
    """Confirm and fire one workflow step. GET only shows the form: mail scanners follow links."""
    appraisal = get_appraisal(appraisal_id)
    spec = engine().spec(appraisal.workflow)
    transition = spec.transition(appraisal.state, trigger)
    form = FORMS[transition.form]() if transition else FORMS["transition"]()
    if request.method == "GET":
        if transition is None or transition not in available(appraisal, current_user):
            flash(_("This step is not available for you now."), "warning")
            return redirect(url_for("appraisals.detail", appraisal_id=appraisal.id))
        form.version.data = appraisal.version
    if transition is not None and transition.comment_required:
        form.require_comment(_("Please write the reason."))
    if request.method == "POST" and form.validate_on_submit():
        try:
            fire(appraisal, trigger, current_user, form.data, seen_version=form.version.data)
        except StaleState as error:
            db.session.rollback()
            return _refuse_stale(appraisal, spec, error)
        except NotAllowed:
            db.session.rollback()
            abort(403)
        except GuardFailed as error:
            db.session.rollback()
            flash(error.message, "danger")
            return redirect(url_for("appraisals.detail", appraisal_id=appraisal.id))
        except InvalidInput as error:
            db.session.rollback()
            for field in error.errors:
                form[field].errors = [_("Please write the reason.")]
        else:
            db.session.commit()
            flash(_("Done: %(step)s.", step=transition.label[_locale()]), "success")
            # appraisal_id, not appraisal.id: the commit expired the object.
            return redirect(url_for("appraisals.detail", appraisal_id=appraisal_id))
    elif request.method == "POST" and transition is None:
        # The step no longer exists from the current state: someone moved it on.
        return _refuse_stale(appraisal, spec, StaleState(latest_event(appraisal.id)))
    return render_template(
        "appraisals/act.html",
        appraisal=appraisal,
        spec=spec,
        state=spec.states[appraisal.state],
        transition=transition,
        form=form,
        locale=_locale(),
    ), (200 if request.method == "GET" else 422)


def _refuse_stale(appraisal, spec, error: StaleState):
    message = _stale_message(error, spec)
    if _wants_html():
        flash(message, "warning")
        return redirect(url_for("appraisals.detail", appraisal_id=appraisal.id), 303)
    return jsonify(error="conflict", message=message, state=appraisal.state), 409


@bp.route("/appraisals/<int:appraisal_id>/reassign", methods=["POST"])
@login_required
def reassign(appraisal_id: int):
    """Admin BKD: point the appraisal at the employee's current atasan; open tasks follow."""
    if not can(current_user, "appraisals.reassign"):
        abort(403)
    appraisal = get_appraisal(appraisal_id)
    form = EmptyForm()
    if form.validate_on_submit():
        version = request.form.get("version", type=int)
        try:
            changed = reassign_appraiser(appraisal, current_user, seen_version=version)
        except StaleState as error:
            db.session.rollback()
            return _refuse_stale(appraisal, engine().spec(appraisal.workflow), error)
        except NoAppraiser:
            db.session.rollback()
            flash(_("This employee has no atasan in SIKAP."), "danger")
        else:
            db.session.commit()
            if changed:
                flash(_("The appraiser has been updated and open tasks moved."), "success")
            else:
                flash(_("The appraiser is already the current atasan."), "info")
    return redirect(url_for("appraisals.detail", appraisal_id=appraisal.id))
