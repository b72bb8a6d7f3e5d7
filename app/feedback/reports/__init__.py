"""SKM survey reports: each unit layanan's IKM per period, its XLSX of raw responses and
its PDF report, for admin BKD, the kepala OPD and the unit head."""

from flask import Blueprint

bp = Blueprint("skm_reports", __name__)

from app.feedback.reports import views  # noqa: E402, F401
