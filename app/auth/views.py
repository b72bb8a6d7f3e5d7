"""Sign-in, sign-out, sessions, password change and reset, language choice."""

from datetime import timedelta
from urllib.parse import urlsplit

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import bp, services, sessions
from app.auth.forms import (
    PASSWORD_RULES,
    ChangePasswordForm,
    EmptyForm,
    LanguageForm,
    LoginForm,
    RequestResetForm,
    ResetPasswordForm,
)
from app.auth.passwords import verify_password
from app.auth.redirects import is_safe_path
from app.extensions import client_address, db, limiter
from app.models.types import utcnow

FAILED_LOGIN = _l(
    "The NIP/email or password is wrong. Check them and try again, or reset your password."
)


def safe_next(target: str | None) -> str:
    """`target` when it is a path on this site, else the home page."""
    return target if is_safe_path(target) else url_for("main.index")


def wait_text(wait: timedelta) -> str:
    """ "2 minutes", "30 seconds": how long to wait, rounded up to the unit shown."""
    seconds = max(1, int(wait.total_seconds() + 0.999))
    if seconds >= 60:
        seconds = -(-seconds // 60) * 60
    return format_timedelta(timedelta(seconds=seconds), threshold=1.0)


def _start_fresh_session() -> None:
    # A new Flask session at sign-in: the old one (and its CSRF secret) may be known to
    # someone who set or saw it before. Only the language choice is carried over.
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def _login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


# Every POST to this blueprint (sign-in, reset, ...) shares one per-IP budget. It is
# a blueprint limit so that it is checked before CSRF: junk posts count too.
limiter.limit(_login_rate_limit, methods=["POST"])(bp)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in by NIP or email and password."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        result = services.sign_in(
            form.login.data,
            form.password.data,
            address=client_address(),
            remember=form.remember.data,
            user_agent=request.user_agent.string,
        )
        if result.account is not None:
            _start_fresh_session()
        db.session.commit()  # failures are counted either way
        if result.account is not None:
            login_user(result.account, remember=form.remember.data)
            return redirect(safe_next(form.next.data))
        if result.wait is not None:
            message = _(
                "Too many failed sign-ins. Try again in %(wait)s.", wait=wait_text(result.wait)
            )
            flash(message, "danger")
        else:
            flash(str(FAILED_LOGIN), "danger")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out of this browser: its session ends on the server too."""
    if EmptyForm().validate_on_submit():
        if current_user.is_authenticated:
            sessions.end_session(current_user.current_session, utcnow())
            db.session.commit()
        _start_fresh_session()
        logout_user()
        flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """Change the password; see and end sessions."""
    form = ChangePasswordForm(account=current_user)
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current.data):
            form.current.errors.append(_("The current password is wrong."))
        else:
            services.set_password(
                current_user, form.password.data, keep=current_user.current_session
            )
            db.session.commit()
            flash(_("Your password has been changed. Other sessions were signed out."), "success")
            return redirect(url_for("auth.account"))
    return render_template(
        "auth/account.html",
        form=form,
        rules=PASSWORD_RULES,
        signout_form=EmptyForm(),
        sessions=sessions.open_sessions(current_user, utcnow()),
        current_session=current_user.current_session,
    )


@bp.route("/account/sessions/<session_id>/end", methods=["POST"])
@login_required
def end_session(session_id: str):
    """End one of this account's sessions (another device)."""
    record = sessions.session_of(current_user, session_id)
    if record is None:
        abort(404)
    if EmptyForm().validate_on_submit():
        sessions.end_session(record, utcnow())
        db.session.commit()
        flash(_("That session has been signed out."), "info")
    return redirect(url_for("auth.account"))


@bp.route("/account/sessions/end-others", methods=["POST"])
@login_required
def end_other_sessions():
    """End every session of this account except this one."""
    if EmptyForm().validate_on_submit():
        sessions.end_sessions(current_user, utcnow(), keep=current_user.current_session)
        db.session.commit()
        flash(_("Your other sessions have been signed out."), "info")
    return redirect(url_for("auth.account"))


@bp.route("/account/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere():
    """End every session of this account, this one included."""
    if EmptyForm().validate_on_submit():
        sessions.end_sessions(current_user, utcnow())
        db.session.commit()
        _start_fresh_session()
        logout_user()
        flash(_("You have been signed out on every device."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/reset", methods=["GET", "POST"])
def request_reset():
    """Ask for a password reset link by email."""
    form = RequestResetForm()
    if form.validate_on_submit():
        services.request_password_reset(form.login.data)
        db.session.commit()
        flash(
            _(
                "If an account with an email exists for that NIP or email, "
                "a reset link is on its way."
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/request_reset.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    """Choose a new password with a valid reset link."""
    account = services.account_for_reset_token(token)
    if account is None:
        flash(
            _("This reset link is invalid, expired or already used. Ask for a new one."), "danger"
        )
        return redirect(url_for("auth.request_reset"))
    form = ResetPasswordForm(account=account)
    if form.validate_on_submit():
        services.set_password(account, form.password.data)
        db.session.commit()
        flash(_("Your password has been set. Please sign in."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form, rules=PASSWORD_RULES)


@bp.route("/language", methods=["POST"])
def language():
    """Switch the interface language (saved on the account when signed in)."""
    form = LanguageForm()
    if form.validate_on_submit():
        session["lang"] = form.lang.data
        if current_user.is_authenticated:
            services.set_locale(current_user, form.lang.data)
            db.session.commit()
    return redirect(
        safe_next(form.next.data or (request.referrer and urlsplit(request.referrer).path))
    )
