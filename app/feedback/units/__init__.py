"""Unit layanan management: admin BKD and each kepala OPD keep the OPD's units, their jenis
layanan and posters, and may hide an abusive comment of the public."""

from flask import Blueprint

bp = Blueprint("service_units", __name__)

from app.feedback.units import comments, views  # noqa: E402, F401
