"""Exports: the recap of a period per OPD (XLSX, CSV) and the predikat distribution per OPD."""

from flask import Blueprint

bp = Blueprint("exports", __name__)

from app.exports import views  # noqa: E402, F401
