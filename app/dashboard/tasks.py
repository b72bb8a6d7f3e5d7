"""The periodic compaction of the summary rows (app.dashboard.summary, .progress_counts)."""

from __future__ import annotations

import logging

from app.jobs import queue

log = logging.getLogger("sikap.dashboard")


@queue.periodic(cron="* * * * *", periodic_id="compact_counts")
@queue.task(name="dashboard.compact_counts", queue="periodic")
def compact_counts(timestamp: int | None = None) -> None:
    """Fold the delta rows written since the last run into one row per group, and commit."""
    from app.dashboard import progress_counts, summary
    from app.extensions import db

    before, after = summary.compact()
    more_before, more_after = progress_counts.compact()
    db.session.commit()
    log.info("dashboard counts compacted: %d rows into %d", before, after)
    log.info("monitor counts compacted: %d rows into %d", more_before, more_after)
