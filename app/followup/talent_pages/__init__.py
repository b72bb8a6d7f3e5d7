"""Talent mapping pages (PermenPANRB 3/2020): the 9-box, succession, assessment import."""

from flask import Blueprint

bp = Blueprint("talent", __name__)

from app.followup.talent_pages import views  # noqa: E402, F401
