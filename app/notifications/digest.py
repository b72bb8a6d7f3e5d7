"""The daily digest (`flask tasks digest`): one mail per person listing what waited for it.

It lists the notices that wait for a digest (transitions, reminders,
escalation copies and umpan balik posts on an IKI, for people who chose the
digest) and, for each BKD verifier,
the new group verification tasks they were not told of yet. At most one digest
per person and day (a unique key): a second run the same day sends nothing
more, and what arrives later that day waits for tomorrow's. Flushes, never commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, format_date, gettext, ngettext
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Appraisal, AuditEvent, Digest, Employee, IkiFeedback, Notice, Task
from app.models.types import UTCDateTime, utcnow
from app.notifications.reminders import local_today
from app.outbox import notices
from app.outbox.links import task_url
from app.outbox.notices import Reader
from app.outbox.queue import enqueue_mail
from app.workflow.engine import engine
from app.workflow.roles import GROUP_ROLES

# The order of the digest's sections: the most urgent first.
SECTIONS = ("overdue", "escalation", "due_soon", "new_work", "transition", "feedback")


@dataclass
class DigestResult:
    digests: int = 0
    items: int = 0


@dataclass(frozen=True)
class DigestLine:
    """One item of a digest, ready for the template (in the reader's language)."""

    kind: str
    name: str
    nip: str
    period: str
    step: str
    due: date | None
    what: str | None
    actor: str | None
    comment: str | None
    holder: str | None
    url: str


def _waiting():
    return sa.and_(Notice.digest_id.is_(None), Notice.outbox_message_id.is_(None))


def _new_work(verifier_id: int) -> sa.Select:
    """Open, unclaimed group tasks the verifier was not told of (never on their own SKP)."""
    told = sa.select(Notice.id).where(
        Notice.task_id == Task.id, Notice.kind == "new_work", Notice.recipient_id == verifier_id
    )
    return (
        sa.select(Task.appraisal_id, Task.id)
        .join(Appraisal, Appraisal.id == Task.appraisal_id)
        .where(
            Task.role.in_(GROUP_ROLES),
            Task.closed_at.is_(None),
            Task.claimed_by_id.is_(None),
            Appraisal.employee_id != verifier_id,
            ~sa.exists(told),
        )
    )


def _list_new_work(reader: Reader, digest: Digest, now: datetime) -> None:
    """Write a new_work notice, already in this digest, for each new group task (one INSERT)."""
    me = reader.employee.id
    new = _new_work(me).subquery()
    db.session.execute(
        sa.insert(Notice).from_select(
            ["kind", "recipient_id", "appraisal_id", "task_id", "digest_id", "created_at"],
            sa.select(
                sa.literal("new_work"),
                sa.literal(me),
                new.c.appraisal_id,
                new.c.id,
                sa.literal(digest.id),
                sa.literal(now, UTCDateTime()),
            ),
        )
    )


def _lines(digest: Digest, reader: Reader, limit: int) -> list[DigestLine]:
    locale, me = reader.locale, reader.employee.id
    order = sa.case({kind: i for i, kind in enumerate(SECTIONS)}, value=Notice.kind)
    items = db.session.scalars(
        sa.select(Notice)
        .where(Notice.digest_id == digest.id)
        .options(
            joinedload(Notice.appraisal).joinedload(Appraisal.employee),
            joinedload(Notice.appraisal).joinedload(Appraisal.period),
            joinedload(Notice.task).joinedload(Task.assignee),
            joinedload(Notice.event).joinedload(AuditEvent.actor),
            joinedload(Notice.feedback).joinedload(IkiFeedback.author),
            joinedload(Notice.feedback).joinedload(IkiFeedback.iki),
        )
        .order_by(order, Notice.id)
        .limit(limit)
    ).all()
    lines = []
    for notice in items:
        appraisal, task, event = notice.appraisal, notice.task, notice.event
        spec = engine().spec(appraisal.workflow)
        what = None
        if event is not None:
            transition = spec.transition(event.from_state, event.trigger)
            what = transition.label[locale] if transition else event.trigger
        post = notice.feedback
        if post is not None:
            # A post on an IKI thread: what it is about, who wrote it, what they wrote.
            with force_locale(locale):
                what = gettext("Umpan balik on the IKI “%(iki)s”", iki=_short(post.iki.text))
        state = task.state if task is not None else (event.to_state if event else appraisal.state)
        lines.append(
            DigestLine(
                kind=notice.kind,
                name=appraisal.employee.name,
                nip=appraisal.employee.nip,
                period=appraisal.period.name,
                step=spec.states[state].label[locale],
                due=task.due_date if task is not None else None,
                what=what,
                actor=post.author.name
                if post is not None
                else (event.actor.name if event is not None and event.actor else None),
                comment=post.body
                if post is not None
                else (event.comment if event is not None else None),
                holder=task.assignee.name
                if notice.kind == "escalation" and task.assignee
                else None,
                url=task_url(me, appraisal.id, notice.task_id),
            )
        )
    return lines


def _short(text: str, length: int = 80) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _send(reader: Reader, digest: Digest, today: date) -> int:
    total = db.session.scalar(
        sa.select(sa.func.count(Notice.id)).where(Notice.digest_id == digest.id)
    )
    lines = _lines(digest, reader, current_app.config["DIGEST_MAX_ITEMS"])
    with force_locale(reader.locale):
        subject = ngettext(
            "[SIKAP] Daily digest of %(date)s: %(num)d item",
            "[SIKAP] Daily digest of %(date)s: %(num)d items",
            total,
            date=format_date(today, "medium"),
        )
    message = enqueue_mail(
        reader.employee.email,
        subject,
        "digest",
        locale=reader.locale,
        person=reader.employee,
        day=today,
        sections=[(kind, [line for line in lines if line.kind == kind]) for kind in SECTIONS],
        total=total,
        more=total - len(lines),
        chosen=reader.digest,
    )
    digest.outbox_message_id = message.id
    digest.items = total
    return total


def send_digests(today: date | None = None, now: datetime | None = None) -> DigestResult:
    """Send today's digests: at most one per person, listing everything that waited for it."""
    today = today or local_today()
    now = now or utcnow()
    result = DigestResult()
    waiting = set(db.session.scalars(sa.select(Notice.recipient_id).where(_waiting()).distinct()))
    verifiers = {r.employee.id: r for r in notices.verifiers()}
    readers = {**notices.readers(_employees(waiting)), **verifiers}
    done = set(db.session.scalars(sa.select(Digest.recipient_id).where(Digest.day == today)))
    for employee_id, reader in sorted(readers.items()):
        if employee_id in done:
            continue
        has_new_work = employee_id in verifiers and db.session.scalar(
            sa.select(sa.exists(_new_work(employee_id)))
        )
        if employee_id not in waiting and not has_new_work:
            continue
        digest = Digest(recipient_id=employee_id, day=today, created_at=now)
        db.session.add(digest)
        db.session.flush()
        if has_new_work:
            _list_new_work(reader, digest, now)
        db.session.execute(
            sa.update(Notice)
            .where(Notice.recipient_id == employee_id, _waiting())
            .values(digest_id=digest.id)
            .execution_options(synchronize_session=False)
        )
        result.items += _send(reader, digest, today)
        result.digests += 1
    db.session.flush()
    return result


def _employees(ids: set[int]) -> list[Employee]:
    if not ids:
        return []
    return list(db.session.scalars(sa.select(Employee).where(Employee.id.in_(ids))))
