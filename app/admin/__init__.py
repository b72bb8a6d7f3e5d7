"""Administration by BKD: employees, accounts and roles."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from app.admin import moves, views  # noqa: E402, F401
