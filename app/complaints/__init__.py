"""Pengaduan: complaints left with an SKM response, handled as a workflow case
(workflows/pengaduan.yaml) by the head of the unit layanan and the kepala OPD."""

from flask import Blueprint

bp = Blueprint("complaints", __name__)

from app.complaints import views  # noqa: E402,F401
