"""Optimistic locking on the subject's row (an appraisal, a complaint): one versioned UPDATE
serves every writer.

A writer names the version it saw. The UPDATE matches only while the row still
has that version (and, for a step, that state); zero rows means someone acted
first, and StaleState carries the latest audit event so the user is told who
moved it where. The UPDATE takes the row lock, so on PostgreSQL a second writer
waits for the first one's commit and then finds the version moved on; on SQLite
the database write lock does the same.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db
from app.models import Appraisal
from app.models.types import utcnow
from app.workflow.audit import latest_event_of
from app.workflow.errors import StaleState
from app.workflow.subjects import Subject


def versioned_update(
    appraisal: Subject,
    seen_version: int,
    values: dict,
    *,
    state: str | None = None,
    bump: bool = True,
) -> None:
    """UPDATE the subject with `values` if it is still at `seen_version` (and `state`).

    The subject is an appraisal or a complaint: the UPDATE is on its own table.

    `bump` moves the version on (a step, a reassignment); content edits leave it,
    so that saving a draft does not make the other side's open form stale. The
    loaded object is given the new column values without another round trip.
    Raises StaleState, having written nothing, when someone acted first.
    """
    model = type(appraisal)
    values = dict(values)
    if bump:
        values["version"] = model.version + 1
    values.setdefault("updated_at", utcnow())
    conditions = [model.id == appraisal.id, model.version == seen_version]
    if state is not None:
        conditions.append(model.state == state)
    columns = tuple(values)
    row = db.session.execute(
        sa.update(model)
        .where(*conditions)
        .values(**values)
        .returning(*(getattr(model, name) for name in columns))
        .execution_options(synchronize_session=False)
    ).first()
    if row is None:
        raise StaleState(latest_event_of(appraisal))
    for name, value in zip(columns, row, strict=True):
        set_committed_value(appraisal, name, value)


def hold_version(appraisal: Appraisal, seen_version: int, now: datetime | None = None) -> None:
    """Refuse a content edit whose form was rendered before the appraisal last moved.

    Either the edit lands first and a step follows it, or the step won and the
    edit is refused; the two never interleave.
    """
    versioned_update(appraisal, seen_version, {"updated_at": now or utcnow()}, bump=False)


def move_state(
    appraisal: Appraisal, source: str, dest: str, seen_version: int, now: datetime, *, final: bool
) -> None:
    """Move the appraisal from `source` to `dest` if nobody else has since `seen_version`."""
    values = {"state": dest, "updated_at": now}
    if final:
        # The first finalisation counts (the objection window runs from it); a
        # decided objection returns to final without restarting the clock.
        values["finalised_at"] = sa.func.coalesce(Appraisal.finalised_at, now)
    versioned_update(appraisal, seen_version, values, state=source)
