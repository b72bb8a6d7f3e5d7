"""Flask extensions, created unbound and initialised in create_app()."""

import sqlalchemy as sa
from flask import request
from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase

# Constraint names are fixed so that migrations can name what they alter or drop.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


# Objects keep what they held at commit: a view answers from what it committed and
# never goes back to the database after its commit (a connection lost then would
# turn a saved change into an error page that says nothing was saved).
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
login_manager = LoginManager()
mail = Mail()
csrf = CSRFProtect()
babel = Babel()
bootstrap = Bootstrap5()


def client_address() -> str:
    """The client's address: remote_addr, as corrected by ProxyFix for PROXY_COUNT proxies."""
    return request.remote_addr or "unknown"


def signed_in_user() -> str:
    """The rate-limit key of per-user quotas: the account, else the client's address."""
    from flask_login import current_user

    if current_user.is_authenticated:
        return f"account:{current_user.id}"
    return client_address()


limiter = Limiter(key_func=client_address, default_limits=[])


def render_rate_limit() -> str:
    """Per-user limit of the PDF renders and exports (config RENDER_RATE_LIMIT)."""
    from flask import current_app

    return current_app.config["RENDER_RATE_LIMIT"]


# Rendering a PDF or an export is costly: a per-user quota, shared by all of them.
# A page that merely shows a table (no `fmt` in its URL) is no render.
render_quota = limiter.shared_limit(
    render_rate_limit,
    scope="render",
    key_func=signed_in_user,
    exempt_when=lambda: (request.view_args or {}).get("fmt", "file") is None,
)
