"""Complaint jobs, daily at 06:00 in Medan: reminders and escalation of complaint tasks,
and the deletion of complainants' contacts after the retention period."""

from __future__ import annotations

from app.complaints.reminders import send_complaint_reminders
from app.complaints.services import purge_contacts
from app.extensions import db
from app.jobs import queue
from app.jobs.daily import DAILY_CRON, RETRY, day_of


@queue.periodic(cron=DAILY_CRON, periodic_id="daily")
@queue.task(name="complaints.remind", queue="periodic", lock="daily-complaints", retry=RETRY)
def remind(timestamp: int) -> None:
    """Remind unit heads of complaints due soon or overdue; copy the kepala OPD when late."""
    send_complaint_reminders(*day_of(timestamp))
    db.session.commit()


@queue.periodic(cron=DAILY_CRON, periodic_id="daily")
@queue.task(name="complaints.purge_contacts", queue="periodic", retry=RETRY)
def purge(timestamp: int) -> None:
    """Delete the contacts of complaints closed longer ago than the retention period."""
    purge_contacts(day_of(timestamp)[1])
    db.session.commit()
