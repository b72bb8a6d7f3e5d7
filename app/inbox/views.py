"""The inbox page, and claiming and releasing BKD group tasks."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.forms import EmptyForm
from app.extensions import db
from app.inbox import bp, services
from app.inbox.forms import InboxFilterForm, select_options
from app.models import Task
from app.models.types import utcnow
from app.policy import VERIFIKATOR_BKD, appraisal_roles
from app.skp.peers.services import pending_invites
from app.workflow.roles import GROUP_ROLES


def _filter_form(locale: str) -> InboxFilterForm:
    """The filters from the query string, validated against choices from the database."""
    form = InboxFilterForm(request.args)
    choices = services.filter_choices()
    form.period.choices = [(0, _("All periods")), *choices.periods]
    form.opd.choices = [(0, _("All OPD")), *choices.opds]
    form.step.choices = [("", _("All steps")), *services.step_choices(choices.workflows, locale)]
    form.validate()
    return form


def _filters(form: InboxFilterForm) -> services.Filters:
    """The filters that validated; a bad value is shown as a form error and ignored."""

    def valid(field):
        return None if field.errors else field.data or None

    return services.Filters(valid(form.period), valid(form.opd), valid(form.step))


@bp.route("/inbox")
@login_required
def index():
    """The user's open tasks, overdue first, then by due date; 50 a page."""
    locale = str(get_locale())
    form = _filter_form(locale)
    filters = _filters(form)
    after = services.parse_cursor(request.args.get("after"))
    tasks, next_cursor = services.inbox_page(current_user, filters, after)
    case_tasks = services.case_tasks(current_user)
    params = {"period": filters.period_id, "opd": filters.opd_id, "step": filters.state}
    params = {key: value for key, value in params.items() if value}
    next_url = first_url = None
    if next_cursor:
        next_url = url_for("inbox.index", after=services.format_cursor(next_cursor), **params)
    if after:
        first_url = url_for("inbox.index", **params)
    return render_template(
        "inbox/index.html",
        form=form,
        select_options=select_options,
        tasks=tasks,
        label=lambda task: services.step_label(task, locale),
        today=utcnow().date(),
        next_url=next_url,
        first_url=first_url,
        peer_invites=pending_invites(current_user.employee_id),
        complaint_tasks=[t for t in case_tasks if t.complaint_id is not None],
        pembinaan_tasks=[t for t in case_tasks if t.pembinaan_id is not None],
    )


def get_group_task(task_id: int) -> Task:
    """The open group task, if the user may work on it as a BKD verifier (else 404/403)."""
    task = db.session.get(Task, task_id)
    if task is None or task.role not in GROUP_ROLES or task.assignee_id is not None:
        abort(404)
    if VERIFIKATOR_BKD not in appraisal_roles(current_user, task.appraisal):
        abort(403)
    return task


@bp.route("/inbox/<int:task_id>/claim", methods=["POST"])
@login_required
def claim(task_id: int):
    """Take a group task: the other verifiers no longer see it."""
    task = get_group_task(task_id)
    if EmptyForm().validate_on_submit():
        try:
            services.claim(task, current_user)
        except services.ClaimRefused as refused:
            if refused.holder is None:
                flash(_("This task has already been completed."), "warning")
            else:
                flash(
                    _("This task was already claimed by %(name)s.", name=refused.holder.name),
                    "warning",
                )
        else:
            db.session.commit()
            flash(_("The task is yours now."), "success")
    return redirect(url_for("inbox.index"))


@bp.route("/inbox/<int:task_id>/release", methods=["POST"])
@login_required
def release(task_id: int):
    """Give a claimed group task back to all verifiers."""
    task = get_group_task(task_id)
    if task.claimed_by_id != current_user.employee_id:
        abort(403)
    if EmptyForm().validate_on_submit():
        if services.release(task, current_user):
            db.session.commit()
            flash(_("The task was released to the other verifiers."), "success")
        else:
            flash(_("This task has already been completed."), "warning")
    return redirect(url_for("inbox.index"))
