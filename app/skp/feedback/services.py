"""Umpan balik berkelanjutan: the thread of posts on each IKI, and adding one.

The atasan (the appraisal's appraiser) leaves feedback on an IKI at any time
from the approved plan until the SKP is final; the pegawai answers it; the
atasan replies again. Posts are immutable: nothing here edits or deletes one,
because the thread is evidence printed in the Dokumen Evaluasi Kinerja and a
dated record that changes afterwards proves nothing. A correction is a new
post. Each post tells the other side (app.skp.feedback.mail) in the same
transaction, so nothing is said of a post that was not saved. Flushes, never
commits.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Account, Appraisal, Iki, IkiFeedback, Rhk
from app.skp.feedback.mail import tell_other_side
from app.workflow.names import DRAFT, PLAN_REVIEW
from app.workflow.roles import APPRAISEE, APPRAISER

# Long enough for a paragraph of coaching, short enough to stay a note in the document.
MAX_POST = 2000


class FeedbackRefused(Exception):
    """The post cannot be written; `message` is fit for the user. Nothing was written."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@cache
def _threads_query() -> sa.Select:
    return (
        sa.select(IkiFeedback)
        .where(IkiFeedback.appraisal_id == sa.bindparam("appraisal_id"))
        .options(joinedload(IkiFeedback.author))
        .order_by(IkiFeedback.created_at, IkiFeedback.id)
    )


def threads(appraisal_id: int) -> dict[int, list[IkiFeedback]]:
    """Every IKI's thread on the appraisal, oldest post first, keyed by IKI id (one query)."""
    found: dict[int, list[IkiFeedback]] = defaultdict(list)
    for post in db.session.scalars(_threads_query(), {"appraisal_id": appraisal_id}):
        found[post.iki_id].append(post)
    return dict(found)


def page_threads(appraisal: Appraisal) -> dict[int, list[IkiFeedback]]:
    """The threads a page shows: none before the plan is approved (no query then)."""
    if appraisal.state in (DRAFT, PLAN_REVIEW):
        return {}
    return threads(appraisal.id)


def appraisal_iki(appraisal: Appraisal, iki_id: int) -> Iki | None:
    """The IKI if it belongs to the appraisal's plan, else None."""
    return db.session.scalar(
        sa.select(Iki)
        .join(Rhk, Rhk.id == Iki.rhk_id)
        .where(Iki.id == iki_id, Rhk.appraisal_id == appraisal.id)
    )


def opened_by_atasan(appraisal: Appraisal, thread: list[IkiFeedback]) -> bool:
    """Whether the atasan has written in the thread (only then may the pegawai answer)."""
    return any(post.author_id != appraisal.employee_id for post in thread)


def post_feedback(
    appraisal: Appraisal, iki: Iki, author: Account, side: str, body: str
) -> IkiFeedback:
    """Append a post to the IKI's thread and tell the other side; FeedbackRefused when not now.

    `side` is the author's side (app.policy.feedback_side), checked by the view.
    The appraisal row is locked first, so that a post and the step that makes the
    SKP final are never interleaved: either the post is in the final document or
    it is refused.
    """
    if side not in (APPRAISER, APPRAISEE):
        raise ValueError(f"not a side of the thread: {side!r}")
    state, finalised_at = db.session.execute(
        sa.select(Appraisal.state, Appraisal.finalised_at)
        .where(Appraisal.id == appraisal.id)
        .with_for_update()
    ).one()
    if state != appraisal.state or finalised_at is not None:
        raise FeedbackRefused(
            _l("The SKP has moved on since the page was shown: reload it and try again.")
        )
    body = (body or "").strip()
    if not body:
        raise FeedbackRefused(_l("Write the umpan balik first."))
    if len(body) > MAX_POST:
        raise FeedbackRefused(
            _l("The umpan balik is too long: at most %(max)d characters.", max=MAX_POST)
        )
    if side == APPRAISEE:
        thread = list(
            db.session.scalars(sa.select(IkiFeedback).where(IkiFeedback.iki_id == iki.id))
        )
        if not opened_by_atasan(appraisal, thread):
            raise FeedbackRefused(_l("There is no umpan balik from your atasan on this IKI yet."))
    post = IkiFeedback(
        iki_id=iki.id, appraisal_id=appraisal.id, author_id=author.employee_id, body=body
    )
    db.session.add(post)
    db.session.flush()
    tell_other_side(appraisal, post, side)
    return post
