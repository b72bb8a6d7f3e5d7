"""Guards that a transition may name: each answers None (go ahead) or the reason it may not.

A guard reads, never writes. Definitions refer to guards by these names only.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from app.models import Account, Appraisal

OBJECTION_DAYS = 14

Guard = Callable[[Appraisal, Account, datetime], str | None]


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


GUARDS: dict[str, Guard] = {
    "objection_window_open": objection_window_open,
}
