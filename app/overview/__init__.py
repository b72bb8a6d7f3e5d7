"""Overviews: a pegawai's own SKP in every period, and an atasan's team in one period."""

from flask import Blueprint

bp = Blueprint("overview", __name__)

from app.overview import views  # noqa: E402, F401
