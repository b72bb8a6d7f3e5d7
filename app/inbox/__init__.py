"""The task inbox: each user's open tasks, and claiming BKD group tasks."""

from flask import Blueprint

bp = Blueprint("inbox", __name__)

from app.inbox import views  # noqa: E402, F401
