"""The IKM of a unit (or several) over a date range, summed in SQL.

The database returns one row of sums; the formula of app.feedback.ikm turns them
into the NRR, the IKM and its mutu. No response is loaded into Python.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.feedback.ikm import IkmResult, ikm_from_sums
from app.models.skm import ANSWER_COLUMNS, SkmResponse


def _sums(where: sa.ColumnElement[bool]) -> tuple[int, list[int]]:
    columns = [sa.func.coalesce(sa.func.sum(getattr(SkmResponse, c)), 0) for c in ANSWER_COLUMNS]
    row = db.session.execute(sa.select(sa.func.count(), *columns).where(where)).one()
    return int(row[0]), [int(v) for v in row[1:]]


def units_ikm(unit_ids: Iterable[int], start: date, end: date) -> IkmResult | None:
    """The IKM of the responses of these units served from `start` to `end` (inclusive);
    None when there is no response."""
    ids = list(unit_ids)
    if not ids:
        return None
    respondents, sums = _sums(
        sa.and_(
            SkmResponse.service_unit_id.in_(ids),
            SkmResponse.served_on.between(start, end),
        )
    )
    return ikm_from_sums(sums, respondents) if respondents else None


def unit_ikm(unit_id: int, start: date, end: date) -> IkmResult | None:
    """The IKM of one unit's responses from `start` to `end` (inclusive), or None."""
    return units_ikm([unit_id], start, end)
