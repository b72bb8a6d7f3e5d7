"""The public SKM form at /umpan-balik/<code>: no account, one light page, abuse refused."""

from flask import Blueprint

bp = Blueprint("skm_public", __name__)

from app.feedback.public import views  # noqa: E402, F401
