"""Why the engine refused a transition. Nothing was written when one of these is raised."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

if TYPE_CHECKING:
    from app.models import AuditEvent


class TransitionRefused(Exception):
    """Base class; `message` is fit for the user."""

    status = 400

    def __init__(self, message: str = ""):
        super().__init__(message)
        self.message = message


class NotAllowed(TransitionRefused):
    """The actor holds none of the transition's roles for this appraisal, or no such step."""

    status = 403


class InvalidInput(TransitionRefused):
    """The form data is not acceptable; `errors` maps field names to messages."""

    status = 422

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(m for ms in errors.values() for m in ms))
        self.errors = errors


class GuardFailed(TransitionRefused):
    """A guard of the transition said no (e.g. the objection window has closed)."""

    status = 422


class PeriodClosed(GuardFailed):
    """The appraisal's period is closed: no step may be taken (app.workflow.deadlines)."""


class HeldByOther(TransitionRefused):
    """A group task (BKD verification) is claimed by another member of the group.

    A claim is exclusive while it is held: only the holder may act, until they
    finish or release it. `holder` is the employee holding it.
    """

    status = 409

    def __init__(self, holder):
        super().__init__(
            str(
                _l(
                    "%(name)s has claimed this task; only they can act on it until they "
                    "finish or release it.",
                    name=holder.name,
                )
            )
        )
        self.holder = holder


class NoHolder(TransitionRefused):
    """The step would open a task that nobody in SIKAP can hold (e.g. no atasan above).

    Refused rather than leaving the SKP with a task nobody sees; `role` names it.
    """

    status = 422

    def __init__(self, role: str, role_label: str):
        super().__init__(
            str(
                _l(
                    "This step cannot be taken in SIKAP: the next step belongs to the "
                    "%(role)s, and nobody holds that role for this SKP in the organisation "
                    "structure. Please contact BKD.",
                    role=role_label,
                )
            )
        )
        self.role = role


class StaleState(TransitionRefused):
    """Someone acted first: the appraisal is no longer in the state and version seen.

    `event` is the latest audit event: who moved it, to which step, and when.
    """

    status = 409

    def __init__(self, event: AuditEvent | None):
        super().__init__("stale")
        self.event = event
