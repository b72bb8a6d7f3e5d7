"""Guards that a transition may name: each answers None (go ahead) or the reason it may not.

A guard reads, never writes. Definitions refer to guards by these names only.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.models import Account, Appraisal

OBJECTION_DAYS = 14

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


@guard("objection_window_open")
def objection_window_open(appraisal: Appraisal, actor: Account, now: datetime) -> str | None:
    """Keberatan may be filed within 14 days of finalisation."""
    if appraisal.finalised_at is None:
        return str(_l("This appraisal has not been finalised yet."))
    if now > appraisal.finalised_at + timedelta(days=OBJECTION_DAYS):
        return str(
            _l(
                "An objection can only be filed within %(days)d days of finalisation.",
                days=OBJECTION_DAYS,
            )
        )
    return None


@guard("first_objection")
def first_objection(appraisal: Appraisal, actor: Account, now: datetime) -> str | None:
    """Keberatan is filed once: the superior's decision on it is final."""
    from app.extensions import db
    from app.models import AuditEvent

    filed = db.session.scalar(
        sa.select(AuditEvent.id)
        .where(AuditEvent.appraisal_id == appraisal.id, AuditEvent.trigger == "file_objection")
        .limit(1)
    )
    if filed is not None:
        return str(_l("An objection was already decided for this SKP; that decision is final."))
    return None
