"""Reminders, escalations and digests as periodic tasks: every day at 06:00 in Medan.

The worker defers them from the schedule below (no cron). Each receives the
scheduled moment as `timestamp` and acts for that day in the city's time zone,
so a worker that starts late, or a task retried after a failure, still acts for
the day it was meant for; both are idempotent within the day (one notice per
task, kind and person; one digest per person and day). They share a lock, so the
digest of a day never runs before, or beside, that day's reminders.
"""

from __future__ import annotations

from app.extensions import db
from app.jobs import queue
from app.jobs.daily import DAILY_CRON, RETRY, day_of
from app.notifications.digest import send_digests
from app.notifications.reminders import send_reminders


@queue.periodic(cron=DAILY_CRON, periodic_id="daily")
@queue.task(name="notifications.remind", queue="periodic", lock="daily-notices", retry=RETRY)
def remind(timestamp: int) -> None:
    """Remind task holders before the due date and when overdue; escalate to their atasan."""
    send_reminders(*day_of(timestamp))
    db.session.commit()


@queue.periodic(cron=DAILY_CRON, periodic_id="daily")
@queue.task(name="notifications.digest", queue="periodic", lock="daily-notices", retry=RETRY)
def digest(timestamp: int) -> None:
    """Send each person who chose it at most one digest for the day."""
    send_digests(*day_of(timestamp))
    db.session.commit()
