"""Load the demo organisation (`flask seed-demo`): idempotent, flushes but never commits.

Rows are matched by natural keys (OPD code; unit name in its OPD; position name
in its OPD and unit; NIP; one account per employee) and only what is missing is
added. Existing rows are never changed, so a second run neither duplicates data
nor resets a password.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa

from app.auth.passwords import hash_password
from app.extensions import db
from app.models import (
    Account,
    ActingAssignment,
    Employee,
    Opd,
    PengelolaKinerja,
    Position,
    RoleGrant,
    Unit,
)
from app.models.org import KEPALA_DAERAH as KEPALA_DAERAH_KIND
from app.seed.demo_data import (
    ACTING,
    EMAIL_DOMAIN,
    EMPLOYEES,
    KEPALA_DAERAH,
    LOGINS,
    OPDS,
    PANGKAT,
    PENGELOLA_KINERJA,
    POSITION_LEVELS,
    POSITIONS,
    ROLE_GRANTS,
    UNITS,
)

# Fixed seed: every run derives the same NIPs, emails and phone numbers.
RANDOM_SEED = 2026
PHONE_PREFIXES = ("0811", "0812", "0813", "0821", "0822", "0852", "0853")

Model = TypeVar("Model", bound=db.Model)


@dataclass(frozen=True)
class Person:
    """One demo employee, with the fields derived from the EMPLOYEES table."""

    position: str  # "OPD/key"
    name: str
    nip: str
    pangkat_golongan: str
    status: str
    email: str
    phone: str


def seed_demo(password: str) -> dict[str, tuple[str, str]]:
    """Load the demo organisation and return the demo logins as {role: (nip, name)}.

    New accounts get `password`; accounts that already exist keep theirs.
    Needs an app context. Flushes only: the caller commits.
    """
    opds = {
        code: _get_or_add(Opd, {"code": code}, name=name, kind=kind) for code, name, kind in OPDS
    }
    positions = _ensure_positions(opds, _ensure_units(opds))
    employees = _ensure_employees(build_people(), positions)
    walikota = _ensure_kepala_daerah(opds)
    employees[walikota.name] = walikota
    _ensure_accounts(list(employees.values()), password)
    _ensure_acting(positions, employees)
    _ensure_operators(opds, employees)
    db.session.flush()
    return {role: (employees[name].nip, employees[name].name) for role, name in LOGINS.items()}


def build_people() -> list[Person]:
    """The EMPLOYEES table with NIP, pangkat, status, email and phone derived.

    Pure and deterministic: the whole table is drawn in the same order every
    time, so an employee already in the database gets the same NIP again.
    A NIP is birth date, appointment year and month, sex (1/2) and a sequence;
    the running sequence number keeps every NIP unique.
    """
    rng = random.Random(RANDOM_SEED)
    people: list[Person] = []
    emails: set[str] = set()
    rows = [(opd, row) for opd, opd_rows in EMPLOYEES.items() for row in opd_rows]
    for sequence, (opd, (key, name, sex, golongan, born, appointed)) in enumerate(rows, 1):
        birth = f"{born}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        appointment = f"{appointed}{rng.randint(1, 12):02d}"
        nip = f"{birth}{appointment}{'1' if sex == 'L' else '2'}{sequence:03d}"
        phone = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        email = f"{_unique(_email_local_part(name), emails)}@{EMAIL_DOMAIN}"
        if "/" in golongan:
            status, pangkat = "PNS", f"{PANGKAT[golongan]} ({golongan})"
        else:
            # PPPK have no pangkat, only a golongan in Roman numerals.
            status, pangkat = "PPPK", f"PPPK Golongan {golongan}"
        people.append(Person(f"{opd}/{key}", name, nip, pangkat, status, email, phone))
    return people


def _email_local_part(name: str) -> str:
    """'dr. Siti Aminah Nasution, M.Kes.' -> 'siti.nasution': first and last name, ASCII."""
    words = name.split(",")[0].split()
    while len(words) > 1 and words[0].endswith("."):  # leading titles: dr., Ir., Hj., ...
        words.pop(0)
    first, last = (re.sub(r"[^a-z]", "", word.lower()) for word in (words[0], words[-1]))
    return first if first == last else f"{first}.{last}"


def _unique(local: str, taken: set[str]) -> str:
    """`local`, or `local2`, `local3`, ... if taken; records the one returned."""
    candidate, n = local, 1
    while candidate in taken:
        n += 1
        candidate = f"{local}{n}"
    taken.add(candidate)
    return candidate


def _get_or_add(model: type[Model], keys: dict[str, Any], **values: Any) -> Model:
    """The first row of `model` matching `keys` (None matches NULL), else a new one."""
    found = db.session.scalars(sa.select(model).filter_by(**keys).order_by(model.id)).first()
    if found is None:
        found = model(**keys, **values)
        db.session.add(found)
        db.session.flush()  # the rows that refer to it need its id
    return found


def _ensure_units(opds: dict[str, Opd]) -> dict[str, Unit]:
    """Units by "OPD/key"."""
    units: dict[str, Unit] = {}
    for opd, rows in UNITS.items():
        for key, name, parent in rows:
            units[f"{opd}/{key}"] = _get_or_add(
                Unit,
                {"opd_id": opds[opd].id, "name": name},
                parent_id=units[f"{opd}/{parent}"].id if parent else None,
            )
    return units


def _ensure_positions(opds: dict[str, Opd], units: dict[str, Unit]) -> dict[str, Position]:
    """Positions by "OPD/key"; a parent key without "/" is in the same OPD."""
    positions: dict[str, Position] = {}
    for opd, rows in POSITIONS.items():
        for key, unit, parent, name, kind in rows:
            keys = {
                "opd_id": opds[opd].id,
                "unit_id": units[f"{opd}/{unit}"].id if unit else None,
                "name": name,
            }
            if parent and "/" not in parent:
                parent = f"{opd}/{parent}"
            parent_id = positions[parent].id if parent else None
            level = POSITION_LEVELS.get(f"{opd}/{key}", "pratama" if kind == "jpt" else None)
            positions[f"{opd}/{key}"] = _get_or_add(
                Position, keys, parent_id=parent_id, kind=kind, level=level
            )
    return positions


def _ensure_kepala_daerah(opds: dict[str, Opd]) -> Employee:
    """The wali kota's position (outside the tree: the JPT rule names it) and its holder."""
    opd, position_name, name, identifier = KEPALA_DAERAH
    position = _get_or_add(
        Position, {"opd_id": opds[opd].id, "unit_id": None, "name": position_name},
        kind=KEPALA_DAERAH_KIND,
    )  # fmt: skip
    employee = db.session.scalar(sa.select(Employee).where(Employee.nip == identifier))
    if employee is None:
        employee = Employee(
            nip=identifier,
            name=name,
            email=f"walikota@{EMAIL_DOMAIN}",
            position_id=position.id,
            # The schema knows PNS and PPPK only; the position's kind says what they are.
            status="PNS",
        )
        db.session.add(employee)
        db.session.flush()
    return employee


def _ensure_operators(opds: dict[str, Opd], employees: dict[str, Employee]) -> None:
    """Appoint the demo's pengelola kinerja, as their kepala OPD would."""
    for opd, name in PENGELOLA_KINERJA.items():
        account = db.session.scalar(
            sa.select(Account).where(Account.employee_id == employees[name].id)
        )
        # The kepala OPD: the holder of the OPD's JPT position.
        head = db.session.scalar(
            sa.select(Account.id)
            .join(Employee, Employee.id == Account.employee_id)
            .join(Position, Position.id == Employee.position_id)
            .where(Position.opd_id == opds[opd].id, Position.kind == "jpt")
            .order_by(Position.id)
            .limit(1)
        )
        _get_or_add(
            PengelolaKinerja,
            {"opd_id": opds[opd].id, "account_id": account.id},
            appointed_by_id=head,
        )


def _ensure_employees(people: list[Person], positions: dict[str, Position]) -> dict[str, Employee]:
    """Employees by name; an employee whose NIP exists is left as it is."""
    taken_emails = set(
        db.session.scalars(sa.select(Employee.email).where(Employee.email.is_not(None)))
    )
    employees: dict[str, Employee] = {}
    for person in people:
        employee = db.session.scalar(sa.select(Employee).filter_by(nip=person.nip))
        if employee is None:
            employee = Employee(
                nip=person.nip,
                name=person.name,
                pangkat_golongan=person.pangkat_golongan,
                status=person.status,
                # Go without an email rather than clash with someone else's.
                email=None if person.email in taken_emails else person.email,
                phone=person.phone,
                position_id=positions[person.position].id,
            )
            db.session.add(employee)
        employees[person.name] = employee
    db.session.flush()
    return employees


def _ensure_accounts(employees: list[Employee], password: str) -> None:
    """An account for every demo employee without one; roles go to new accounts only."""
    ids = [employee.id for employee in employees]
    have_account = set(
        db.session.scalars(sa.select(Account.employee_id).where(Account.employee_id.in_(ids)))
    )
    missing = [employee for employee in employees if employee.id not in have_account]
    if not missing:
        return
    # Hash once and share the string: argon2 with production parameters takes a
    # noticeable time per hash, and every demo account has the same password anyway.
    # The hash carries its own salt and parameters, so each account verifies normally.
    password_hash = hash_password(password)
    for employee in missing:
        account = Account(employee_id=employee.id, password_hash=password_hash)
        account.role_grants = [RoleGrant(role=role) for role in ROLE_GRANTS.get(employee.name, ())]
        db.session.add(account)
    db.session.flush()


def _ensure_acting(positions: dict[str, Position], employees: dict[str, Employee]) -> None:
    """Add each acting assignment unless its position already has one."""
    for position_key, name, kind, start, end in ACTING:
        position = positions[position_key]
        exists = db.session.scalar(
            sa.select(ActingAssignment.id)
            .where(ActingAssignment.position_id == position.id)
            .limit(1)
        )
        if exists is None:
            db.session.add(
                ActingAssignment(
                    position_id=position.id,
                    employee_id=employees[name].id,
                    kind=kind,
                    start_date=start,
                    end_date=end,
                )
            )
