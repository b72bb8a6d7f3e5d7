"""Effects a transition may name: writes that belong to a step, run inside fire().

An effect runs after the compare-and-set, in the same transaction, so it is
rolled back with the step if anything fails; it never sends anything itself.
Definitions refer to effects by these names only.
"""

from collections.abc import Callable, Mapping
from datetime import datetime

from app.models import Account, Appraisal

Effect = Callable[[Appraisal, Account, Mapping, datetime], None]

EFFECTS: dict[str, Effect] = {}


def effect(name: str) -> Callable[[Effect], Effect]:
    """Register a function as the effect called `name`."""

    def register(function: Effect) -> Effect:
        if name in EFFECTS:
            raise ValueError(f"effect {name!r} registered twice")
        EFFECTS[name] = function
        return function

    return register
