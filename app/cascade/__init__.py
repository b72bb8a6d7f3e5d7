"""Cascading top-down: the matriks peran hasil of an atasan and the OPD's coverage report."""

from flask import Blueprint

bp = Blueprint("cascade", __name__)

from app.cascade import team_views, views  # noqa: E402, F401
