"""Operations: health and readiness probes, Prometheus metrics, structured request logs.

`init_app` wires the request hooks (one JSON log line and one latency sample
per request) and registers the blueprint (/healthz, /readyz, /metrics).
"""

from flask import Blueprint, Flask

bp = Blueprint("ops", __name__)


def init_app(app: Flask) -> None:
    """Register the probes and metrics, and log each request as one JSON line."""
    from app.ops import health, metrics  # noqa: F401 - routes
    from app.ops.requests import install_request_logging

    install_request_logging(app)
    app.register_blueprint(bp)
