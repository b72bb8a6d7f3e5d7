"""Administration by BKD: employees, accounts and roles, the appraiser rules."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from app.admin import moves, operators, rule_views, views  # noqa: E402, F401
