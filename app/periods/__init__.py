"""Periods (admin BKD): create and edit, open for the city in the background, deadlines."""

from flask import Blueprint

bp = Blueprint("periods", __name__)

from app.periods import views  # noqa: E402, F401
