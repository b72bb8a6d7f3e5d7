"""Unit layanan: creating and editing units and their jenis layanan, versioned.

Every write to a unit (its fields, its positions, its jenis layanan) is one
compare-and-set UPDATE on (id, version): zero rows means someone saved first, and
StaleUnit is raised before anything else is written. Services flush, never commit.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Opd, Position, ServiceKind, ServiceUnit, Unit

# Short codes people type from a poster: no 0/O, 1/I/L, 5/S, 8/B, 2/Z look-alikes.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6
CODE_ATTEMPTS = 20


class StaleUnit(RuntimeError):
    """Someone saved the unit since the form was shown; nothing was written."""


class DuplicateKind(ValueError):
    """The unit already has a jenis layanan of this name."""


@dataclass(frozen=True)
class UnitData:
    """What the unit form gives, checked against the OPD (units and positions of it only)."""

    name: str
    address: str | None
    unit_id: int | None
    head_position_id: int | None
    position_ids: list[int]
    yearly_users: int | None
    active: bool


def new_code() -> str:
    """A short code no unit has yet (asked of the database; the unique key has the last word)."""
    for _attempt in range(CODE_ATTEMPTS):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if db.session.scalar(sa.select(ServiceUnit.id).where(ServiceUnit.code == code)) is None:
            return code
    raise RuntimeError("no free unit code found")  # 25^6 codes: never with a sane number of units


def normalise_code(code: str) -> str:
    """A code as typed from a poster (any case, surrounding blanks) as stored."""
    return code.strip().upper()[:16]


def units_of(opd_ids: list[int] | None) -> list[ServiceUnit]:
    """The units of these OPDs (None: every OPD), by OPD and name, with their jenis layanan."""
    query = (
        sa.select(ServiceUnit)
        .join(Opd, Opd.id == ServiceUnit.opd_id)
        .order_by(Opd.name, ServiceUnit.name)
        .options(
            sa.orm.contains_eager(ServiceUnit.opd),
            sa.orm.selectinload(ServiceUnit.services),
            sa.orm.selectinload(ServiceUnit.head_position),
        )
    )
    if opd_ids is not None:
        query = query.where(ServiceUnit.opd_id.in_(opd_ids))
    return list(db.session.scalars(query))


def get_unit(unit_id: int) -> ServiceUnit | None:
    return db.session.get(ServiceUnit, unit_id)


def opds(opd_ids: list[int] | None) -> list[Opd]:
    query = sa.select(Opd).order_by(Opd.name)
    if opd_ids is not None:
        query = query.where(Opd.id.in_(opd_ids))
    return list(db.session.scalars(query))


def org_units(opd_id: int) -> list[Unit]:
    return list(
        db.session.scalars(sa.select(Unit).where(Unit.opd_id == opd_id).order_by(Unit.name))
    )


def positions(opd_id: int) -> list[Position]:
    """The OPD's positions with their organisational unit, by unit and name."""
    return list(
        db.session.scalars(
            sa.select(Position)
            .outerjoin(Unit, Unit.id == Position.unit_id)
            .where(Position.opd_id == opd_id)
            .order_by(Unit.name.nulls_first(), Position.name, Position.id)
            .options(sa.orm.contains_eager(Position.unit))
        )
    )


def create_unit(opd: Opd, data: UnitData) -> ServiceUnit:
    """A new unit of the OPD with a fresh short code."""
    unit = ServiceUnit(opd=opd, code=new_code())
    _apply(unit, data)
    db.session.add(unit)
    db.session.flush()
    return unit


def _apply(unit: ServiceUnit, data: UnitData) -> None:
    unit.name = data.name
    unit.address = data.address
    unit.unit_id = data.unit_id
    unit.head_position_id = data.head_position_id
    unit.yearly_users = data.yearly_users
    unit.active = data.active
    chosen = set(data.position_ids)
    unit.positions = (
        list(db.session.scalars(sa.select(Position).where(Position.id.in_(chosen))))
        if chosen
        else []
    )


def claim(unit: ServiceUnit, seen_version: int) -> None:
    """Take the unit's next version if it is still at `seen_version`, else StaleUnit."""
    done = db.session.execute(
        sa.update(ServiceUnit)
        .where(ServiceUnit.id == unit.id, ServiceUnit.version == seen_version)
        .values(version=ServiceUnit.version + 1)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        raise StaleUnit(unit.id)
    # The ORM must not write the version again from its own (older) idea of it.
    sa.orm.attributes.set_committed_value(unit, "version", seen_version + 1)


def edit_unit(unit: ServiceUnit, data: UnitData, seen_version: int) -> None:
    """Save the unit's fields and serving positions, if nobody saved it meanwhile."""
    claim(unit, seen_version)
    _apply(unit, data)
    db.session.flush()


def add_kind(unit: ServiceUnit, name: str, seen_version: int) -> ServiceKind:
    """Add a jenis layanan to the unit (DuplicateKind if it has one of that name)."""
    claim(unit, seen_version)
    kind = ServiceKind(service_unit_id=unit.id, name=name, active=True)
    try:
        with db.session.begin_nested():
            db.session.add(kind)
    except IntegrityError as error:
        raise DuplicateKind(name) from error
    return kind


def edit_kind(unit: ServiceUnit, kind: ServiceKind, name: str, active: bool, seen_version: int):
    """Rename a jenis layanan or (de)activate it; a deactivated one leaves the public form."""
    claim(unit, seen_version)
    kind.name, kind.active = name, active
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:
        raise DuplicateKind(name) from error
