"""Rencana pengembangan (issue 16): needs and actions at review, progress, yearly JP."""

from flask import Blueprint

bp = Blueprint("development", __name__)

from app.followup.development import views  # noqa: E402, F401
