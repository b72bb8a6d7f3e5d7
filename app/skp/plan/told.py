"""Staff are told when the atasan RHK their plan supports changes or goes.

Plans open top-down but are drafted side by side (PermenPANRB 6/2022): a
subordinate may link to an atasan's RHK before that plan is approved, so when
the atasan rewords or removes an RHK, whoever supports it gets one mail per
save listing what changed, in the same transaction as the change.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import Account, Appraisal, Employee, Rhk
from app.outbox.links import task_url
from app.outbox.queue import enqueue_mail


@dataclass(frozen=True)
class Change:
    """One of the atasan's RHK as it was, and as it is now (None: removed)."""

    before: str
    after: str | None


def supporters(rhk_ids: set[int]) -> dict[int, set[int]]:
    """Atasan RHK id -> the ids of the appraisals whose RHK link to it (one statement)."""
    if not rhk_ids:
        return {}
    found: dict[int, set[int]] = {}
    rows = db.session.execute(
        sa.select(Rhk.atasan_rhk_id, Rhk.appraisal_id).where(Rhk.atasan_rhk_id.in_(rhk_ids))
    )
    for atasan_rhk_id, appraisal_id in rows:
        found.setdefault(atasan_rhk_id, set()).add(appraisal_id)
    return found


def tell_staff(
    appraisal: Appraisal, changes: dict[int, Change], linked: dict[int, set[int]]
) -> int:
    """Queue one mail per supporting SKP listing the changed RHK it links to; how many."""
    per_skp: dict[int, list[Change]] = {}
    for rhk_id, change in changes.items():
        for skp_id in linked.get(rhk_id, ()):
            per_skp.setdefault(skp_id, []).append(change)
    if not per_skp:
        return 0
    rows = db.session.execute(
        sa.select(Appraisal, Employee, Account.locale)
        .join(Employee, Employee.id == Appraisal.employee_id)
        .outerjoin(Account, Account.employee_id == Employee.id)
        .where(Appraisal.id.in_(per_skp))
    )
    sent = 0
    for skp, person, locale in rows:
        if not person.email or person.id == appraisal.employee_id:
            continue
        enqueue_mail(
            person.email,
            _l(
                "[SIKAP] Your atasan changed an RHK your plan supports (%(period)s)",
                period=skp.period.name,
            ),
            "atasan_rhk_changed",
            locale=locale or "id",
            person=person,
            atasan=appraisal.employee,
            changes=per_skp[skp.id],
            url=task_url(person.id, skp.id),
        )
        sent += 1
    return sent
