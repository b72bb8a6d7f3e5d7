"""Consequences of a predikat: kenaikan pangkat, TPP, rewards and angka kredit (read-only)."""

from flask import Blueprint

bp = Blueprint("consequences", __name__)

from app.followup.consequences import views  # noqa: E402, F401
