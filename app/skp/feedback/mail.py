"""Telling the other side of an IKI thread of a new post, by their mail settings.

The recipient is the pegawai when the atasan writes and the atasan when the
pegawai answers. Those who chose the daily digest get a "feedback" notice that
waits for it (app.notifications.digest lists it); the others get a mail now,
written as what to render: the outbox worker renders it when it sends it, in
the recipient's language (app.outbox.render). Flushes, never commits.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Appraisal, Employee, Iki, IkiFeedback, OutboxMessage
from app.outbox import notices
from app.outbox.links import task_url
from app.outbox.queue import enqueue_unrendered
from app.outbox.render import NotRenderable, Rendered, renderer
from app.workflow.roles import APPRAISER

TEMPLATE = "iki_feedback"


def recipient_of(appraisal: Appraisal, side: str) -> Employee | None:
    """The other side of the thread: the pegawai when the atasan writes, else the atasan."""
    return appraisal.employee if side == APPRAISER else appraisal.appraiser


def tell_other_side(appraisal: Appraisal, post: IkiFeedback, side: str) -> None:
    """A mail now, or a notice for the digest, to the other side; nothing if they have no email."""
    person = recipient_of(appraisal, side)
    if person is None or person.id == post.author_id:
        return
    reader = notices.readers([person]).get(person.id)
    if reader is None:
        return
    if reader.digest:
        notices.record(
            "feedback", reader, appraisal.id, now=post.created_at, iki_feedback_id=post.id
        )
        db.session.flush()
        return
    enqueue_unrendered(
        [
            {
                "recipient": person.email,
                "template": TEMPLATE,
                "locale": reader.locale,
                "context": {"kind": TEMPLATE, "post": post.id, "person": person.id},
            }
        ]
    )


@renderer(TEMPLATE)
def render_feedback(row: OutboxMessage, context: dict) -> Rendered:
    """Render the mail of one post from its context, in the current (the recipient's) locale."""
    post = db.session.scalar(
        sa.select(IkiFeedback)
        .where(IkiFeedback.id == context["post"])
        .options(
            joinedload(IkiFeedback.author),
            joinedload(IkiFeedback.iki).joinedload(Iki.rhk),
        )
    )
    person = db.session.get(Employee, context["person"])
    if post is None or person is None:
        raise NotRenderable("the post or the recipient is gone")
    appraisal = db.session.get(Appraisal, post.appraisal_id)
    values = {
        "person": person,
        "post": post,
        "author": post.author,
        "iki": post.iki,
        "appraisal": appraisal,
        "answer": post.author_id == appraisal.employee_id,
        "url": task_url(person.id, appraisal.id),
    }
    subject = _(
        "[SIKAP] Umpan balik on an IKI: SKP of %(name)s, %(period)s",
        name=appraisal.employee.name,
        period=appraisal.period.name,
    )
    return Rendered(
        subject=subject,
        text=render_template(f"email/{TEMPLATE}.txt", **values),
        html=render_template(f"email/{TEMPLATE}.html", **values),
    )
