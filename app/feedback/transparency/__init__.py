"""The public IKM pages (no account): the city's and each unit layanan's index per
period, its trend and its weakest element. No employee is ever named here."""

from flask import Blueprint

bp = Blueprint("transparency", __name__)

from app.feedback.transparency import views  # noqa: E402, F401
