"""The appraisal page and its workflow actions."""

from flask import Blueprint

bp = Blueprint("appraisals", __name__)

from app.appraisals import views  # noqa: E402, F401
