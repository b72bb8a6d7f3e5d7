"""The landing page of emailed links, and each user's choice of immediate mail or a digest.

The admin outbox pages and the development mailbox are in admin_views.py, on
the same blueprint.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db, login_manager
from app.models import Appraisal, Task
from app.notifications.forms import MailModeForm
from app.outbox import notices
from app.outbox.links import LinkRefused, MailLink, read_link
from app.policy import can_view_appraisal
from app.skp.next_action import decision_url
from app.workflow.audit import latest_event
from app.workflow.web import moved_on_message

bp = Blueprint("notifications", __name__)


def _page(code: int, title: str, message: str, appraisal_id: int | None = None):
    return render_template(
        "notifications/link.html",
        title=title,
        message=message,
        appraisal_id=appraisal_id,
    ), code


def _refused(error: LinkRefused):
    if error.expired:
        return _page(
            410,
            _("This link has expired"),
            _(
                "Links in SIKAP emails work for a limited time. Sign in to SIKAP and "
                "open the task from your inbox."
            ),
        )
    return _page(
        404,
        _("This link is not valid"),
        _(
            "The link is incomplete or was changed. Copy the whole link from the email, "
            "or sign in to SIKAP and open the task from your inbox."
        ),
    )


def _task_closed(link: MailLink) -> bool:
    """Whether the task the link was sent for has been dealt with (closed or gone)."""
    if link.task_id is None:
        return False
    task = db.session.get(Task, link.task_id)
    return task is None or task.appraisal_id != link.appraisal_id or task.closed_at is not None


def _moved_page(appraisal: Appraisal):
    event = latest_event(appraisal.id)
    if event is None:
        message = _("This task is no longer open. There is nothing left to do from this email.")
    else:
        message = moved_on_message(appraisal, event)
    return _page(200, _("Already done"), message, appraisal.id)


@bp.route("/appraisals/<int:appraisal_id>/from-mail/<token>")
def follow(appraisal_id: int, token: str):
    """Open what an emailed link points to, for its recipient only. GET never changes anything."""
    try:
        link = read_link(token, appraisal_id)
    except LinkRefused as error:
        return _refused(error)
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.employee_id != link.employee_id:
        return _page(
            403,
            _("This link is for someone else"),
            _(
                "This email link was sent to another person and only works for them. "
                "If it was meant for you, sign out and sign in with your own account."
            ),
        )
    appraisal = db.session.get(Appraisal, appraisal_id)
    if appraisal is None or not can_view_appraisal(current_user, appraisal):
        abort(404)
    if _task_closed(link):
        return _moved_page(appraisal)
    if link.trigger:
        # The page where that step is decided, with what deciding it needs (the plan, the
        # review, the objection) and the step's button, which POSTs: mail scanners that
        # fetch links change nothing.
        return redirect(decision_url(appraisal_id, link.trigger))
    return redirect(url_for("appraisals.detail", appraisal_id=appraisal_id))


@bp.route("/account/mail", methods=["GET", "POST"])
@login_required
def preferences():
    """Choose immediate workflow mail or one daily digest."""
    form = MailModeForm(mail_mode=current_user.mail_mode)
    if form.validate_on_submit():
        notices.set_mail_mode(current_user, form.mail_mode.data)
        db.session.commit()
        flash(_("Your email preference has been saved."), "success")
        return redirect(url_for("notifications.preferences"))
    return render_template("notifications/preferences.html", form=form)


from app.notifications import admin_views  # noqa: E402, F401
