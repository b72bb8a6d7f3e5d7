"""`flask seed-demo`: a Medan-like organisation, idempotent, with working logins."""

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Account, ActingAssignment, Employee, Opd, Position, RoleGrant
from app.org.nip import parse_nip
from app.org.reporting import atasan_of

LOGIN_LINE = re.compile(r"^\s+(\w+)\s+NIP (\d{18})\s+(.+)$", re.M)


@pytest.fixture
def seeded(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo", "--password", "demo-sandi-1"])
    assert result.exit_code == 0, result.output
    logins = {role: nip for role, nip, _ in LOGIN_LINE.findall(result.output)}
    return runner, logins


def _counts():
    return {
        model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (Opd, Position, Employee, Account, RoleGrant, ActingAssignment)
    }


def test_seed_builds_a_medan_like_organisation(seeded):
    counts = _counts()
    assert counts["Opd"] >= 6
    assert counts["Employee"] >= 80
    assert counts["Account"] == counts["Employee"]
    codes = set(db.session.scalars(sa.select(Opd.code)))
    assert {"BKPSDM", "DINKES", "DISDIK", "DISDUKCAPIL", "SETDA"} <= codes
    assert db.session.scalar(sa.select(sa.func.count()).where(Opd.kind == "kecamatan")) >= 1
    kinds = set(db.session.scalars(sa.select(Position.kind)))
    assert kinds == {"jpt", "administrator", "pengawas", "pelaksana", "fungsional", "kepala_daerah"}
    for nip in db.session.scalars(sa.select(Employee.nip)):
        parse_nip(nip)


def test_seed_has_one_plt_and_one_vacant_position(seeded):
    acting = db.session.scalars(sa.select(ActingAssignment)).all()
    assert [a.kind for a in acting] == ["plt"]
    held = sa.select(Employee.position_id).where(Employee.position_id.is_not(None))
    vacant = db.session.scalars(
        sa.select(Position).where(
            Position.id.not_in(held), Position.id.not_in(sa.select(ActingAssignment.position_id))
        )
    ).all()
    assert vacant, "expected a vacant position without an acting holder"


def test_every_employee_but_the_wali_kota_has_an_atasan(seeded):
    walikota = set(
        db.session.scalars(sa.select(Position.id).where(Position.kind == "kepala_daerah"))
    )
    assert walikota
    for employee in db.session.scalars(sa.select(Employee)):
        found = atasan_of(employee)
        assert (found is None) == (employee.position_id in walikota), employee.name


def test_seed_is_idempotent(seeded):
    runner, logins = seeded
    before = _counts()
    hashes = dict(db.session.execute(sa.select(Account.id, Account.password_hash)).all())
    result = runner.invoke(args=["seed-demo", "--password", "lain-lagi-2"])
    assert result.exit_code == 0
    assert _counts() == before
    assert dict(db.session.execute(sa.select(Account.id, Account.password_hash)).all()) == hashes
    assert {role: nip for role, nip, _ in LOGIN_LINE.findall(result.output)} == logins


def test_printed_logins_work_and_have_their_roles(seeded, new_browser):
    _, logins = seeded
    assert set(logins) == {"pegawai", "atasan", "verifikator", "admin", "walikota", "pengelola"}
    expected_admin_access = {
        "pegawai": 403,
        "atasan": 403,
        "verifikator": 200,
        "admin": 200,
        "walikota": 403,
        "pengelola": 403,
    }
    for role, nip in logins.items():
        browser = new_browser()
        assert browser.login(nip, "demo-sandi-1").status_code == 302, role
        assert browser.get("/admin/employees").status_code == expected_admin_access[role]
    pegawai = db.session.scalars(sa.select(Employee).where(Employee.nip == logins["pegawai"])).one()
    assert atasan_of(pegawai).employee.nip == logins["atasan"]


def test_seed_opens_this_years_appraisals_so_every_login_finds_work(seeded):
    from app.models import Appraisal, Task

    runner, logins = seeded
    ids = {
        role: db.session.scalar(sa.select(Employee.id).where(Employee.nip == nip))
        for role, nip in logins.items()
    }

    def open_tasks(**where):
        query = sa.select(Task).where(Task.closed_at.is_(None))
        for column, value in where.items():
            query = query.where(getattr(Task, column) == value)
        return db.session.scalars(query).all()

    assert [t.state for t in open_tasks(assignee_id=ids["pegawai"])] == ["draft"]
    assert {t.state for t in open_tasks(assignee_id=ids["atasan"])} >= {
        "draft",  # their own SKP
        "plan_review",
        "supervisor_review",
    }
    assert open_tasks(role="verifikator_bkd", state="verification")
    assert open_tasks(assignee_id=ids["admin"])
    count = db.session.scalar(sa.select(sa.func.count(Appraisal.id)))
    assert count >= 80
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0
    assert db.session.scalar(sa.select(sa.func.count(Appraisal.id))) == count
