"""Apply a checked roster: units, positions, employees, then the mutasi of open appraisals.

All-or-nothing: the caller applies only a plan without problems and commits once
at the end; any failure rolls everything back. Flushes, never commits.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from app.appraisals.services import NoAppraiser, reassign_appraiser
from app.extensions import db
from app.models import Account, Appraisal, Employee, Period, Position, RosterImport, Unit
from app.periods.segments import SegmentRefused, open_periods_of, start_segment
from app.periods.structure import ReportingLines
from app.roster.checks import RosterPlan
from app.workflow.engine import engine


@dataclass
class Reassignment:
    reassigned: int = 0
    without_atasan: int = 0
    opd_moved: int = 0
    segments: int = 0  # employees given a new SKP segment (mutasi with a date)


def _start_segments(plan: RosterPlan, actor: Account, move_date: date) -> set[int]:
    """A new SKP segment from `move_date` for each moved employee, in each open period."""
    started: set[int] = set()
    for planned in plan.moved:
        employee = db.session.get(Employee, planned.existing_id)
        db.session.refresh(employee, ["position"])
        for period, _latest in open_periods_of(employee.id):
            if not period.start_date <= move_date <= period.end_date:
                continue
            try:
                start_segment(employee, period, move_date, actor)
            except SegmentRefused as refused:
                raise SegmentRefused(f"{employee.nip} {employee.name}: {refused.message}") from None
            started.add(employee.id)
    return started


def apply_roster(
    plan: RosterPlan,
    actor: Account,
    filename: str,
    sha256: str,
    today: date | None = None,
    *,
    segment_from: date | None = None,
) -> RosterImport:
    """Write the plan, move open appraisals to their new atasan, and log the import.

    With `segment_from`, each employee who changes position (mutasi) gets a new SKP
    segment from that date in every open period covering it (app.periods.segments);
    their earlier segment keeps its appraiser. Raises SegmentRefused (naming the
    employee) when one cannot be started: the caller rolls the whole import back.
    """
    if not plan.ok:
        raise ValueError("a roster with problems cannot be applied")
    units = _ensure_units(plan)
    positions = _ensure_positions(plan, units)
    _write_employees(plan, positions)
    if plan.deactivated:
        db.session.execute(
            sa.update(Employee)
            .where(Employee.id.in_([employee_id for employee_id, _n, _m in plan.deactivated]))
            .values(active=False)
            .execution_options(synchronize_session=False)
        )
    db.session.flush()
    moved_to = {e.existing_id: e.key[0] for e in plan.moved}
    segmented = _start_segments(plan, actor, segment_from) if segment_from else set()
    result = reassign_open_appraisals(actor, moved_to, today, skip=segmented)
    result.segments = len(segmented)
    log = RosterImport(
        filename=filename[:255],
        sha256=sha256,
        rows=plan.rows,
        counts=json.dumps(plan.counts() | result.__dict__),
        applied_by_id=actor.id,
    )
    db.session.add(log)
    db.session.flush()
    return log


def _ensure_units(plan: RosterPlan) -> dict[tuple[int, str], int]:
    existing = {
        (opd_id, " ".join(name.split())): uid
        for uid, opd_id, name in db.session.execute(
            sa.select(Unit.id, Unit.opd_id, Unit.name).where(Unit.opd_id.in_(plan.opd_ids))
        )
    }
    new = [Unit(opd_id=opd_id, name=name) for opd_id, name in plan.new_units]
    db.session.add_all(new)
    db.session.flush()
    existing.update({(u.opd_id, u.name): u.id for u in new})
    return existing


def _ensure_positions(plan: RosterPlan, units: dict) -> dict:
    """Ids of every position of the file, new ones created; kinds and parents set."""
    ids = {key: p.existing_id for key, p in plan.positions.items() if p.existing_id}
    new = {
        key: Position(opd_id=key[0], unit_id=units.get((key[0], key[1])), name=key[2], kind=p.kind)
        for key, p in plan.positions.items()
        if p.existing_id is None
    }
    db.session.add_all(new.values())
    db.session.flush()
    ids.update({key: position.id for key, position in new.items()})
    parent_ids = {
        key: ids.get(p.parent) or p.parent_existing_id for key, p in plan.positions.items()
    }
    changed = [*plan.changed_positions, *plan.new_positions]
    if changed:
        db.session.execute(
            sa.update(Position),
            [{"id": ids[p.key], "kind": p.kind, "parent_id": parent_ids[p.key]} for p in changed],
        )
    return ids


def _write_employees(plan: RosterPlan, positions: dict) -> None:
    new = [e.values | {"nip": e.nip, "position_id": positions[e.key]} for e in plan.new]
    if new:
        db.session.execute(sa.insert(Employee), new)
    changed = [
        {"id": e.existing_id, "position_id": positions[e.key]} | e.values for e in plan.changed
    ]
    if changed:
        db.session.execute(sa.update(Employee), changed)


def reassign_open_appraisals(
    actor: Account,
    moved_to: dict[int, int],
    today: date | None = None,
    *,
    skip: set[int] = frozenset(),
) -> Reassignment:
    """Give every open appraisal whose atasan changed its new appraiser (mutasi, new Plt, ...).

    The atasan of every appraisee is found in memory; only the appraisals whose
    atasan differs go through `reassign_appraiser`, which moves their open tasks and
    writes the audit event. Appraisals of employees who moved to another OPD follow them.
    Only an employee's latest SKP segment follows the reporting line: an earlier one,
    closed by a move, stays with the atasan of the months it covers; so do the
    employees in `skip`, whose new segments were just opened with their new atasan.
    """
    today = today or date.today()
    lines = ReportingLines(today)
    finals = {
        name: {s for s, state in spec.states.items() if state.final}
        for name, spec in engine().specs.items()
    }
    rows = db.session.execute(
        sa.select(
            Appraisal.id,
            Appraisal.employee_id,
            Appraisal.appraiser_id,
            Appraisal.appraiser_acting,
            Appraisal.workflow,
            Appraisal.state,
            Appraisal.opd_id,
        )
        .join(Period, Period.id == Appraisal.period_id)
        # The latest segment is the one that still runs to the period's end.
        .where(Period.status == "open", Appraisal.end_date == Period.end_date)
    ).all()
    result = Reassignment()
    stale: list[int] = []
    for row in rows:
        if row.state in finals.get(row.workflow, ()) or row.employee_id not in lines.position_of:
            continue
        if row.employee_id in skip:
            continue
        atasan = lines.atasan(row.employee_id, lines.position_of[row.employee_id])
        current = (row.appraiser_id, row.appraiser_acting)
        if atasan is None or current != (atasan.employee_id, atasan.acting):
            stale.append(row.id)
        new_opd = moved_to.get(row.employee_id)
        if new_opd is not None and new_opd != row.opd_id:
            db.session.execute(
                sa.update(Appraisal).where(Appraisal.id == row.id).values(opd_id=new_opd)
            )
            result.opd_moved += 1
    for appraisal in db.session.scalars(sa.select(Appraisal).where(Appraisal.id.in_(stale))):
        try:
            if reassign_appraiser(appraisal, actor, seen_version=appraisal.version):
                result.reassigned += 1
        except NoAppraiser:
            result.without_atasan += 1
    return result
