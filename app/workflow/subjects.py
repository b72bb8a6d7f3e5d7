"""What a workflow runs on: the subject kinds (an appraisal, a complaint, a pembinaan case)
and their hooks.

The engine, tasks and the audit trail are the same for every kind; what differs
is asked of the kind: who holds which role, whom a task goes to, whether the
subject is locked (a closed period), how its state is compared-and-set, when a
task is due and which mails a step queues. A definition names its kind
(`subject:` in the YAML, default `appraisal`); a task and an audit event point
at exactly one subject through the kind's column (`appraisal_id`, `complaint_id`,
`pembinaan_id`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from app.models import Account


class Subject(Protocol):
    """What the engine reads of any subject (Appraisal, Complaint)."""

    id: int
    workflow: str
    state: str
    version: int


@dataclass(frozen=True)
class SubjectKind:
    """One kind of subject and the hooks the engine calls for it."""

    name: str
    model: type
    # The column on Task and AuditEvent that names a subject of this kind.
    column: str
    # (account, subject, on) -> roles held; (subject, role) -> employee id or None.
    roles_of: Callable[[Account | None, Any, date | None], set[str]]
    assignee_for: Callable[[Any, str], int | None]
    acting_capacity: Callable[[Any, str], str | None]
    # Whether no step may be taken at all (an SKP of a closed period), and why.
    locked: Callable[[Any], bool]
    locked_message: Callable[[Any], str]
    # (subject, source, dest, seen_version, now, final): the compare-and-set UPDATE.
    move_state: Callable[..., None]
    # (subject, state, due_days, today) -> the due date of a task opened today.
    due_date: Callable[[Any, str, int, date], date]
    # (subject, transition, event, opened tasks, spec): queue the step's mails.
    mails: Callable[..., None]
    # What a role is called on pages (for refusals naming it).
    role_labels: dict[str, Any]


KINDS: dict[str, SubjectKind] = {}
DEFAULT_KIND = "appraisal"


def register_kind(kind: SubjectKind) -> SubjectKind:
    if kind.name in KINDS and KINDS[kind.name] != kind:
        raise ValueError(f"subject kind {kind.name!r} registered twice")
    KINDS[kind.name] = kind
    return kind


def kind_of(subject: Any) -> SubjectKind:
    """The kind of a subject object (by its model class)."""
    for kind in KINDS.values():
        if isinstance(subject, kind.model):
            return kind
    raise LookupError(f"no workflow subject kind for {type(subject).__name__}")


def column_of(subject: Any) -> str:
    """The Task/AuditEvent column naming `subject` ('appraisal_id', 'complaint_id')."""
    return kind_of(subject).column
