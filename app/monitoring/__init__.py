"""The monitor: where the SKP of the city, an OPD or a team stand, live (issue 15)."""

from flask import Blueprint

bp = Blueprint("monitoring", __name__)

from app.monitoring import bottlenecks, performance, public  # noqa: E402, F401
