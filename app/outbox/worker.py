"""Deliver outbox rows over SMTP: claim a batch, send on one connection, record the result.

Delivery is at least once: a row is marked sent in the batch's transaction after
the server accepted it, so a crash between the two sends it again, with the same
Message-ID (the row's), which lets mail systems recognise the repeat.

What a failure costs the row:
- the server cannot be reached, or drops the connection: the row waits
  (next_attempt_at moves on) but no attempt is counted; an outage is not the
  message's fault, and mail must not die because the relay was down for a night;
- the server answers the message with an error (4xx or 5xx): an attempt is
  counted, the next one waits with exponential backoff, and after
  OUTBOX_MAX_ATTEMPTS the row is dead (shown to admins, who can requeue it);
- the message cannot be built at all (a bad header, or a row rendered at send
  time whose renderer or subject is gone): dead at once.

A row queued as what to render (app.outbox.render) is rendered when its batch
is claimed, in the recipient's language, and keeps what was rendered: a retry
sends the same mail.
"""

from __future__ import annotations

import logging
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_mail import BadHeaderError, Connection, Message

from app.extensions import db, mail
from app.models.outbox import OutboxMessage
from app.models.types import utcnow
from app.outbox.receipt import mark_result_received
from app.outbox.render import ensure_rendered, prefetch

log = logging.getLogger(__name__)

# Longest pause of the loop while the SMTP server or the database is unreachable.
MAX_IDLE_SECONDS = 300


@dataclass
class BatchResult:
    """What one batch did with the rows it claimed."""

    sent: int = 0
    retried: int = 0
    dead: int = 0
    deferred: int = 0
    unreachable: bool = False

    @property
    def claimed(self) -> int:
        return self.sent + self.retried + self.dead + self.deferred


def backoff(attempts: int) -> timedelta:
    """Exponential backoff after the given number of failed attempts."""
    config = current_app.config
    seconds = config["OUTBOX_BACKOFF_SECONDS"] * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, config["OUTBOX_MAX_BACKOFF_SECONDS"]))


def claim_batch(size: int, now: datetime) -> list[OutboxMessage]:
    """Lock up to `size` due rows; SKIP LOCKED keeps concurrent workers apart on PostgreSQL.

    SQLite has no row locks: run one worker there (development).
    """
    query = (
        sa.select(OutboxMessage)
        .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(size)
    )
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(db.session.scalars(query))


class _TimedConnection(Connection):
    """Flask-Mail's connection, with a timeout so that a silent server cannot hang the worker."""

    def configure_host(self) -> smtplib.SMTP:
        state, timeout = self.mail, current_app.config["MAIL_TIMEOUT"]
        smtp_class = smtplib.SMTP_SSL if state.use_ssl else smtplib.SMTP
        host = smtp_class(state.server, state.port, timeout=timeout)
        try:
            if state.use_tls:
                host.starttls()
            if state.username and state.password:
                host.login(state.username, state.password)
        except BaseException:
            host.close()
            raise
        return host


def _connect() -> _TimedConnection:
    # The settings are read now, not at start-up, and the worker always sends:
    # Flask-Mail's "suppress while testing" is for code that sends inline.
    state = mail.init_mail(current_app.config, current_app.debug, testing=False)
    return _TimedConnection(state).__enter__()


def _to_message(row: OutboxMessage) -> Message:
    message = Message(
        subject=row.subject,
        recipients=[row.recipient],
        body=row.body_text,
        html=row.body_html,
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
        extra_headers={"Content-Language": row.locale, "Auto-Submitted": "auto-generated"},
    )
    message.msgId = row.message_id
    return message


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def _defer(row: OutboxMessage, error: BaseException, now: datetime) -> None:
    """The server was not there: try again later, without counting it against the row."""
    row.last_error = _describe(error)
    row.next_attempt_at = now + backoff(1)


def _fail(row: OutboxMessage, error: BaseException, now: datetime, *, fatal: bool = False) -> str:
    """The server refused this message: count the attempt; dead after the last one."""
    row.attempts += 1
    row.last_error = _describe(error)
    if fatal or row.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
        row.status = "dead"
        return "dead"
    row.next_attempt_at = now + backoff(row.attempts)
    return "retried"


def _mark_sent(row: OutboxMessage, now: datetime) -> None:
    row.status, row.sent_at = "sent", now
    row.attempts += 1
    if row.receipt_appraisal_id is not None:
        # The final result reached the appraisee's mail server: the keberatan window starts.
        mark_result_received(row.receipt_appraisal_id, now)


def _catch_all(rows: list[OutboxMessage], now: datetime, result: BatchResult) -> None:
    """Development without MAIL_SERVER: the mail is read at /dev/mail, straight from the outbox."""
    for row in rows:
        _mark_sent(row, now)
        result.sent += 1


def _render(rows: list[OutboxMessage], now: datetime, result: BatchResult) -> list[OutboxMessage]:
    """Render the rows queued as what to render; a row that cannot be rendered is dead."""
    ready = []
    # The rendered rows are written with the batch's commit, not one flush per row.
    with db.session.no_autoflush:
        loaded = prefetch(rows)  # held until the batch is rendered
        for row in rows:
            try:
                ensure_rendered(row)
            except sa.exc.DBAPIError:
                raise  # the database, not the row: the batch is tried again
            except Exception as error:
                log.exception("outbox row %s cannot be rendered", row.id)
                _fail(row, error, now, fatal=True)
                result.dead += 1
            else:
                ready.append(row)
    del loaded
    return ready


def _send_rows(
    connection: Connection, rows: list[OutboxMessage], now: datetime, result: BatchResult
) -> BatchResult:
    for index, row in enumerate(rows):
        try:
            connection.send(_to_message(row))
        except smtplib.SMTPResponseException as error:
            outcome = _fail(row, error, now)
        except smtplib.SMTPRecipientsRefused as error:
            outcome = _fail(row, error, now)
        except (BadHeaderError, ValueError, UnicodeError) as error:
            outcome = _fail(row, error, now, fatal=True)
        except (OSError, smtplib.SMTPException) as error:
            # The connection is gone: this row waits, the rest of the batch stays due.
            log.warning("SMTP connection lost after %d messages: %s", index, error)
            _defer(row, error, now)
            result.deferred += 1
            result.unreachable = True
            return result
        else:
            _mark_sent(row, now)
            outcome = "sent"
        setattr(result, outcome, getattr(result, outcome) + 1)
    return result


def send_batch(size: int | None = None, now: datetime | None = None) -> BatchResult:
    """Claim and send one batch over one SMTP connection, then commit."""
    config = current_app.config
    now = now or utcnow()
    rows = claim_batch(size or config["OUTBOX_BATCH_SIZE"], now)
    if not rows:
        db.session.rollback()
        return BatchResult()
    result = BatchResult()
    rows = _render(rows, now, result)
    if not rows:
        db.session.commit()
        return result
    if config.get("DEV_MAILBOX") and not config.get("MAIL_SERVER"):
        _catch_all(rows, now, result)
        db.session.commit()
        return result
    try:
        connection = _connect()
    except (OSError, smtplib.SMTPException) as error:
        log.warning(
            "SMTP server %s:%s unreachable: %s", config["MAIL_SERVER"], config["MAIL_PORT"], error
        )
        for row in rows:
            _defer(row, error, now)
        db.session.commit()
        result.deferred += len(rows)
        result.unreachable = True
        return result
    try:
        result = _send_rows(connection, rows, now, result)
    finally:
        try:
            connection.__exit__(None, None, None)
        except (OSError, smtplib.SMTPException):
            log.info("SMTP connection did not close cleanly")
        db.session.commit()
    return result


def drain(size: int | None = None, now: datetime | None = None) -> BatchResult:
    """Send batches until nothing is due or the server is unreachable; the totals."""
    size = size or current_app.config["OUTBOX_BATCH_SIZE"]
    total = BatchResult()
    while True:
        result = send_batch(size, now)
        for field in ("sent", "retried", "dead", "deferred"):
            setattr(total, field, getattr(total, field) + getattr(result, field))
        total.unreachable = result.unreachable
        if result.unreachable or result.claimed < size:
            return total


def run_forever(
    size: int, interval: float, report: Callable[[BatchResult], None], sleep=time.sleep
) -> None:
    """The worker loop: send what is due, sleep when idle, back off while things are down."""
    pause = interval
    while True:
        try:
            result = drain(size)
        except sa.exc.OperationalError as error:
            # The database restarted or is unreachable: drop the session, wait, carry on.
            db.session.remove()
            log.warning("outbox worker: database unavailable: %s", error)
            result = BatchResult(unreachable=True)
        if result.claimed:
            report(result)
        pause = min(pause * 2, MAX_IDLE_SECONDS) if result.unreachable else interval
        sleep(pause)
