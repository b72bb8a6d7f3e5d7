"""Deliver outbox rows over SMTP: claim a batch, send on one connection, record the result."""

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_mail import Message

from app.extensions import db, mail
from app.models.outbox import OutboxMessage
from app.models.types import utcnow

log = logging.getLogger(__name__)

BASE_BACKOFF_SECONDS = 30
MAX_BACKOFF_SECONDS = 6 * 3600


@dataclass
class BatchResult:
    sent: int = 0
    retried: int = 0
    dead: int = 0

    @property
    def claimed(self) -> int:
        return self.sent + self.retried + self.dead


def backoff(attempts: int) -> timedelta:
    """Exponential backoff after the given number of failed attempts."""
    return timedelta(seconds=min(BASE_BACKOFF_SECONDS * 2 ** (attempts - 1), MAX_BACKOFF_SECONDS))


def claim_batch(size: int, now: datetime) -> list[OutboxMessage]:
    """Lock up to `size` due rows; SKIP LOCKED keeps concurrent workers apart on PostgreSQL."""
    query = (
        sa.select(OutboxMessage)
        .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(size)
    )
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(db.session.scalars(query))


def _to_message(row: OutboxMessage) -> Message:
    message = Message(
        subject=row.subject,
        recipients=[row.recipient],
        body=row.body_text,
        html=row.body_html,
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
    )
    message.msgId = row.message_id
    return message


def _fail(row: OutboxMessage, error: Exception, now: datetime, permanent: bool) -> str:
    row.attempts += 1
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    if permanent or row.attempts >= current_app.config.get("OUTBOX_MAX_ATTEMPTS", 8):
        row.status = "dead"
        return "dead"
    row.next_attempt_at = now + backoff(row.attempts)
    return "retried"


def send_batch(size: int = 100, now: datetime | None = None) -> BatchResult:
    """Claim and send one batch, then commit. Returns what happened to each row."""
    now = now or utcnow()
    result = BatchResult()
    rows = claim_batch(size, now)
    if not rows:
        db.session.rollback()
        return result
    try:
        connection = mail.connect()
        connection.__enter__()
    except (OSError, smtplib.SMTPException) as error:
        # The server is unreachable: every claimed row waits for its next attempt.
        for row in rows:
            outcome = _fail(row, error, now, permanent=False)
            setattr(result, outcome, getattr(result, outcome) + 1)
        db.session.commit()
        return result
    try:
        for row in rows:
            try:
                connection.send(_to_message(row))
            except smtplib.SMTPResponseException as error:
                permanent = 500 <= error.smtp_code < 600
                outcome = _fail(row, error, now, permanent=permanent)
                setattr(result, outcome, getattr(result, outcome) + 1)
            except smtplib.SMTPRecipientsRefused as error:
                codes = [code for code, _ in error.recipients.values()]
                outcome = _fail(row, error, now, permanent=all(c >= 500 for c in codes))
                setattr(result, outcome, getattr(result, outcome) + 1)
            except (OSError, smtplib.SMTPException) as error:
                outcome = _fail(row, error, now, permanent=False)
                setattr(result, outcome, getattr(result, outcome) + 1)
            else:
                row.status, row.sent_at = "sent", now
                row.attempts += 1
                result.sent += 1
    finally:
        try:
            connection.__exit__(None, None, None)
        except (OSError, smtplib.SMTPException):
            log.warning("SMTP connection did not close cleanly")
        db.session.commit()
    return result
