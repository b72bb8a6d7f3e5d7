"""Keberatan: the reasons filed, and the superior's decision, which may change the ratings.

The decision itself is the workflow step decide_objection (fired through the
engine, which records it with its comment). When the decision changes the
ratings, `apply_decision` also appends an audit event saying exactly what
changed, from what to what, so the trail holds the old and the new predikat, and
re-checks the OPD's pola distribusi (app.skp.orgkinerja.alerts).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import Account, Appraisal, AuditEvent, Task
from app.skp import scoring
from app.skp.orgkinerja.alerts import recheck_after_objection
from app.workflow.audit import record_event
from app.workflow.errors import InvalidInput
from app.workflow.names import (
    EXPLAIN_OBJECTION,
    FILE_OBJECTION,
    OBJECTION_EXPLANATION,
    REQUEST_EXPLANATION,
)
from app.workflow.roles import APPRAISER_SUPERIOR, acting_capacity

# The trigger of the extra audit event; it is no workflow step (state stays as it is).
RATINGS_CHANGED = "change_ratings"
DECIDING_ROLE = APPRAISER_SUPERIOR


def objection_event(appraisal: Appraisal) -> AuditEvent | None:
    """The latest file_objection event: who objected, when, and the reasons."""
    return db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.appraisal_id == appraisal.id, AuditEvent.trigger == FILE_OBJECTION)
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    ).first()


def explanation_trail(appraisal: Appraisal) -> list[AuditEvent]:
    """The requests for explanations and the answers, since the keberatan was filed, oldest first.

    PP 30/2019 Pasal 59 ayat (3): the atasan pejabat penilai asks the pejabat
    penilai and the appraisee to explain before deciding; each event's comment is
    the question or the answer, its role says whose.
    """
    filed = objection_event(appraisal)
    if filed is None:
        return []
    return list(
        db.session.scalars(
            sa.select(AuditEvent)
            .where(
                AuditEvent.appraisal_id == appraisal.id,
                AuditEvent.seq > filed.seq,
                AuditEvent.trigger.in_((REQUEST_EXPLANATION, EXPLAIN_OBJECTION)),
            )
            .order_by(AuditEvent.seq)
        )
    )


def explanations_due(appraisal: Appraisal) -> date | None:
    """The due date of the explanations still awaited; None when none is."""
    return db.session.scalar(
        sa.select(sa.func.min(Task.due_date)).where(
            Task.appraisal_id == appraisal.id,
            Task.state == OBJECTION_EXPLANATION,
            Task.closed_at.is_(None),
        )
    )


def _change_line(name: str, labels: dict[str, str], before: str | None, after: str | None) -> str:
    old, new = labels.get(before or "", "—"), labels.get(after or "", "—")
    return f"{name}: {old} → {new}" if old != new else f"{name}: {new}"


def describe_change(before: tuple, after: tuple) -> str:
    """The change of (rating_hk, rating_pk, predikat), in the domain's own (Indonesian) words."""
    return "; ".join(
        [
            _change_line("Rating hasil kerja", scoring.RATING_LABELS, before[0], after[0]),
            _change_line("Rating perilaku kerja", scoring.RATING_LABELS, before[1], after[1]),
            _change_line("Predikat", scoring.PREDIKAT_LABELS, before[2], after[2]),
        ]
    )


def apply_decision(
    appraisal: Appraisal, actor: Account, form: Mapping, now: datetime
) -> AuditEvent | None:
    """Apply the new ratings of a decision (blank keeps a rating) and recompute the predikat.

    Runs inside fire(), after the decision's own event. Returns the extra event
    recording the change, or None when the ratings stayed as they were.
    """
    new_hk = form.get("rating_hk") or appraisal.rating_hk
    new_pk = form.get("rating_pk") or appraisal.rating_pk
    for name, value in (("rating_hk", new_hk), ("rating_pk", new_pk)):
        if value is not None and value not in scoring.RATINGS:
            raise InvalidInput({name: [str(_l("Not a valid choice."))]})
    before = (appraisal.rating_hk, appraisal.rating_pk, appraisal.predikat)
    if new_hk != appraisal.rating_hk:
        # The appraiser's reason for departing from the suggestion explained their
        # rating, not the decision's (which the decision's own comment explains).
        appraisal.rating_hk_reason = None
    appraisal.rating_hk, appraisal.rating_pk = new_hk, new_pk
    appraisal.predikat = scoring.predikat_or_none(new_hk, new_pk)
    db.session.flush()
    if (new_hk, new_pk) == before[:2]:
        return None
    event = record_event(
        appraisal,
        actor=actor,
        role=DECIDING_ROLE,
        trigger=RATINGS_CHANGED,
        from_state=appraisal.state,
        to_state=appraisal.state,
        comment=describe_change(before, (new_hk, new_pk, appraisal.predikat)),
        acting_as=acting_capacity(appraisal, DECIDING_ROLE),
        now=now,
    )
    # A changed predikat may leave the OPD outside its pola distribusi: BKD is told.
    recheck_after_objection(appraisal, before[2], event, now)
    return event
