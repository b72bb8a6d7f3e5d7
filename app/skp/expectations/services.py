"""Ekspektasi khusus pimpinan: the appraiser's expectation for each BerAKHLAK value."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import Account, Appraisal, Behaviour
from app.models.skp import BERAKHLAK
from app.workflow.locking import hold_version

# The official names of the values, the same in both languages.
MAX_EXPECTATION = 2000


def behaviours(appraisal: Appraisal) -> dict[str, Behaviour]:
    """The appraisal's perilaku rows by value (some may not exist yet)."""
    rows = db.session.scalars(sa.select(Behaviour).where(Behaviour.appraisal_id == appraisal.id))
    return {row.value: row for row in rows}


def save_expectations(
    appraisal: Appraisal, actor: Account, values: dict[str, str | None], *, seen_version: int
) -> None:
    """Set the expectation of each value given; blank clears it. Umpan balik is left alone."""
    hold_version(appraisal, seen_version)
    have = behaviours(appraisal)
    for value in BERAKHLAK:
        if value not in values:
            continue
        text = (values[value] or "").strip() or None
        row = have.get(value)
        if row is None:
            if text is None:
                continue
            row = Behaviour(appraisal_id=appraisal.id, value=value)
            db.session.add(row)
        row.expectation = text
    db.session.flush()
