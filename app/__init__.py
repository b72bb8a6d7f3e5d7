"""SIKAP application factory."""

import logging

from flask import Flask, g, has_request_context, render_template, request, session
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

from app import jobs, ops
from app.extensions import babel, bootstrap, csrf, db, limiter, login_manager, mail, migrate
from app.plugins import register_tasks
from app.prepared import keep_prepared_statements
from config import Config, ProductionConfig, config_from_env

log = logging.getLogger(__name__)

FALLBACK_500 = (
    "Terjadi kesalahan. Tidak ada yang disimpan. Silakan coba lagi sebentar lagi.\n"
    "Something went wrong. Nothing was saved. Please try again shortly.\n"
)


def create_app(config_class: type[Config] | None = None, **overrides) -> Flask:
    """Build the application for `config_class` (default: chosen by SIKAP_ENV)."""
    config_class = config_class or config_from_env()
    if issubclass(config_class, ProductionConfig):
        config_class.validate()
    app = Flask(__name__, template_folder="../templates", instance_relative_config=False)
    app.config.from_object(config_class)
    app.config.update(overrides)
    if app.config["PROXY_COUNT"]:
        # Trust X-Forwarded-For/-Proto from exactly this many proxies, and no header else.
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)

    db.init_app(app)
    with app.app_context():
        keep_prepared_statements(db.engine)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))
    login_manager.init_app(app)
    mail.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    bootstrap.init_app(app)
    # The rate limit is checked before CSRF, so that junk posts count against it too.
    limiter.init_app(app)
    csrf.init_app(app)
    jobs.init_app(app)
    register_tasks()

    _load_workflows(app)
    _configure_login()
    _register_blueprints(app)
    _register_error_handlers(app)
    _register_request_hooks(app)
    ops.init_app(app)

    from app.cli import register_cli

    register_cli(app)
    return app


def select_locale() -> str:
    """The signed-in user's language, else the one chosen this session, else Indonesian."""
    from flask import current_app

    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("lang")
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def _configure_login() -> None:
    from flask_babel import lazy_gettext as _l

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_account(session_token: str):
        # The id Flask-Login keeps is the server-side session's token: one query loads
        # the session row with the account, its roles, position and OPD.
        # The navigation's inbox count and "appraises anyone" come along in it too.
        from app.auth.sessions import load_session
        from app.inbox.services import session_nav_columns
        from app.models.types import utcnow

        account = load_session(session_token, utcnow(), session_nav_columns())
        if account is not None and account.preloaded_nav is not None:
            *nav, case_tasks, may_head = account.preloaded_nav
            account.preloaded_nav, account.may_head_opd = tuple(nav), bool(may_head)
            account.case_task_count = case_tasks
        return account


def _load_workflows(app: Flask) -> None:
    """Load and validate every definition; a broken one stops the app from starting."""
    from app.plugins import register_workflow_plugins
    from app.workflow.engine import EXTENSION_KEY, Engine
    from app.workflow.registry import load_definitions

    register_workflow_plugins()
    app.extensions[EXTENSION_KEY] = Engine(load_definitions(app.config["WORKFLOW_DIR"]))


def _register_blueprints(app: Flask) -> None:
    from app.admin import bp as admin_bp
    from app.announcements import bp as announcements_bp
    from app.appraisals import bp as appraisals_bp
    from app.auth import bp as auth_bp
    from app.calibration import bp as calibration_bp
    from app.cascade import bp as cascade_bp
    from app.complaints import bp as complaints_bp
    from app.dashboard import bp as dashboard_bp
    from app.exports import bp as exports_bp
    from app.feedback.public import bp as skm_public_bp
    from app.feedback.reports import bp as skm_reports_bp
    from app.feedback.transparency import bp as transparency_bp
    from app.feedback.units import bp as service_units_bp
    from app.followup.consequences import bp as consequences_bp
    from app.followup.development import bp as development_bp
    from app.followup.talent_pages import bp as talent_bp
    from app.followup.training import bp as training_bp
    from app.guide import bp as guide_bp
    from app.inbox import bp as inbox_bp
    from app.main import bp as main_bp
    from app.monitoring import bp as monitoring_bp
    from app.notifications.views import bp as notifications_bp
    from app.overview import bp as overview_bp
    from app.pembinaan import bp as pembinaan_bp
    from app.periods import bp as periods_bp
    from app.pk import bp as pk_bp
    from app.pustaka import bp as pustaka_bp
    from app.roster import bp as roster_bp
    from app.skp import bp as skp_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(appraisals_bp)
    app.register_blueprint(inbox_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(monitoring_bp)
    app.register_blueprint(overview_bp)
    app.register_blueprint(pk_bp)
    app.register_blueprint(calibration_bp)
    app.register_blueprint(cascade_bp)
    app.register_blueprint(periods_bp, url_prefix="/admin/periods")
    app.register_blueprint(roster_bp, url_prefix="/admin/roster")
    app.register_blueprint(exports_bp, url_prefix="/exports")
    app.register_blueprint(talent_bp)
    app.register_blueprint(consequences_bp)
    app.register_blueprint(skp_bp)
    app.register_blueprint(guide_bp)
    app.register_blueprint(announcements_bp)
    app.register_blueprint(pustaka_bp)
    app.register_blueprint(skm_reports_bp)
    app.register_blueprint(transparency_bp)
    app.register_blueprint(service_units_bp)
    app.register_blueprint(skm_public_bp)
    app.register_blueprint(complaints_bp)
    app.register_blueprint(pembinaan_bp)
    app.register_blueprint(development_bp)
    app.register_blueprint(training_bp)


def _register_error_handlers(app: Flask) -> None:
    def render_error(code: int, title: str, message: str):
        return render_template("errors/error.html", code=code, title=title, message=message), code

    @app.errorhandler(400)
    def bad_request(error):
        return render_error(400, _("Bad request"), _("The request could not be understood."))

    @app.errorhandler(SecurityError)
    def untrusted_host(error):
        # An unknown Host header (TRUSTED_HOSTS): no URL can be built for it, so no page.
        return "Bad request: unknown host.\n", 400, {"Content-Type": "text/plain; charset=utf-8"}

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400,
            _("Form expired"),
            _(
                "The form has expired or was not sent from this site. "
                "Please go back, reload the page and try again."
            ),
        )

    @app.errorhandler(403)
    def forbidden(error):
        return render_error(403, _("Access denied"), _("You do not have access to this page."))

    @app.errorhandler(404)
    def not_found(error):
        return render_error(404, _("Page not found"), _("The page you asked for does not exist."))

    @app.errorhandler(405)
    def method_not_allowed(error):
        return render_error(405, _("Not allowed"), _("This action is not allowed here."))

    @app.errorhandler(413)
    def too_large(error):
        return render_error(413, _("File too large"), _("The file or form you sent is too large."))

    @app.errorhandler(429)
    def too_many(error):
        return render_error(
            429, _("Too many attempts"), _("Too many attempts. Please wait a minute and try again.")
        )

    @app.errorhandler(500)
    def server_error(error):
        log.exception("unhandled error", exc_info=getattr(error, "original_exception", error))
        try:
            db.session.rollback()
            return render_error(
                500,
                _("Something went wrong"),
                _("An unexpected error occurred. Nothing was saved. Please try again."),
            )
        except Exception:
            # The page itself needs the database (navigation); when that is what
            # failed, answer with plain text rather than a second traceback.
            return FALLBACK_500, 500, {"Content-Type": "text/plain; charset=utf-8"}


def _label_dictionaries() -> dict:
    """What each stored code is called on pages: one dictionary per kind, beside its codes."""
    from app.models.appraisal import PERIOD_KIND_LABELS, PERIOD_STATUS_LABELS
    from app.models.org import ACTING_LABELS
    from app.models.outbox import OUTBOX_STATUS_LABELS
    from app.workflow.roles import ROLE_LABELS

    return {
        "role_labels": ROLE_LABELS,
        "acting_labels": ACTING_LABELS,
        "outbox_status_labels": OUTBOX_STATUS_LABELS,
        "period_kind_labels": PERIOD_KIND_LABELS,
        "period_status_labels": PERIOD_STATUS_LABELS,
    }


def _register_request_hooks(app: Flask) -> None:
    from app import security

    @app.before_request
    def assign_request_id():
        g.request_id = security.new_request_id()

    app.after_request(security.set_security_headers)

    from app.workflow.web import localized, step_label

    app.add_template_filter(localized)
    app.add_template_global(step_label)
    app.add_template_global(_remembering_url_for(), "url_for")

    @app.context_processor
    def inject_policy():
        from app import policy
        from app.policy.monitoring import shows_monitor

        def nav_counts() -> tuple[int, bool]:
            # Called from the navigation only: one query per page, none for the anonymous.
            if "nav_counts" not in g:
                from app.inbox.services import nav_counts as count

                g.nav_counts = count(current_user) if current_user.is_authenticated else (0, False)
            return g.nav_counts

        def inbox_count() -> int:
            return nav_counts()[0]

        def leads_team() -> bool:
            """Whether the signed-in employee appraises anyone (SKP tim)."""
            return nav_counts()[1]

        return {
            "can": lambda permission: policy.can(current_user, permission),
            "shows_monitor": lambda: shows_monitor(current_user, leads_team()),
            "csp_nonce": security.csp_nonce,
            "allow_inline_style_attributes": security.allow_inline_style_attributes,
            "get_locale": get_locale,
            "inbox_count": inbox_count,
            **_label_dictionaries(),
            "leads_team": leads_team,
            **_bound_gettext(),
        }


def _remembering_url_for():
    """Templates' url_for, remembering the URLs that take no values (and static files).

    The layout alone builds some twenty of them on every page (the navigation,
    the admin menu, the stylesheets), always the same. A URL with values
    (an appraisal's id, ...) or options (_external, ...) is built as before; the
    remembered ones are keyed by the script root, so a mounted app stays right.
    """
    from flask import url_for

    remembered: dict[tuple[str, str, str | None], str] = {}

    def remembering(endpoint: str, **values) -> str:
        if (
            endpoint.startswith(".")
            or (values and (endpoint != "static" or len(values) != 1))
            or not has_request_context()  # a document rendered by a worker
        ):
            return url_for(endpoint, **values)
        key = (request.script_root, endpoint, values.get("filename"))
        url = remembered.get(key)
        if url is None:
            url = remembered[key] = url_for(endpoint, **values)
        return url

    return remembering


def _bound_gettext() -> dict:
    """gettext and ngettext for one render, bound to the translations of its locale.

    Flask-Babel's template callables look the locale and catalogue up again on
    every `_()` (a chain of context-local lookups), some 30 times a page. They
    behave as Jinja's "newstyle" gettext: the result is Markup under autoescape
    and always %-formatted with the keyword arguments.
    """
    from flask_babel import get_translations
    from jinja2 import pass_context
    from markupsafe import Markup

    translations = get_translations()

    @pass_context
    def gettext(context, string: str, **variables):
        text = translations.ugettext(string)
        # Our own catalogue's text, as Jinja's newstyle gettext; the variables are escaped by %.
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables  # nosec B704

    @pass_context
    def ngettext(context, singular: str, plural: str, num: int, **variables):
        variables.setdefault("num", num)
        text = translations.ungettext(singular, plural, num)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables  # nosec B704

    return {"gettext": gettext, "ngettext": ngettext}
