"""Mail delivery as a queued task: after each commit that queued mail, and every minute.

The commit that writes outbox rows also defers `outbox.deliver` (app.jobs), so
mail leaves within seconds; the minute's sweep sends what waited for its backoff
or was queued without the task. Any number of deliveries may run at once: each
claims its rows with SKIP LOCKED (app.outbox.worker).
"""

from __future__ import annotations

import procrastinate
import sqlalchemy as sa

from app.jobs import defer_on_commit, queue


@queue.periodic(cron="* * * * *", periodic_id="sweep")
@queue.task(
    name="outbox.deliver",
    queue="mail",
    # The database went away mid-batch: try again shortly (rows are sent at least once).
    retry=procrastinate.RetryStrategy(
        max_attempts=5, wait=30, retry_exceptions={sa.exc.OperationalError}
    ),
)
def deliver(timestamp: int | None = None) -> None:
    """Send every due outbox row (one SMTP connection per batch)."""
    from app.outbox.worker import drain

    drain()


def deliver_after_commit() -> None:
    """Ask for a delivery once the current transaction (which queued mail) commits."""
    defer_on_commit(deliver)
