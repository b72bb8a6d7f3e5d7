"""Guards that a transition may name: each answers None (go ahead) or the reason it may not.

A guard reads, never writes. Definitions refer to guards by these names only.
"""

from collections.abc import Callable
from datetime import datetime

from app.models import Account, Appraisal

Guard = Callable[[Appraisal, Account, datetime], str | None]
GUARDS: dict[str, Guard] = {}


def guard(name: str) -> Callable[[Guard], Guard]:
    """Register a function as the guard called `name`."""

    def register(function: Guard) -> Guard:
        if name in GUARDS:
            raise ValueError(f"guard {name!r} registered twice")
        GUARDS[name] = function
        return function

    return register
