"""The daily schedule periodic tasks share: 06:00 in Medan, retried on a lost database."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import procrastinate
import sqlalchemy as sa
from flask import current_app

# 06:00 in Asia/Jakarta (UTC+7, no daylight saving time) is 23:00 UTC the day before.
DAILY_CRON = "0 23 * * *"
RETRY = procrastinate.RetryStrategy(
    max_attempts=3, wait=300, retry_exceptions={sa.exc.OperationalError}
)


def day_of(timestamp: int) -> tuple[date, datetime]:
    """The city's calendar day of a scheduled moment, and that moment in UTC."""
    moment = datetime.fromtimestamp(timestamp, UTC)
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return moment.astimezone(zone).date(), moment
