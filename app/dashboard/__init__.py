"""Read-only progress of an OPD's appraisals: for its kepala OPD and for BKD."""

from flask import Blueprint

bp = Blueprint("dashboard", __name__)

from app.dashboard import views  # noqa: E402, F401
