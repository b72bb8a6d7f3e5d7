"""The engine: one `transitions` machine per definition, and the one write path.

`fire()` is the only code that changes an appraisal's state. It authorises,
validates, compares-and-sets the state and version, writes the audit event,
closes and opens tasks and queues the notifications, and flushes. The caller
commits once; nothing is sent before that commit. The machines are tables, not
actors: `model=None`, no auto transitions, no callbacks, so no side effect can
happen outside the database transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, g, has_request_context
from sqlalchemy.orm.attributes import set_committed_value
from transitions import Machine

from app.extensions import db
from app.models import Account, Appraisal, AuditEvent
from app.models.audit import GENESIS_HASH
from app.models.types import utcnow
from app.policy import appraisal_roles
from app.workflow import notify, tasks
from app.workflow.effects import EFFECTS
from app.workflow.errors import GuardFailed, InvalidInput, NotAllowed, StaleState
from app.workflow.guards import GUARDS
from app.workflow.spec import ROLES, TransitionSpec, WorkflowSpec

EXTENSION_KEY = "sikap_workflows"


class Engine:
    """The loaded definitions and their machines."""

    def __init__(self, specs: dict[str, WorkflowSpec]):
        self.specs = specs
        self.machines = {name: self._machine(spec) for name, spec in specs.items()}
        self._diagrams: dict[tuple[str, str | None, str], str] = {}

    @staticmethod
    def _machine(spec: WorkflowSpec) -> Machine:
        return Machine(
            model=None,
            states=list(spec.states),
            transitions=[
                {"trigger": t.trigger, "source": t.source, "dest": t.dest} for t in spec.transitions
            ],
            initial=spec.initial,
            auto_transitions=False,
        )

    def spec(self, name: str) -> WorkflowSpec:
        return self.specs[name]

    def diagram(self, name: str, current: str | None, locale: str) -> str:
        """The definition's SVG diagram, drawn once per (state, language) and kept."""
        key = (name, current, locale)
        if key not in self._diagrams:
            from app.workflow.diagram import render_svg

            self._diagrams[key] = render_svg(self.specs[name], current=current, locale=locale)
        return self._diagrams[key]

    def transition(self, appraisal: Appraisal, trigger: str) -> TransitionSpec | None:
        """The transition `trigger` from the appraisal's current state, if the machine has one."""
        machine = self.machines[appraisal.workflow]
        if trigger not in machine.get_triggers(appraisal.state):
            return None
        return self.specs[appraisal.workflow].transition(appraisal.state, trigger)


def engine() -> Engine:
    return current_app.extensions[EXTENSION_KEY]


def _role_for(actor: Account, appraisal: Appraisal, transition: TransitionSpec) -> str | None:
    """The first of the transition's roles that the actor holds for this appraisal."""
    held = appraisal_roles(actor, appraisal)
    return next((role for role in ROLES if role in held and role in transition.roles), None)


def available(
    appraisal: Appraisal, actor: Account, now: datetime | None = None
) -> list[TransitionSpec]:
    """The transitions the actor may fire now (roles held and guards passing)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return []
    now = now or utcnow()
    spec = engine().spec(appraisal.workflow)
    held = appraisal_roles(actor, appraisal)
    return [
        t
        for t in spec.transitions_from(appraisal.state)
        if held & set(t.roles) and not any(GUARDS[name](appraisal, actor, now) for name in t.guards)
    ]


def latest_event(appraisal_id: int) -> AuditEvent | None:
    return db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.appraisal_id == appraisal_id)
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    ).first()


def record_event(
    appraisal: Appraisal,
    *,
    actor: Account | None,
    role: str,
    trigger: str,
    from_state: str,
    to_state: str,
    comment: str | None,
    acting_as: str | None,
    now: datetime,
) -> AuditEvent:
    """Append an audit event to the appraisal's hash chain.

    Call only after the compare-and-set on the appraisal: that row lock is what
    keeps two writers from extending the chain from the same event.
    """
    previous = latest_event(appraisal.id)
    event = AuditEvent(
        appraisal_id=appraisal.id,
        seq=(previous.seq + 1) if previous else 1,
        actor_id=actor.employee_id if actor else None,
        acting_as=acting_as,
        role=role,
        trigger=trigger,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        created_at=now,
        request_id=g.get("request_id") if has_request_context() else None,
        prev_hash=previous.hash if previous else GENESIS_HASH,
    )
    event.hash = event.compute_hash()
    db.session.add(event)
    db.session.flush()
    return event


def compare_and_set(
    appraisal: Appraisal, source: str, dest: str, seen: int, now: datetime, *, finalising: bool
) -> bool:
    """Move the appraisal from `source` to `dest` if nobody else has since `seen`.

    This single UPDATE is the whole concurrency story: on PostgreSQL a second
    writer waits for the first one's row lock, then finds the version moved on
    and updates nothing; on SQLite the database write lock does the same.
    """
    values = {"state": dest, "version": Appraisal.version + 1, "updated_at": now}
    if finalising:
        # The first finalisation counts (the objection window runs from it); a
        # decided objection returns to final without restarting the clock.
        values["finalised_at"] = sa.func.coalesce(Appraisal.finalised_at, now)
    columns = ("state", "version", "updated_at", "finalised_at")
    row = db.session.execute(
        sa.update(Appraisal)
        .where(Appraisal.id == appraisal.id, Appraisal.state == source, Appraisal.version == seen)
        .values(**values)
        .returning(*(getattr(Appraisal, name) for name in columns))
        .execution_options(synchronize_session=False)
    ).first()
    if row is None:
        return False
    # What the database now holds, without another round trip to read it back.
    for name, value in zip(columns, row, strict=True):
        set_committed_value(appraisal, name, value)
    return True


def fire(
    appraisal: Appraisal,
    trigger: str,
    actor: Account,
    form: Mapping | None = None,
    *,
    seen_version: int | None = None,
    now: datetime | None = None,
) -> AuditEvent:
    """Fire `trigger` on the appraisal as `actor`; the one write path for every state change.

    `form` holds the transition's validated input (at least `comment`);
    `seen_version` is the version the actor saw (default: the loaded one). Raises
    a TransitionRefused subclass, having written nothing, when it may not happen.
    Flushes; the caller commits.
    """
    now = now or utcnow()
    form = form or {}
    seen = appraisal.version if seen_version is None else seen_version
    if seen != appraisal.version:
        raise StaleState(latest_event(appraisal.id))
    transition = engine().transition(appraisal, trigger)
    if transition is None:
        raise NotAllowed("no such step from here")
    role = _role_for(actor, appraisal, transition)
    if role is None:
        raise NotAllowed("not yours to take")
    comment = (form.get("comment") or "").strip() or None
    if transition.comment == "none":
        comment = None
    if transition.comment_required and not comment:
        raise InvalidInput({"comment": ["required"]})
    for name in transition.guards:
        reason = GUARDS[name](appraisal, actor, now)
        if reason:
            raise GuardFailed(reason)

    spec = engine().spec(appraisal.workflow)
    dest = spec.states[transition.dest]
    if not compare_and_set(
        appraisal, transition.source, dest.name, seen, now, finalising=dest.final
    ):
        raise StaleState(latest_event(appraisal.id))

    event = record_event(
        appraisal,
        actor=actor,
        role=role,
        trigger=trigger,
        from_state=transition.source,
        to_state=transition.dest,
        comment=comment,
        acting_as=tasks.acting_capacity(appraisal, role),
        now=now,
    )
    for name in transition.effects:
        EFFECTS[name](appraisal, actor, form, now)
    tasks.close_open_task(appraisal, actor.employee_id, now)
    task = tasks.open_task(appraisal, dest, now)
    notify.transition_mails(appraisal, transition, event, task, spec)
    db.session.flush()
    return event
