"""Operations: the heartbeat each background worker writes, for readiness and metrics."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class WorkerHeartbeat(db.Model):
    """One row per worker process (kind, host, pid), touched while it runs."""

    __tablename__ = "worker_heartbeat"

    name: Mapped[str] = mapped_column(sa.String(120), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
