"""Who heads an OPD: the holder (or acting holder) of its top position on a date.

The kepala OPD is derived, never granted: whoever holds, or acts in, the OPD's
top position. The workflow asks it (the kepala OPD asks appraisers to revisit
SKP in calibration) and so do the page rules (app.policy).
"""

from __future__ import annotations

from datetime import date
from functools import cache

import sqlalchemy as sa

from app.extensions import db
from app.models import Account, ActingAssignment, Opd, Position
from app.models.org import KEPALA_DAERAH


def heads_its_opd(parent: type[Position]) -> sa.ColumnElement[bool]:
    """Position heads its OPD: no parent, or a parent (outer-joined as `parent`) in another OPD."""
    return sa.or_(Position.parent_id.is_(None), parent.opd_id != Position.opd_id)


@cache
def _opds_headed_by_query() -> sa.Select:
    """OPDs whose top position :employee_id holds (:position_id) or acts in on :on, built once.

    Every signed-in page asks this (the home page, the navigation's roles), and
    building the statement cost more than running it.
    """
    employee_id, on = sa.bindparam("employee_id"), sa.bindparam("on", type_=sa.Date)
    parent = sa.orm.aliased(Position)
    acting = sa.select(ActingAssignment.position_id).where(
        ActingAssignment.employee_id == employee_id,
        ActingAssignment.start_date <= on,
        ActingAssignment.end_date >= on,
    )
    held = sa.or_(Position.id == sa.bindparam("position_id"), Position.id.in_(acting))
    return (
        sa.select(Opd)
        .join(Position, Position.opd_id == Opd.id)
        .outerjoin(parent, parent.id == Position.parent_id)
        # The wali kota's position sits in an OPD (SETDA) but does not head it.
        .where(held, heads_its_opd(parent), Position.kind != KEPALA_DAERAH)
        .distinct()
    )


def may_head_an_opd(employee_id: sa.ColumnElement, position_id: sa.ColumnElement):
    """Whether the employee holds, or has ever been given as Plt/Plh, a position heading an OPD.

    A superset of "heads an OPD today" that needs no date: when it is false the
    precise question (opds_headed_by) need not be asked, which spares every page
    of almost every employee a query. Built to sit in the user loader's query.
    """
    position, parent = sa.orm.aliased(Position), sa.orm.aliased(Position)
    # Correlated explicitly: the employee sits two SELECTs out, beyond the reach of
    # auto-correlation, which would otherwise add it to this FROM and read every
    # employee's acting assignments (a scan of the whole table on every page).
    acting = (
        sa.select(ActingAssignment.position_id)
        .where(ActingAssignment.employee_id == employee_id)
        .correlate_except(ActingAssignment)
    )
    return (
        sa.select(position.id)
        .outerjoin(parent, parent.id == position.parent_id)
        .where(
            sa.or_(position.id == position_id, position.id.in_(acting)),
            sa.or_(position.parent_id.is_(None), parent.opd_id != position.opd_id),
            position.kind != KEPALA_DAERAH,
        )
        .exists()
    )


def opds_headed_by(account: Account, on: date | None) -> list[Opd]:
    """The OPDs whose top position the account's employee holds or acts in on `on`.

    No query when the user loader found the account can head none (may_head_opd).
    """
    if account.may_head_opd is False:
        return []
    # One query: the positions held (own and acting on `on`) that head their OPD.
    parameters = {
        "employee_id": account.employee_id,
        "position_id": account.employee.position_id,
        "on": on or date.today(),
    }
    return list(db.session.scalars(_opds_headed_by_query(), parameters))


def head_position_of(opd_id: int) -> int | None:
    """The OPD's top position (whose holder or Plt/Plh is its kepala); None when it has none."""
    parent = sa.orm.aliased(Position)
    return db.session.scalar(
        sa.select(Position.id)
        .outerjoin(parent, parent.id == Position.parent_id)
        .where(Position.opd_id == opd_id, heads_its_opd(parent), Position.kind != KEPALA_DAERAH)
        .order_by(Position.id)
        .limit(1)
    )
