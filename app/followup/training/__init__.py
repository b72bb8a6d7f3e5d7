"""Training and sosialisasi records (issue 16): events, attendance, certificates."""

from flask import Blueprint

bp = Blueprint("training", __name__)

from app.followup.training import views  # noqa: E402, F401
