"""Hiding an abusive comment of the public, and showing it again; each step is kept.

The answers always count (the IKM is the public's, not the moderator's); only the
comment's text is hidden from the pages and reports that show comments. Each hide
or unhide is one compare-and-set UPDATE on the hidden state, so two moderators at
once cannot both act, and one SkmCommentModeration row (who, why, when).
"""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import Account, SkmCommentModeration, SkmResponse
from app.models.types import utcnow

SHOWN_COMMENTS = 100


class AlreadyDone(RuntimeError):
    """The comment is already hidden (or shown): someone acted first."""


def recent_comments(service_unit_id: int, limit: int = SHOWN_COMMENTS) -> list[SkmResponse]:
    """The unit's newest responses that carry a comment, hidden ones included."""
    return list(
        db.session.scalars(
            sa.select(SkmResponse)
            .where(SkmResponse.service_unit_id == service_unit_id, SkmResponse.comment.is_not(None))
            .order_by(SkmResponse.submitted_at.desc(), SkmResponse.id.desc())
            .limit(limit)
            .options(
                sa.orm.selectinload(SkmResponse.comment_hidden_by),
                sa.orm.selectinload(SkmResponse.service_kind),
            )
        )
    )


def history(response_ids: list[int]) -> dict[int, list[SkmCommentModeration]]:
    """Every hide and unhide of these responses' comments, oldest first, per response."""
    if not response_ids:
        return {}
    rows = db.session.scalars(
        sa.select(SkmCommentModeration)
        .where(SkmCommentModeration.response_id.in_(response_ids))
        .order_by(SkmCommentModeration.at, SkmCommentModeration.id)
        .options(sa.orm.selectinload(SkmCommentModeration.actor))
    )
    found: dict[int, list[SkmCommentModeration]] = {}
    for row in rows:
        found.setdefault(row.response_id, []).append(row)
    return found


def set_hidden(response: SkmResponse, hidden: bool, actor: Account, reason: str) -> None:
    """Hide the comment (hidden=True) or show it again, with the reason; AlreadyDone if so."""
    now = utcnow()
    values = (
        {
            "comment_hidden_at": now,
            "comment_hidden_by_id": actor.employee_id,
            "comment_hidden_reason": reason,
        }
        if hidden
        else {
            "comment_hidden_at": None,
            "comment_hidden_by_id": None,
            "comment_hidden_reason": None,
        }
    )
    state = (
        SkmResponse.comment_hidden_at.is_(None)
        if hidden
        else SkmResponse.comment_hidden_at.is_not(None)
    )
    done = db.session.execute(
        sa.update(SkmResponse)
        .where(SkmResponse.id == response.id, state)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        raise AlreadyDone(response.id)
    db.session.add(
        SkmCommentModeration(
            response_id=response.id,
            action="hide" if hidden else "unhide",
            actor_id=actor.employee_id,
            reason=reason,
            at=now,
        )
    )
    db.session.flush()
