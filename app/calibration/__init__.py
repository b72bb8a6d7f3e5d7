"""Calibration before BKD verification: the kepala OPD's view of the OPD's proposed predikat."""

from flask import Blueprint

bp = Blueprint("calibration", __name__)

from app.calibration import views  # noqa: E402, F401
