"""Sign-in, sign-out, password change and reset, language choice."""

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import bp, services
from app.auth.forms import (
    ChangePasswordForm,
    EmptyForm,
    LanguageForm,
    LoginForm,
    RequestResetForm,
    ResetPasswordForm,
)
from app.auth.passwords import verify_password
from app.extensions import db, limiter

FAILED_LOGIN = _l(
    "The NIP/email or password is wrong, or the account is locked for a while after "
    "repeated failures. Check them and try again, or reset your password."
)


def _safe_next(target: str | None) -> str:
    """Only follow relative links back into this site."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and "\\" not in target:
            return target
    return url_for("main.index")


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
        account = services.authenticate(form.login.data, form.password.data)
        db.session.commit()  # failures and lockouts are recorded either way
        if account is not None:
            login_user(account, remember=form.remember.data)
            return redirect(_safe_next(form.next.data))
        flash(str(FAILED_LOGIN), "danger")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out of this browser."""
    if EmptyForm().validate_on_submit():
        logout_user()
        flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """Change the password; sign out everywhere."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current.data):
            form.current.errors.append(_("The current password is wrong."))
        else:
            services.set_password(current_user, form.password.data)
            db.session.commit()
            # This browser stays signed in under the new epoch; all others are out.
            login_user(current_user._get_current_object())
            flash(_("Your password has been changed. Other sessions were signed out."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form, signout_form=EmptyForm())


@bp.route("/account/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere():
    """End every session of this account, this one included."""
    if EmptyForm().validate_on_submit():
        services.end_sessions(current_user)
        db.session.commit()
        logout_user()
        flash(_("You have been signed out on every device."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/reset", methods=["GET", "POST"])
def request_reset():
    """Ask for a password reset link by email."""
    form = RequestResetForm()
    if form.validate_on_submit():
        services.request_password_reset(
            form.login.data, lambda token: url_for("auth.reset", token=token, _external=True)
        )
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
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.set_password(account, form.password.data)
        db.session.commit()
        flash(_("Your password has been set. Please sign in."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form)


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
        _safe_next(form.next.data or (request.referrer and urlsplit(request.referrer).path))
    )
