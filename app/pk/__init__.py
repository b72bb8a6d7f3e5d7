"""The Perjanjian Kinerja of each OPD: sasaran, indicators, quarterly realisasi, achievement."""

from flask import Blueprint

bp = Blueprint("pk", __name__)

from app.pk import views  # noqa: E402, F401
