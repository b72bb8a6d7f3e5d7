"""Guidance for sosialisasi: the Panduan (help per role and step), the glossary and the tour."""

from flask import Blueprint

bp = Blueprint("guide", __name__)

from app.guide import views  # noqa: E402, F401
