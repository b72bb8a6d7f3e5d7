"""Pembinaan: the case a final predikat of Kurang or Sangat Kurang opens
(workflows/pembinaan.yaml), led by the atasan, agreed by the employee, monitored
monthly and closed with an outcome the kepala OPD confirms."""

from flask import Blueprint

bp = Blueprint("pembinaan", __name__)

from app.pembinaan import views  # noqa: E402,F401
