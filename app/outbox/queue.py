"""Write emails to the outbox, rendered now or at send time; read and requeue them.

Services flush, never commit.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import render_template
from flask_babel import force_locale
from flask_babel.speaklater import LazyString

from app.extensions import db
from app.models.outbox import OUTBOX_STATUSES, OutboxMessage
from app.models.types import utcnow
from app.outbox.tasks import deliver_after_commit

PAGE_SIZE = 50
# Mails whose body is a personal sign-in link: an administrator sees that they
# went out, not the link itself (which would let them take over the account).
PRIVATE_TEMPLATES = frozenset({"password_reset", "account_created"})


def enqueue_mail(
    recipient: str,
    subject: LazyString | str,
    template: str,
    locale: str = "id",
    *,
    audit_event_id: int | None = None,
    receipt_appraisal_id: int | None = None,
    **context,
) -> OutboxMessage:
    """Render templates/email/<template>.txt and .html in `locale` and queue the mail.

    `subject` is a lazy string, so that it is translated into the recipient's
    language; `audit_event_id` names the workflow event that caused the mail;
    `receipt_appraisal_id` marks the mail delivering that appraisal's final result
    to its appraisee (its delivery counts as receipt, app.outbox.receipt).
    The row is only flushed: it is sent after the caller commits.
    """
    with force_locale(locale):
        message = OutboxMessage(
            recipient=recipient,
            subject=str(subject),
            body_text=render_template(f"email/{template}.txt", **context),
            body_html=render_template(f"email/{template}.html", **context),
            template=template,
            locale=locale,
            audit_event_id=audit_event_id,
            receipt_appraisal_id=receipt_appraisal_id,
        )
    db.session.add(message)
    db.session.flush()
    deliver_after_commit()
    return message


def enqueue_unrendered(mails: list[dict]) -> None:
    """Queue mails that the worker renders when it sends them (app.outbox.render).

    Each dict gives recipient, template, locale, context (the renderer's `kind`
    and the ids and plain values it reads) and optionally audit_event_id and
    receipt_appraisal_id; every dict has the same keys. One INSERT for all of
    them, in the caller's transaction: a step pays for a row, not for rendering.
    """
    if not mails:
        return
    db.session.execute(sa.insert(OutboxMessage), mails)
    deliver_after_commit()


def status_counts() -> dict[str, int]:
    """How many messages are pending, sent and dead (every status present, zero included)."""
    counts = dict(
        db.session.execute(
            sa.select(OutboxMessage.status, sa.func.count(OutboxMessage.id)).group_by(
                OutboxMessage.status
            )
        ).all()
    )
    return {status: counts.get(status, 0) for status in OUTBOX_STATUSES}


def outbox_page(
    status: str | None, before: int | None = None, size: int = PAGE_SIZE
) -> tuple[list[OutboxMessage], int | None]:
    """One page of messages with `status` (None: all), newest first, and the next cursor."""
    query = (
        sa.select(OutboxMessage)
        .options(sa.orm.defer(OutboxMessage.body_text), sa.orm.defer(OutboxMessage.body_html))
        .order_by(OutboxMessage.id.desc())
        .limit(size + 1)
    )
    if status is not None:
        query = query.where(OutboxMessage.status == status)
    if before:
        query = query.where(OutboxMessage.id < before)
    rows = list(db.session.scalars(query))
    if len(rows) > size:
        return rows[:size], rows[size - 1].id
    return rows, None


def requeue(message: OutboxMessage, now: datetime | None = None) -> bool:
    """Give a dead message a fresh set of attempts, due now; False if it is not dead."""
    if message.status != "dead":
        return False
    message.status = "pending"
    message.attempts = 0
    message.next_attempt_at = now or utcnow()
    db.session.flush()
    deliver_after_commit()
    return True


def requeue_all_dead(now: datetime | None = None) -> int:
    """Requeue every dead message at once; returns how many."""
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.status == "dead")
        .values(status="pending", attempts=0, next_attempt_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount:
        deliver_after_commit()
    return result.rowcount
