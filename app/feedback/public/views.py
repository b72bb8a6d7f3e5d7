"""The public form of a unit layanan and its thank-you page (no account needed).

Every refusal (a field, the token, the honeypot, a double submit, the rate limit)
answers with a message in the visitor's language and stores nothing.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from app.extensions import client_address, db, limiter
from app.feedback.public import bp, services
from app.feedback.public.forms import SkmForm
from app.models import ServiceUnit
from app.models.types import utcnow


def skm_rate_limit() -> str:
    """Submissions per address (config SKM_RATE_LIMIT, e.g. "10 per minute")."""
    return current_app.config["SKM_RATE_LIMIT"]


def _local_today(now: datetime):
    from zoneinfo import ZoneInfo

    return now.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


class NoSuchUnit(Exception):
    """No active unit has the code in the address."""


def _unit(code: str) -> ServiceUnit:
    unit = services.open_unit(code)
    if unit is None:
        raise NoSuchUnit(code)
    return unit


@bp.errorhandler(NoSuchUnit)
def no_such_unit(error):
    # A light page in the public form's style, not the app's error page.
    message = _("No service unit takes answers at this address. Check the code on the poster.")
    return render_template("feedback/public/message.html", unit=None, message=message), 404


def _render(unit: ServiceUnit, form: SkmForm, status: int = 200, problem: str | None = None):
    form.token.data = services.new_token(unit)
    return render_template(
        "feedback/public/form.html", unit=unit, form=form, problem=problem
    ), status


def _form(unit: ServiceUnit, now: datetime, formdata=None) -> SkmForm:
    form = SkmForm() if formdata is None else SkmForm(formdata=formdata)
    form.set_services(services.active_kinds(unit))
    form.served_window(_local_today(now), current_app.config["SKM_SERVED_MAX_DAYS"])
    return form


def _submission(form: SkmForm) -> services.Submission:
    return services.Submission(
        answers=form.answers,
        service_kind_id=form.service_kind_id.data or None,
        served_on=form.served_on.data,
        gender=form.gender.data,
        age=form.age.data,
        education=form.education.data,
        occupation=form.occupation.data,
        comment=form.comment.data or None,
        is_complaint=bool(form.is_complaint.data),
        contact_name=form.contact_name.data or None,
        contact_email=form.contact_email.data or None,
        contact_phone=form.contact_phone.data or None,
        locale=str(get_locale()),
    )


@bp.url_value_preprocessor
def cap_the_request(endpoint, values):
    # A public form needs a few kilobytes: refuse megabytes before anything parses them.
    # URL value preprocessors run before every before_request hook (the CSRF check reads
    # the form in one), so the cap is in place in time.
    request.max_content_length = current_app.config["SKM_MAX_REQUEST_BYTES"]


@bp.route("/umpan-balik/<code>", methods=["GET", "POST"])
@limiter.limit(skm_rate_limit, methods=["POST"])
def form(code: str):
    """The SKM form of the unit: one page, no JavaScript needed; PRG to the thank-you page."""
    unit = _unit(code)
    now = utcnow()
    if request.method == "GET":
        form = _form(unit, now)
        form.served_on.data = _local_today(now)
        return _render(unit, form)
    form = _form(unit, now, request.form)
    if form.website.data:
        # A robot filled the hidden field; a person is told what to do all the same.
        return _render(unit, form, 400, _("Your answer could not be accepted. Please try again."))
    if not form.validate():
        return _render(unit, form, 422, _("Some answers are missing or not valid: see below."))
    try:
        nonce = services.read_token(form.token.data, unit)
    except services.TokenProblem as problem:
        message = (
            _("The form was open too long. Please check your answers and send them again.")
            if problem.expired
            else _("The form could not be checked. Please check your answers and send them again.")
        )
        return _render(unit, form, 400, message)
    try:
        services.submit(unit, _submission(form), nonce, client_address(), now)
    except services.AlreadyReceived as refused:
        db.session.rollback()
        message = (
            _(
                "This form has already been sent; your answer was received once. "
                "Nothing new was saved."
            )
            if refused.replay
            else _("The same answer from you was already received today. Nothing new was saved.")
        )
        return render_template("feedback/public/message.html", unit=unit, message=message), 409
    db.session.commit()
    return redirect(url_for("skm_public.thanks", code=unit.code), 303)


@bp.route("/umpan-balik/<code>/terima-kasih")
def thanks(code: str):
    """Thanks for the answer."""
    return render_template("feedback/public/thanks.html", unit=_unit(code))
