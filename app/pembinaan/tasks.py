"""Pembinaan jobs, daily at 06:00 in Medan: reminders of pembinaan tasks (the monthly
monitoring note among them)."""

from __future__ import annotations

from app.extensions import db
from app.jobs import queue
from app.jobs.daily import DAILY_CRON, RETRY, day_of
from app.pembinaan.reminders import send_pembinaan_reminders


@queue.periodic(cron=DAILY_CRON, periodic_id="daily")
@queue.task(name="pembinaan.remind", queue="periodic", lock="daily-pembinaan", retry=RETRY)
def remind(timestamp: int) -> None:
    """Remind the holders of pembinaan tasks due soon or overdue."""
    send_pembinaan_reminders(*day_of(timestamp))
    db.session.commit()
