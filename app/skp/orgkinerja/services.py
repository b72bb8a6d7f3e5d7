"""The capaian kinerja organisasi of each satuan organisasi (the OPD and its units), per period.

A satuan organisasi is an OPD (unit None) or one of its units. Its head is the
position of that unit whose parent is outside it (for the OPD: the position
that heads the OPD, app.policy.heads_its_opd). The pimpinan above is whoever
holds the head's parent position; they, or admin BKD, set the capaian with a
reason (app.policy.can_set_achievement). Services flush, never commit.

From the Perjanjian Kinerja: the PK page (app/pk) computes the OPD's capaian from
its indicators' realisasi and offers it to whoever may set it; applied, it is
stored here like a typed one, with source "pk" and a reason naming the figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import (
    Account,
    Appraisal,
    Employee,
    Opd,
    OrgAchievement,
    OrgAchievementChange,
    OrgPredikatBand,
    Period,
    Position,
    Unit,
)
from app.models.appraisal import latest_segment
from app.models.types import utcnow
from app.skp import scoring
from app.skp.orgkinerja.bands import current_bands, remember_bands
from app.workflow.roles import per_request

MAX_CAPAIAN = Decimal("999.99")


class StaleAchievement(Exception):
    """Someone set this achievement since the form was shown: nothing was written."""


@dataclass(frozen=True)
class Scope:
    """The satuan organisasi whose capaian bounds an appraisal's distribution."""

    opd_id: int
    unit_id: int | None
    name: str
    capaian: Decimal | None
    org_predikat: str | None
    # The units whose employees count in it (empty for the OPD: every employee of the OPD).
    unit_ids: tuple[int, ...] = ()


def achievements_of(opd_id: int, period_id: int) -> dict[int | None, OrgAchievement]:
    """Unit id (None: the OPD itself) -> its achievement in the period, once per request."""
    return per_request(
        ("org_achievements", opd_id, period_id),
        lambda: {
            row.unit_id: row
            for row in db.session.scalars(
                sa.select(OrgAchievement).where(
                    OrgAchievement.opd_id == opd_id, OrgAchievement.period_id == period_id
                )
            )
        },
    )


def units_of(opd_id: int) -> list[Unit]:
    """The OPD's units, by name, once per request."""
    return per_request(
        ("org_units", opd_id),
        lambda: list(
            db.session.scalars(sa.select(Unit).where(Unit.opd_id == opd_id).order_by(Unit.name))
        ),
    )


def all_opds() -> list[Opd]:
    """Every OPD, by name (BKD chooses one)."""
    return list(db.session.scalars(sa.select(Opd).order_by(Opd.name)))


@cache
def _capaian_query() -> sa.CompoundSelect:
    """The capaian of OPD :opd_id in period :period_id and the predikat table; built once."""
    achievements = sa.select(
        sa.literal_column("'a'").label("kind"),
        OrgAchievement.unit_id.label("unit_id"),
        sa.cast(sa.null(), sa.String(16)).label("predikat"),
        OrgAchievement.capaian.label("value"),
        OrgAchievement.version.label("version"),
    ).where(
        OrgAchievement.opd_id == sa.bindparam("opd_id"),
        OrgAchievement.period_id == sa.bindparam("period_id"),
    )
    table = sa.select(
        sa.literal_column("'b'"),
        sa.cast(sa.null(), sa.Integer),
        OrgPredikatBand.predikat,
        OrgPredikatBand.min_capaian,
        OrgPredikatBand.version,
    )
    return sa.union_all(achievements, table)


def capaian_of(opd_id: int, period_id: int) -> dict[int | None, Decimal]:
    """Unit id (None: the OPD) -> capaian in the period, read with the table in one query.

    The rating pages ask on every view: the capaian and the table's thresholds come
    in one UNION, and the table is remembered for the request (bands.current_bands).
    """

    def compute() -> dict[int | None, Decimal]:
        found: dict[int | None, Decimal] = {}
        thresholds: dict[str, Decimal] = {}
        version = 0
        for kind, unit_id, predikat, value, row_version in db.session.execute(
            _capaian_query(), {"opd_id": opd_id, "period_id": period_id}
        ):
            if kind == "a":
                found[unit_id] = Decimal(value)
            else:
                thresholds[predikat] = Decimal(value)
                version = max(version, row_version)
        remember_bands(thresholds, version)
        return found

    return per_request(("org_capaian", opd_id, period_id), compute)


def org_predikat(opd_id: int, period_id: int, unit_id: int | None = None) -> str | None:
    """The organisation predikat of the OPD (or unit) in the period; None without a capaian."""
    capaian = capaian_of(opd_id, period_id).get(unit_id)
    return current_bands().predikat_for(capaian) if capaian is not None else None


def opd_predikats(period_id: int) -> dict[int, str]:
    """OPD id -> organisation predikat, for every OPD whose capaian is set in the period."""
    bands = current_bands()
    rows = db.session.execute(
        sa.select(OrgAchievement.opd_id, OrgAchievement.capaian).where(
            OrgAchievement.period_id == period_id, OrgAchievement.unit_id.is_(None)
        )
    )
    return {opd_id: bands.predikat_for(capaian) for opd_id, capaian in rows}


def history_of(achievement: OrgAchievement | None) -> list[tuple[OrgAchievementChange, str]]:
    """Every setting of the achievement with who made it (name and jabatan), newest first.

    The jabatan says in what capacity: the wali kota, the sekda, a kepala OPD, or
    an admin BKD entering it as the operator.
    """
    if achievement is None:
        return []
    return [
        (change, f"{name} ({position})" if name and position else name or "SIKAP")
        for change, name, position in db.session.execute(
            sa.select(OrgAchievementChange, Employee.name, Position.name)
            .outerjoin(Account, Account.id == OrgAchievementChange.changed_by_id)
            .outerjoin(Employee, Employee.id == Account.employee_id)
            .outerjoin(Position, Position.id == Employee.position_id)
            .where(OrgAchievementChange.achievement_id == achievement.id)
            .order_by(OrgAchievementChange.id.desc())
        )
    ]


def set_achievement(
    opd_id: int,
    unit_id: int | None,
    period: Period,
    capaian: Decimal,
    reason: str,
    actor: Account,
    *,
    seen_version: int,
    now: datetime | None = None,
    source: str = "manual",
) -> OrgAchievement:
    """Set the capaian of the OPD (unit None) or unit in the period, with the reason.

    `source` says where the figure came from: typed ("manual") or the PK ("pk").

    `seen_version` is the version the form showed (0: none was set). Raises
    StaleAchievement when someone set it meanwhile, ValueError for a capaian out
    of range; nothing is written then. The change is kept with its reason.
    """
    now = now or utcnow()
    capaian = Decimal(capaian)
    if not Decimal(0) <= capaian <= MAX_CAPAIAN:
        raise ValueError(f"capaian out of range: {capaian}")
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("a reason is required")
    where = [OrgAchievement.opd_id == opd_id, OrgAchievement.period_id == period.id]
    where.append(
        OrgAchievement.unit_id.is_(None) if unit_id is None else OrgAchievement.unit_id == unit_id
    )
    current = db.session.scalars(sa.select(OrgAchievement).where(*where)).first()
    if (current.version if current is not None else 0) != seen_version:
        raise StaleAchievement()
    old = current.capaian if current is not None else None
    if current is None:
        current = OrgAchievement(
            opd_id=opd_id, unit_id=unit_id, period_id=period.id, capaian=capaian,
            source=source, reason=reason, version=1, set_by_id=actor.id, set_at=now,
        )  # fmt: skip
        try:
            with db.session.begin_nested():
                db.session.add(current)
        except IntegrityError:
            # Another first setting won the unique key.
            raise StaleAchievement() from None
    else:
        done = db.session.execute(
            sa.update(OrgAchievement)
            .where(OrgAchievement.id == current.id, OrgAchievement.version == seen_version)
            .values(
                capaian=capaian,
                source=source,
                reason=reason,
                version=seen_version + 1,
                set_by_id=actor.id,
                set_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:
            raise StaleAchievement()
        db.session.refresh(current)
    db.session.add(
        OrgAchievementChange(
            achievement_id=current.id,
            old_capaian=old,
            new_capaian=capaian,
            reason=reason,
            changed_by_id=actor.id,
            changed_at=now,
        )
    )
    db.session.flush()
    return current


# --- Heads of units, and the scope an appraisal's distribution is read in ---------------


def _position_row(position_id: int) -> sa.Row | None:
    """(OPD, unit, kind, parent's OPD, parent's unit) of a position, once per request."""

    def compute() -> sa.Row | None:
        return db.session.execute(_position_row_query(), {"id": position_id}).first()

    return per_request(("position_row", position_id), compute)


@cache
def _position_row_query() -> sa.Select:
    """`_position_row`'s statement for :id, built once (the review guard asks on every view)."""
    parent = sa.orm.aliased(Position)
    return (
        sa.select(Position.opd_id, Position.unit_id, Position.kind, parent.opd_id, parent.unit_id)
        .outerjoin(parent, parent.id == Position.parent_id)
        .where(Position.id == sa.bindparam("id"))
    )


def unit_of_position(position_id: int | None) -> int | None:
    """The unit of a position (None: directly under the OPD, or no position)."""
    row = _position_row(position_id) if position_id is not None else None
    return row[1] if row is not None else None


def headed_unit(position_id: int | None) -> tuple[int, int | None] | None:
    """(OPD id, unit id or None for the OPD) of the satuan organisasi the position heads.

    A position heads its unit when its parent is outside the unit; a position with
    no unit heads the OPD when its parent is outside the OPD (or it has none).
    """
    if position_id is None:
        return None
    return per_request(("headed_unit", position_id), lambda: _headed_unit(position_id))


def _headed_unit(position_id: int) -> tuple[int, int | None] | None:
    row = _position_row(position_id)
    if row is None or row.kind == "kepala_daerah":
        return None
    opd_id, unit_id, _, parent_opd, parent_unit = row
    if parent_opd is None or parent_opd != opd_id:
        return (opd_id, None) if unit_id is None else (opd_id, unit_id)
    if unit_id is not None and parent_unit != unit_id:
        return opd_id, unit_id
    return None


def unit_rating_suggestion(appraisal: Appraisal) -> str | None:
    """The hasil kerja rating a unit's head gets from the unit's organisation predikat.

    None when the appraisee heads no unit or the unit's capaian is not set.
    """
    if appraisal.opd_id is None or not capaian_of(appraisal.opd_id, appraisal.period_id):
        return None  # no capaian in the OPD: nothing to suggest, no need to read the position
    headed = headed_unit(appraisal.position_id)
    if headed is None:
        return None
    predikat = org_predikat(headed[0], appraisal.period_id, headed[1])
    return scoring.ORG_PREDIKAT_RATING[predikat] if predikat else None


def _subtree(units: list[Unit], root: int) -> tuple[int, ...]:
    children: dict[int | None, list[int]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit.id)
    found, todo = [], [root]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, ()))
    return tuple(found)


def scope_of(appraisal: Appraisal, unit_id: int | None) -> Scope | None:
    """The satuan organisasi of an appraisee in unit `unit_id`: the nearest unit up the tree
    whose capaian is set, else the OPD. None for an appraisal outside any OPD."""
    opd_id = appraisal.opd_id
    if opd_id is None:
        return None
    achievements = capaian_of(opd_id, appraisal.period_id)
    if unit_id is not None and set(achievements) - {None}:
        units = units_of(opd_id)
        by_id = {unit.id: unit for unit in units}
        current = by_id.get(unit_id)
        while current is not None:
            if current.id in achievements:
                capaian = achievements[current.id]
                return Scope(
                    opd_id, current.id, current.name, capaian,
                    current_bands().predikat_for(capaian), _subtree(units, current.id),
                )  # fmt: skip
            current = by_id.get(current.parent_id)
    capaian = achievements.get(None)
    # Named without loading the OPD: the page shows whose OPD it is already.
    name = str(_l("Your OPD"))
    return Scope(opd_id, None, name, capaian, current_bands().predikat_for(capaian))


def scope_counts(scope: Scope, period_id: int, without: int | None = None) -> dict[str, int]:
    """Employee predikat -> count in the scope (each employee once), leaving `without` out."""
    query = (
        sa.select(Appraisal.predikat, sa.func.count(Appraisal.id))
        .where(
            Appraisal.opd_id == scope.opd_id,
            Appraisal.period_id == period_id,
            Appraisal.predikat.is_not(None),
            latest_segment(),
        )
        .group_by(Appraisal.predikat)
    )
    if scope.unit_ids:
        query = query.join(Position, Position.id == Appraisal.position_id).where(
            Position.unit_id.in_(scope.unit_ids)
        )
    if without is not None:
        query = query.where(Appraisal.id != without)
    counts = dict.fromkeys(scoring.PREDIKAT, 0)
    counts.update(dict(db.session.execute(query).all()))
    return counts
