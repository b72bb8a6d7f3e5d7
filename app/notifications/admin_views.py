"""The outbox for admin BKD (by status, one message, requeue), and /dev/mail in development."""

from __future__ import annotations

import ipaddress

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.auth.forms import EmptyForm
from app.extensions import db
from app.models import OutboxMessage
from app.models.outbox import OUTBOX_STATUSES
from app.notifications.views import bp
from app.outbox import queue as outbox
from app.outbox.render import NotRenderable, Rendered, is_rendered, render
from app.policy import permission_required


def _message(message_id: int) -> OutboxMessage:
    return db.session.get(OutboxMessage, message_id) or abort(404)


def _mail(message: OutboxMessage) -> Rendered | None:
    """The message as sent, or (not rendered yet) as it would read now; None if it cannot be."""
    try:
        return render(message)
    except NotRenderable:
        return None


@bp.route("/admin/outbox")
@permission_required("outbox.manage")
def outbox_index():
    """The outbox by status, newest first, with the count of each status."""
    status = request.args.get("status", "dead")
    if status not in OUTBOX_STATUSES:
        status = "dead"
    before = request.args.get("before", type=int)
    rows, next_before = outbox.outbox_page(status, before)
    return render_template(
        "notifications/outbox.html",
        status=status,
        counts=outbox.status_counts(),
        rows=rows,
        next_before=next_before,
        button=EmptyForm(),
    )


@bp.route("/admin/outbox/<int:message_id>")
@permission_required("outbox.manage")
def outbox_message(message_id: int):
    """One message: where it stands, its last error, and its text."""
    message = _message(message_id)
    return render_template(
        "notifications/message.html",
        message=message,
        mail=_mail(message),
        rendered=is_rendered(message),
        private=message.template in outbox.PRIVATE_TEMPLATES,
        button=EmptyForm(),
        dev=False,
    )


@bp.route("/admin/outbox/<int:message_id>/requeue", methods=["POST"])
@permission_required("outbox.manage")
def outbox_requeue(message_id: int):
    """Give a dead message a fresh set of attempts."""
    message = _message(message_id)
    if EmptyForm().validate_on_submit():
        if outbox.requeue(message):
            db.session.commit()
            flash(_("The message is queued again."), "success")
        else:
            flash(_("Only a dead message can be queued again."), "warning")
    return redirect(url_for("notifications.outbox_message", message_id=message.id))


@bp.route("/admin/outbox/requeue-dead", methods=["POST"])
@permission_required("outbox.manage")
def outbox_requeue_dead():
    """Queue every dead message again (after the cause, e.g. a relay setting, is fixed)."""
    if EmptyForm().validate_on_submit():
        count = outbox.requeue_all_dead()
        db.session.commit()
        flash(_("%(count)d messages are queued again.", count=count), "success")
    return redirect(url_for("notifications.outbox_index", status="pending"))


def _dev_only() -> None:
    # The catch-all shows every mail, sign-in links included: development only, and
    # only to the machine itself (a dev server reachable on the network shows nothing).
    if not current_app.config.get("DEV_MAILBOX") or not _from_loopback():
        abort(404)


def _from_loopback() -> bool:
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


@bp.route("/dev/mail")
def dev_mail():
    """Development: every mail the app wrote, newest first, as the catch-all received it."""
    _dev_only()
    before = request.args.get("before", type=int)
    rows, next_before = outbox.outbox_page(None, before)
    return render_template("notifications/dev_mail.html", rows=rows, next_before=next_before)


@bp.route("/dev/mail/<int:message_id>")
def dev_message(message_id: int):
    """Development: one mail, text and HTML, links included."""
    _dev_only()
    message = _message(message_id)
    return render_template(
        "notifications/message.html",
        message=message,
        mail=_mail(message),
        rendered=is_rendered(message),
        private=False,
        button=None,
        dev=True,
    )
