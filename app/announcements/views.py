"""Announcements: posting and read rates (admin BKD), marking read (the recipient)."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup, escape
from wtforms import SelectChoice

from app import policy
from app.announcements import bp, services
from app.announcements.forms import AUDIENCE_LABELS, AnnouncementForm
from app.extensions import db
from app.guide.markdown import render_markdown
from app.models import Announcement


@bp.route("/admin/announcements")
@login_required
@policy.permission_required("announcements.manage")
def index():
    """Recent announcements with how many of their recipients have read them."""
    announcements = services.recent_announcements()
    return render_template(
        "announcements/index.html",
        announcements=announcements,
        totals=services.reach_totals(announcements),
        audience_labels=AUDIENCE_LABELS,
    )


@bp.route("/admin/announcements/new", methods=["GET", "POST"])
@login_required
@policy.permission_required("announcements.manage")
def new():
    """Post an announcement to the whole city or to chosen OPDs."""
    form = AnnouncementForm()
    opds = services.opd_choices()
    form.opds.choices = [SelectChoice(opd.id, opd.name) for opd in opds]
    if not form.validate_on_submit():
        return render_template("announcements/form.html", form=form), (
            422 if form.is_submitted() else 200
        )
    chosen = set(form.opds.data or ())
    announcement = services.post_announcement(
        title=form.title.data,
        body=form.body.data,
        body_format=form.body_format.data,
        audience=form.audience.data,
        opds=[opd for opd in opds if opd.id in chosen],
        expires_on=form.expires_on.data,
        author=current_user,
    )
    announcement_id = announcement.id
    db.session.commit()
    flash(_("The announcement is posted."), "success")
    return redirect(url_for("announcements.reach", announcement_id=announcement_id))


@bp.route("/admin/announcements/<int:announcement_id>")
@login_required
@policy.permission_required("announcements.manage")
def reach(announcement_id: int):
    """One announcement and its read rate per OPD: a chart and the same numbers as a table."""
    announcement = db.get_or_404(Announcement, announcement_id)
    rows = services.reach_by_opd(announcement)
    return render_template(
        "announcements/reach.html",
        announcement=announcement,
        rows=rows,
        recipients=sum(r.recipients for r in rows),
        read=sum(r.read for r in rows),
        audience_labels=AUDIENCE_LABELS,
    )


@bp.route("/announcements/<int:announcement_id>/read", methods=["POST"])
@login_required
def mark_read(announcement_id: int):
    """The recipient has read the announcement: it leaves their Beranda (CSRF: app-wide)."""
    announcement = services.addressed_announcement(announcement_id, current_user)
    if announcement is None:
        abort(404)
    services.mark_read(announcement, current_user)
    db.session.commit()
    return redirect(url_for("main.index"))


@bp.app_template_filter("announcement_body")
def announcement_body(announcement: Announcement) -> Markup:
    """The text as written: Markdown rendered (no raw HTML), or plain text kept as typed."""
    if announcement.body_format == "markdown":
        return render_markdown(announcement.body)
    return Markup('<p class="pre-wrap">{}</p>').format(escape(announcement.body))
