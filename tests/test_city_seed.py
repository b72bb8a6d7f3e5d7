"""The generated city (`flask seed-demo --employees N`): size, NIPs, full reporting lines."""

from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.models import Account, Appraisal, Employee, Opd, Position
from app.org.nip import parse_nip
from app.org.reporting import atasan_of
from app.periods.structure import ReportingLines
from app.seed.city import seed_city
from app.seed.demo import seed_demo


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_city_has_the_size_asked_for_in_about_45_opd(app):
    seed_demo("demo-sandi-1")
    result = seed_city(2000, "demo-sandi-1")
    assert _count(Employee) == 2000
    assert 40 <= _count(Opd) <= 50 and result.opds == _count(Opd) - 6
    assert _count(Account) == _count(Employee)
    nips = db.session.scalars(sa.select(Employee.nip)).all()
    assert len(set(nips)) == len(nips)
    for nip in nips:
        parse_nip(nip)
    emails = db.session.scalars(sa.select(Employee.email)).all()
    assert len(set(emails)) == len(emails)
    kinds = set(db.session.scalars(sa.select(Position.kind)))
    assert {"jpt", "administrator", "pengawas", "pelaksana", "fungsional"} <= kinds


def test_every_employee_but_the_wali_kota_has_an_appraiser(app):
    seed_demo("demo-sandi-1")
    seed_city(1200, "demo-sandi-1")
    today = date.today()
    lines = ReportingLines(today)
    employees = db.session.scalars(sa.select(Employee).where(Employee.active.is_(True))).all()
    without = [e for e in employees if lines.atasan(e.id, e.position_id) is None]
    assert [e.position.kind for e in without] == ["kepala_daerah"]
    # Every generated OPD head (a JPT) is appraised by the wali kota; a sample agrees
    # with atasan_of.
    walikota = without[0]
    heads = db.session.scalars(
        sa.select(Employee)
        .join(Position, Position.id == Employee.position_id)
        .join(Opd, Opd.id == Position.opd_id)
        .where(Opd.code == "DISHUB", Position.kind == "jpt")
    ).all()
    assert [atasan_of(h, today).employee.id for h in heads] == [walikota.id]
    for employee in employees[::97]:
        holder = atasan_of(employee, today)
        found = lines.atasan(employee.id, employee.position_id)
        assert (found.employee_id if found else None) == (holder.employee.id if holder else None)
    # Four levels below the head: kepala > kabid > kasi > staff.
    staff = db.session.scalars(
        sa.select(Employee)
        .join(Position, Position.id == Employee.position_id)
        .join(Opd, Opd.id == Position.opd_id)
        .where(Opd.code == "DISHUB", Position.kind == "fungsional")
    ).first()
    chain = []
    position = staff.position
    while position is not None:
        chain.append(position.kind)
        position = position.parent
    assert chain == ["fungsional", "pengawas", "administrator", "jpt", "jpt"]


def test_seeding_the_city_again_adds_nothing(app):
    seed_demo("demo-sandi-1")
    seed_city(900, "demo-sandi-1")
    before = (_count(Opd), _count(Position), _count(Employee))
    assert seed_city(900, "demo-sandi-1").employees == 0
    assert (_count(Opd), _count(Position), _count(Employee)) == before


def test_seed_demo_with_employees_generates_the_city_and_opens_its_appraisals(app):
    result = app.test_cli_runner().invoke(
        args=["seed-demo", "--password", "demo-sandi-1", "--employees", "800"]
    )
    assert result.exit_code == 0, result.output
    assert "City: " in result.output and "appraisals opened" in result.output
    assert _count(Employee) == 800
    # Everyone but the Sekda (appraised by the Wali Kota) has this year's SKP.
    assert _count(Appraisal) == 799


def test_seed_demo_without_the_option_generates_no_city(app):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--password", "demo-sandi-1"])
    assert result.exit_code == 0, result.output
    assert "City: " not in result.output
    assert _count(Opd) == 6
