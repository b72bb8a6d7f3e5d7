"""Check a roster row by row and work out what it would change, without writing anything.

The result, a RosterPlan, is both the dry-run report (problems by line and
column; new, changed, moved and deactivated employees; new units and positions)
and what `app.roster.apply` writes, once there is no problem left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import Appraisal, Employee, Opd, Period, Position, Unit
from app.models.org import EMPLOYEE_STATUSES, POSITION_KINDS
from app.org.nip import NipError, compact_nip, parse_nip
from app.org.reporting import MAX_DEPTH
from app.roster.parsing import Row

# "[SETDA] Sekretaris Daerah": a parent position in another OPD.
OTHER_OPD = re.compile(r"^\[\s*([^\]]+?)\s*\]\s*(.+)$")
LIMITS = {"unit": 200, "position": 200, "name": 200, "pangkat_golongan": 60, "email": 254}

# A position is known by its OPD, unit name ("" for none) and name.
PositionKey = tuple[int, str, str]


@dataclass
class Problem:
    line: int | None
    column: str | None
    message: str


@dataclass
class PlannedPosition:
    key: PositionKey
    kind: str
    line: int
    parent_ref: str
    parent: PositionKey | None = None
    existing_id: int | None = None
    # The parent's id when the database already has it.
    parent_existing_id: int | None = None


@dataclass
class PlannedEmployee:
    line: int
    nip: str
    values: dict
    key: PositionKey
    existing_id: int | None = None
    changed: list[str] = field(default_factory=list)
    open_appraisals: int = 0


@dataclass
class RosterPlan:
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    opd_ids: set[int] = field(default_factory=set)
    positions: dict[PositionKey, PlannedPosition] = field(default_factory=dict)
    employees: list[PlannedEmployee] = field(default_factory=list)
    # Deactivated only for the OPDs the admin confirms the file lists completely
    # (`confirm_complete`); until then `deactivated` is empty and these are candidates.
    deactivated: list[tuple[int, str, str]] = field(default_factory=list)
    not_listed: dict[int, list[tuple[int, str, str]]] = field(default_factory=dict)
    examples: int = 0
    new_units: list[tuple[int, str]] = field(default_factory=list)
    changed_positions: list[PlannedPosition] = field(default_factory=list)
    opd_codes: dict[int, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def confirm_complete(self, opd_ids) -> None:
        """Deactivate those not listed, in the OPDs whose roster the admin says is complete."""
        self.deactivated = [
            person for opd_id in sorted(set(opd_ids)) for person in self.not_listed.get(opd_id, [])
        ]

    @property
    def new(self) -> list[PlannedEmployee]:
        return [e for e in self.employees if e.existing_id is None]

    @property
    def changed(self) -> list[PlannedEmployee]:
        return [e for e in self.employees if e.existing_id is not None and e.changed]

    @property
    def moved(self) -> list[PlannedEmployee]:
        return [e for e in self.changed if "position_id" in e.changed]

    @property
    def new_positions(self) -> list[PlannedPosition]:
        return [p for p in self.positions.values() if p.existing_id is None]

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "new": len(self.new),
            "changed": len(self.changed),
            "moved": len(self.moved),
            "deactivated": len(self.deactivated),
            "not_listed": sum(len(people) for people in self.not_listed.values()),
            "examples": self.examples,
            "new_units": len(self.new_units),
            "new_positions": len(self.new_positions),
            "changed_positions": len(self.changed_positions),
        }


def _clean(value: str | None) -> str:
    return " ".join((value or "").split())


class _Organisation:
    """What the database holds now, read in a few queries."""

    def __init__(self):
        self.opds = {
            code.upper(): oid for oid, code in db.session.execute(sa.select(Opd.id, Opd.code))
        }
        self.units: dict[tuple[int, str], int] = {}
        unit_names: dict[int, str] = {}
        for uid, opd_id, name in db.session.execute(
            sa.select(Unit.id, Unit.opd_id, Unit.name).order_by(Unit.id)
        ):
            self.units.setdefault((opd_id, _clean(name)), uid)
            unit_names[uid] = _clean(name)
        self.positions: dict[PositionKey, tuple[int, str, int | None]] = {}
        self.key_of: dict[int, PositionKey] = {}
        for pid, opd_id, unit_id, name, kind, parent_id in db.session.execute(
            sa.select(
                Position.id, Position.opd_id, Position.unit_id, Position.name, Position.kind,
                Position.parent_id,
            ).order_by(Position.id)
        ):  # fmt: skip
            key = (opd_id, unit_names.get(unit_id, ""), _clean(name))
            self.positions.setdefault(key, (pid, kind, parent_id))
            self.key_of[pid] = key
        self.employees = {
            row.nip: row
            for row in db.session.execute(
                sa.select(
                    Employee.id, Employee.nip, Employee.name, Employee.pangkat_golongan,
                    Employee.status, Employee.email, Employee.position_id, Employee.active,
                )
            )
        }  # fmt: skip
        self.email_owner = {
            row.email.lower(): row.nip for row in self.employees.values() if row.email
        }


def check_roster(rows: list[Row]) -> RosterPlan:
    """Check every row and plan the changes; writes nothing."""
    org = _Organisation()
    examples = [row for row in rows if row.example]
    rows = [row for row in rows if not row.example]
    plan = RosterPlan(rows=len(rows), examples=len(examples))
    if not rows:
        plan.problems.append(
            Problem(None, None, str(_l("The file holds only the template's example rows.")))
        )
    plan.opd_codes = {oid: code for code, oid in org.opds.items()}
    seen_nips: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    for row in rows:
        _check_row(row, org, plan, seen_nips, seen_emails)
    _resolve_parents(plan, org)
    for employee in plan.employees:
        _diff_employee(employee, plan, org)
    _plan_deactivations(plan, org)
    _count_open_appraisals(plan)
    plan.problems.sort(key=lambda p: (p.line or 0, p.column or ""))
    return plan


def _check_row(row, org, plan, seen_nips, seen_emails) -> None:
    def problem(column, message):
        plan.problems.append(Problem(row.line, column, str(message)))

    for column in row.formula_columns:
        problem(
            column,
            _l("Formulas are not accepted: the cell starts with “%(c)s”.", c=row.cells[column][0]),
        )
    if row.formula_columns:
        return
    cells = {key: _clean(row.cells.get(key)) for key in row.cells}
    for column, limit in LIMITS.items():
        if len(cells.get(column, "")) > limit:
            problem(column, _l("Too long: at most %(n)d characters.", n=limit))
    opd_id = org.opds.get(cells.get("opd", "").upper())
    if not cells.get("opd"):
        problem("opd", _l("Enter the OPD code."))
    elif opd_id is None:
        problem("opd", _l("No OPD has the code “%(code)s”.", code=cells["opd"]))
    else:
        plan.opd_ids.add(opd_id)
    if not cells.get("position"):
        problem("position", _l("Enter the position."))
    kind = cells.get("position_kind", "").lower()
    if kind not in POSITION_KINDS:
        problem("position_kind", _l("Use one of: %(kinds)s.", kinds=", ".join(POSITION_KINDS)))
    nip = compact_nip(cells.get("nip"))
    if row.numeric_nip:
        problem("nip", _l("Enter the NIP as text: a spreadsheet rounds an 18-digit number."))
    else:
        try:
            parse_nip(nip)
        except NipError as error:
            problem("nip", error)
        else:
            if nip in seen_nips:
                problem("nip", _l("This NIP is also on line %(line)d.", line=seen_nips[nip]))
            seen_nips.setdefault(nip, row.line)
    if not cells.get("name"):
        problem("name", _l("Enter the name."))
    status = cells.get("status", "").upper()
    if status not in EMPLOYEE_STATUSES:
        problem("status", _l("Use PNS or PPPK."))
    email = cells.get("email", "").lower() or None
    if email:
        try:
            # Syntax only: no DNS look-up per row. Reserved test domains pass, like the
            # rest of the app's addresses in tests (name@example.test).
            validate_email(email, check_deliverability=False, test_environment=True)
        except EmailNotValidError:
            problem("email", _l("Enter a valid email address."))
        else:
            owner = org.email_owner.get(email)
            if email in seen_emails:
                problem(
                    "email", _l("This email is also on line %(line)d.", line=seen_emails[email])
                )
            elif owner is not None and owner != nip:
                problem(
                    "email", _l("This email belongs to another employee (NIP %(nip)s).", nip=owner)
                )
            seen_emails.setdefault(email, row.line)
    if opd_id is None or not cells.get("position") or kind not in POSITION_KINDS:
        return
    key = (opd_id, cells.get("unit", ""), cells["position"])
    known = plan.positions.get(key)
    if known is None:
        existing = org.positions.get(key)
        plan.positions[key] = PlannedPosition(
            key,
            kind,
            row.line,
            cells.get("parent_position", ""),
            existing_id=existing and existing[0],
        )
    elif (known.kind, known.parent_ref) != (kind, cells.get("parent_position", "")):
        problem(
            "position_kind" if known.kind != kind else "parent_position",
            _l("Line %(line)d gives this position another kind or parent.", line=known.line),
        )
    values = {
        "name": cells.get("name", ""),
        "pangkat_golongan": cells.get("pangkat_golongan") or None,
        "status": status,
        "email": email,
        "active": True,
    }
    plan.employees.append(PlannedEmployee(row.line, nip, values, key))


def _resolve_parents(plan: RosterPlan, org: _Organisation) -> None:
    """Find each parent position by name (in the file or the database); refuse loops."""
    by_name: dict[tuple[int, str], set[PositionKey]] = {}
    for key in [*org.positions, *plan.positions]:
        by_name.setdefault((key[0], key[2]), set()).add(key)
    for planned in plan.positions.values():
        ref = planned.parent_ref
        if not ref:
            continue
        opd_id, name = planned.key[0], ref
        if match := OTHER_OPD.match(ref):
            opd_id, name = org.opds.get(match.group(1).upper()), _clean(match.group(2))
            if opd_id is None:
                message = _l("No OPD has the code “%(code)s”.", code=match.group(1))
                plan.problems.append(Problem(planned.line, "parent_position", str(message)))
                continue
        found = by_name.get((opd_id, name), set())
        if len(found) != 1:
            message = (
                _l("No position “%(name)s” in this OPD (or the file).", name=name)
                if not found
                else _l("Several positions are called “%(name)s”; rename one.", name=name)
            )
            plan.problems.append(Problem(planned.line, "parent_position", str(message)))
            continue
        planned.parent = next(iter(found))
        planned.parent_existing_id = org.positions.get(planned.parent, (None,))[0]
    for planned in plan.positions.values():
        seen, key = {planned.key}, planned.parent
        for _ in range(MAX_DEPTH):
            if key is None:
                break
            if key in seen:
                message = _l("This parent makes a loop in the reporting line.")
                plan.problems.append(Problem(planned.line, "parent_position", str(message)))
                break
            seen.add(key)
            key = _parent_of(key, plan, org)
        if planned.existing_id is not None:
            _id, old_kind, old_parent = org.positions[planned.key]
            if planned.parent is None:
                new_parent = None
            else:
                new_parent = org.positions.get(planned.parent, ("new",))[0]
            if old_kind != planned.kind or old_parent != new_parent:
                plan.changed_positions.append(planned)
    units = {(p.key[0], p.key[1]) for p in plan.positions.values() if p.key[1]}
    plan.new_units = sorted(u for u in units if u not in org.units)


def _parent_of(key: PositionKey, plan: RosterPlan, org: _Organisation) -> PositionKey | None:
    if key in plan.positions:
        return plan.positions[key].parent
    parent_id = org.positions[key][2] if key in org.positions else None
    return org.key_of.get(parent_id) if parent_id else None


def _diff_employee(employee: PlannedEmployee, plan: RosterPlan, org: _Organisation) -> None:
    current = org.employees.get(employee.nip)
    if current is None:
        return
    employee.existing_id = current.id
    position = plan.positions[employee.key]
    new_position = position.existing_id
    if new_position is None or new_position != current.position_id:
        employee.changed.append("position_id")
    for name in ("name", "pangkat_golongan", "status", "email", "active"):
        old = getattr(current, name)
        if name == "email":
            old = old.lower() if old else None
        if employee.values[name] != old:
            employee.changed.append(name)


def _plan_deactivations(plan: RosterPlan, org: _Organisation) -> None:
    """Active employees of the file's OPDs whom the file does not list, by OPD.

    A file may hold part of an OPD (a few new staff): nobody is deactivated unless
    the admin confirms, per OPD, that the file is its complete roster.
    """
    listed = {e.nip for e in plan.employees}
    opd_of = {pid: key[0] for key, (pid, _k, _p) in org.positions.items()}
    for row in sorted(org.employees.values(), key=lambda r: r.name):
        opd_id = opd_of.get(row.position_id)
        if row.active and row.nip not in listed and opd_id in plan.opd_ids:
            plan.not_listed.setdefault(opd_id, []).append((row.id, row.nip, row.name))


def _count_open_appraisals(plan: RosterPlan) -> None:
    """How many appraisals in open periods each moved employee has (shown in the report)."""
    moved = {e.existing_id: e for e in plan.moved}
    if not moved:
        return
    counts = db.session.execute(
        sa.select(Appraisal.employee_id, sa.func.count())
        .join(Period, Period.id == Appraisal.period_id)
        .where(Period.status == "open", Appraisal.employee_id.in_(list(moved)))
        .group_by(Appraisal.employee_id)
    ).all()
    for employee_id, count in counts:
        moved[employee_id].open_appraisals = count
