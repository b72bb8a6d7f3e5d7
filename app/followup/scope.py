"""The OPD and year a talent or consequences page shows, from ?opd= and ?year=.

`?opd=` absent means the whole city for those who read every OPD, and the first
OPD they head for a kepala OPD; an OPD they may not read is a 404, as is a page
for someone who reads none (the policy answers who reads what).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import abort, request
from flask_login import current_user

from app import policy
from app.extensions import db
from app.models import Opd, Period


@dataclass
class Scope:
    """The OPD chosen (None: the city), the OPDs offered, the year and the years offered."""

    opd: Opd | None
    opds: list[Opd]
    city: bool  # whether the whole city may be chosen
    year: int
    years: list[int]

    @property
    def opd_id(self) -> int | None:
        return self.opd.id if self.opd else None


def page_scope() -> Scope:
    """The scope of the request, or 404 (two queries: the OPDs and the years)."""
    allowed = policy.talent_opds(current_user)
    if allowed == []:
        abort(404)
    query = sa.select(Opd).order_by(Opd.code)
    if allowed is not None:
        query = query.where(Opd.id.in_(allowed))
    opds = list(db.session.scalars(query))
    chosen = request.args.get("opd", type=int)
    if chosen is None and allowed is not None:
        chosen = opds[0].id if opds else None
    opd = next((o for o in opds if o.id == chosen), None)
    if chosen is not None and opd is None:
        abort(404)
    if not policy.can_view_talent(current_user, opd.id if opd else None):
        abort(404)
    years = sorted(
        db.session.scalars(sa.select(Period.year).where(Period.kind == "annual").distinct()),
        reverse=True,
    )
    today = date.today().year
    default = next((y for y in years if y < today), years[0] if years else today - 1)
    year = request.args.get("year", type=int) or default
    if not 2000 <= year <= 2100:
        abort(404)
    return Scope(opd, opds, allowed is None, year, years)
