"""Pengumuman: admin BKD's announcements on Beranda, and how far they reached (read rates)."""

from flask import Blueprint

bp = Blueprint("announcements", __name__)

from app.announcements import views  # noqa: E402, F401
