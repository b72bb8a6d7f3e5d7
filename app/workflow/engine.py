"""The engine: one `transitions` machine per definition, and the one write path.

`fire()` is the only code that changes a subject's state: an appraisal's, or a
complaint's (app.workflow.subjects; the kind answers who holds which role, whom
a task goes to, the compare-and-set and the mails). It authorises,
validates, compares-and-sets the state and version, writes the audit event,
closes and opens tasks and queues the notifications, and flushes. The caller
commits once; nothing is sent before that commit. The machines are tables, not
actors: `model=None`, no auto transitions, no callbacks, so no side effect can
happen outside the database transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from transitions import Machine

from app.extensions import db
from app.models import Account, AuditEvent
from app.models.types import utcnow
from app.workflow import kinds, tasks  # noqa: F401  (kinds registers the subject kinds)
from app.workflow.audit import latest_event_of, record_event
from app.workflow.effects import EFFECTS
from app.workflow.errors import (
    GuardFailed,
    HeldByOther,
    InvalidInput,
    NoHolder,
    NotAllowed,
    PeriodClosed,
    StaleState,
)
from app.workflow.guards import GUARDS
from app.workflow.names import PENGELOLA_KINERJA
from app.workflow.roles import GROUP_ROLES
from app.workflow.spec import TransitionSpec, WorkflowSpec
from app.workflow.subjects import Subject, kind_of

EXTENSION_KEY = "sikap_workflows"


class Engine:
    """The loaded definitions and their machines."""

    def __init__(self, specs: dict[str, WorkflowSpec]):
        self.specs = specs
        self.machines = {name: self._machine(spec) for name, spec in specs.items()}
        self._diagrams: dict[tuple[str, str | None, str], Markup] = {}

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

    def diagram(self, name: str, current: str | None, locale: str) -> Markup:
        """The definition's SVG diagram, drawn once per (state, language) and kept."""
        key = (name, current, locale)
        if key not in self._diagrams:
            from app.workflow.diagram import render_svg

            svg = render_svg(self.specs[name], current=current, locale=locale)
            # Drawn from the YAML definitions only, every text escaped by render_svg.
            self._diagrams[key] = Markup(svg)  # nosec B704
        return self._diagrams[key]

    def transition(self, appraisal: Subject, trigger: str) -> TransitionSpec | None:
        """The transition `trigger` from the subject's current state, if the machine has one."""
        machine = self.machines[appraisal.workflow]
        if trigger not in machine.get_triggers(appraisal.state):
            return None
        return self.specs[appraisal.workflow].transition(appraisal.state, trigger)


def engine() -> Engine:
    return current_app.extensions[EXTENSION_KEY]


def _role_for(actor: Account, appraisal: Subject, transition: TransitionSpec) -> str | None:
    """The first of the transition's roles that the actor holds for this subject."""
    held = kind_of(appraisal).roles_of(actor, appraisal, None)
    roles = engine().spec(appraisal.workflow).roles
    return next((role for role in roles if role in held and role in transition.roles), None)


def available(
    appraisal: Subject, actor: Account, now: datetime | None = None
) -> list[TransitionSpec]:
    """The transitions the actor may fire now (roles held and guards passing)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return []
    kind = kind_of(appraisal)
    if kind.locked(appraisal):
        return []
    now = now or utcnow()
    spec = engine().spec(appraisal.workflow)
    held = kind.roles_of(actor, appraisal, None)
    found = [
        t
        for t in spec.transitions_from(appraisal.state)
        if held & set(t.roles) and not any(GUARDS[name](appraisal, actor, now) for name in t.guards)
    ]
    state = spec.states[appraisal.state]
    if found and state.joint:
        # At a joint step, a party who has answered has nothing more to do there.
        still_open = tasks.open_roles(appraisal)
        found = [
            t
            for t in found
            if (role := _role_for(actor, appraisal, t)) not in state.tasks or role in still_open
        ]
    if found and all(_role_for(actor, appraisal, t) in GROUP_ROLES for t in found):
        holder = tasks.claim_holder(appraisal)
        if holder is not None and holder.id != actor.employee_id:
            return []
    return found


def fire(
    appraisal: Subject,
    trigger: str,
    actor: Account,
    form: Mapping | None = None,
    *,
    seen_version: int | None = None,
    now: datetime | None = None,
) -> AuditEvent:
    """Fire `trigger` on the subject as `actor`; the one write path for every state change.

    The subject is an appraisal or a complaint (app.workflow.subjects). `form`
    holds the transition's validated input (at least `comment`); `seen_version` is
    the version the actor saw (default: the loaded one). Raises
    a TransitionRefused subclass, having written nothing, when it may not happen.
    Flushes; the caller commits.
    """
    now = now or utcnow()
    form = form or {}
    kind = kind_of(appraisal)
    seen = appraisal.version if seen_version is None else seen_version
    if seen != appraisal.version:
        raise StaleState(latest_event_of(appraisal))
    if kind.locked(appraisal):
        raise PeriodClosed(kind.locked_message(appraisal))
    transition = engine().transition(appraisal, trigger)
    if transition is None:
        raise NotAllowed("no such step from here")
    role = _role_for(actor, appraisal, transition)
    if role is None:
        raise NotAllowed("not yours to take")
    if role in GROUP_ROLES:
        # A claim is exclusive while held: another member of the group may not act.
        holder = tasks.claim_holder(appraisal, lock=True)
        if holder is not None and holder.id != actor.employee_id:
            raise HeldByOther(holder)
    comment = (form.get("comment") or "").strip() or None
    if transition.comment == "none":
        comment = None
    if transition.comment_required and not comment:
        raise InvalidInput({"comment": [str(_l("Please write the reason."))]})
    for name in transition.guards:
        reason = GUARDS[name](appraisal, actor, now)
        if reason:
            raise GuardFailed(reason)

    spec = engine().spec(appraisal.workflow)
    source = spec.states[transition.source]
    waiting: set[str] = set()
    if source.joint and role in source.tasks:
        # One party of a joint step answers: only their task closes; the step moves
        # on when the last party has answered.
        still_open = tasks.open_roles(appraisal)
        if role not in still_open:
            raise NotAllowed("already done at this step")
        waiting = still_open - {role}
    dest = spec.states[transition.source if waiting else transition.dest]
    # Never a task with no holder: a step whose next task nobody can take is refused.
    for task_role in () if waiting or dest.final else dest.tasks:
        if task_role not in GROUP_ROLES and kind.assignee_for(appraisal, task_role) is None:
            raise NoHolder(task_role, str(kind.role_labels.get(task_role, task_role)))
    kind.move_state(appraisal, transition.source, dest.name, seen, now, final=dest.final)

    event = record_event(
        appraisal,
        actor=actor,
        role=role,
        trigger=trigger,
        from_state=transition.source,
        to_state=dest.name,
        comment=comment,
        acting_as=kind.acting_capacity(appraisal, role),
        now=now,
        # The pengelola kinerja acts in their own name, for the employee (audited as theirs).
        on_behalf_of=appraisal.employee_id if role == PENGELOLA_KINERJA else None,
    )
    if role == PENGELOLA_KINERJA:
        # The plan says who drafted it for the employee (PermenPANRB 8/2021, Bab II A.4).
        appraisal.plan_drafted_by_id = actor.employee_id
    for name in transition.effects:
        EFFECTS[name](appraisal, actor, form, now)
    if waiting:
        # The others still owe their answer: nobody is told yet, nothing else opens.
        tasks.close_role_task(appraisal, role, actor.employee_id, now)
        db.session.flush()
        return event
    tasks.close_open_task(appraisal, actor.employee_id, now)
    opened = tasks.open_tasks(appraisal, dest, now)
    kind.mails(appraisal, transition, event, opened, spec)
    db.session.flush()
    return event
