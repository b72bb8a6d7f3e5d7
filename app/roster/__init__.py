"""Roster import (admin BKD): template, upload, dry-run report, all-or-nothing apply."""

from flask import Blueprint

bp = Blueprint("roster", __name__)

from app.roster import views  # noqa: E402, F401
