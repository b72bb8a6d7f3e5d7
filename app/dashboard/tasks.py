"""The periodic compaction of the dashboard's summary rows (app.dashboard.summary)."""

from __future__ import annotations

import logging

from app.jobs import queue

log = logging.getLogger("sikap.dashboard")


@queue.periodic(cron="* * * * *", periodic_id="compact_counts")
@queue.task(name="dashboard.compact_counts", queue="periodic")
def compact_counts(timestamp: int | None = None) -> None:
    """Fold the delta rows written since the last run into one row per group, and commit."""
    from app.dashboard.summary import compact
    from app.extensions import db

    before, after = compact()
    db.session.commit()
    log.info("dashboard counts compacted: %d rows into %d", before, after)
