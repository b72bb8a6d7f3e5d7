"""The public form's pengaduan opens its case; a vacant unit head passes it to the kepala OPD;
the public unit page counts complaints received and answered."""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.extensions import db
from app.models import Complaint, OutboxMessage, ServiceKind, SkmResponse, Task
from tests import factories
from tests.skm_helpers import fill


def _unit(team: dict, head_key: str | None = "kasi"):
    from app.models import ServiceUnit

    unit = ServiceUnit(
        opd_id=team["opd"].id,
        code="PKM9AB",
        name="UPT Puskesmas Padang Bulan",
        head_position_id=team[head_key].employee.position_id if head_key else None,
    )
    unit.services = [ServiceKind(name="Pemeriksaan umum")]
    db.session.add(unit)
    db.session.commit()
    return unit


def _open_task(complaint: Complaint) -> Task:
    return db.session.scalars(
        sa.select(Task).where(Task.complaint_id == complaint.id, Task.closed_at.is_(None))
    ).one()


def test_a_complaint_from_the_public_form_opens_its_case_for_the_unit_head(app, client):
    team = factories.make_team()
    unit = _unit(team)
    response = fill(
        client, unit, is_complaint="y", comment="Loket tutup jam 11.", contact_email="warga@x.id"
    )
    assert response.status_code == 303
    db.session.expire_all()
    stored = db.session.scalars(sa.select(SkmResponse)).one()
    complaint = db.session.scalars(sa.select(Complaint)).one()
    assert (complaint.response_id, complaint.state) == (stored.id, "received")
    task = _open_task(complaint)
    assert (task.role, task.assignee_id) == ("unit_head", team["kasi"].employee_id)
    mails = db.session.scalars(sa.select(OutboxMessage.recipient)).all()
    assert team["kasi"].employee.email in mails


def test_a_plain_answer_opens_no_case(app, client):
    unit = _unit(factories.make_team())
    assert fill(client, unit, comment="Bagus.").status_code == 303
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Complaint)) == 0


def test_a_unit_without_a_head_passes_its_complaints_to_the_kepala_opd(app, client):
    team = factories.make_team()
    unit = _unit(team, head_key=None)
    assert fill(client, unit, is_complaint="y", comment="Tidak ada petugas.").status_code == 303
    db.session.expire_all()
    task = _open_task(db.session.scalars(sa.select(Complaint)).one())
    assert (task.role, task.assignee_id) == ("unit_head", team["kadis"].employee_id)


def test_the_public_unit_page_counts_complaints_received_and_answered(app, client):
    team = factories.make_team()
    unit = _unit(team)
    for comment in ("Antrean lama.", "Obat habis."):
        assert fill(client, unit, is_complaint="y", comment=comment).status_code == 303
    page = client.get(f"/ikm/{unit.code}").get_data(as_text=True)
    assert "Pengaduan tahun" in page
    received = page.split("Diterima</dt>")[1].split("</dd>")[0]
    answered = page.split("Dijawab</dt>")[1].split("</dd>")[0]
    assert received.endswith(">2") and answered.endswith(">0")


def _inbox_count(browser) -> int:
    """The navigation's inbox badge on Beranda (0 when there is none)."""
    found = re.search(r'data-inbox-count="(\d+)"', browser.get("/").get_data(as_text=True))
    return int(found.group(1)) if found else 0


def _counts_around_a_complaint(client, new_browser, nip: str, unit) -> tuple[int, int, object]:
    """The inbox badge of `nip` before and after the public files a complaint at `unit`."""
    browser = new_browser()
    browser.login(nip)
    before = _inbox_count(browser)
    assert fill(client, unit, is_complaint="y", comment="Loket tutup.").status_code == 303
    # The navigation reads the count with the session on every page: no stale figure.
    return before, _inbox_count(browser), browser


def test_the_unit_heads_inbox_count_includes_the_complaint(app, client, new_browser):
    team = factories.make_team()
    unit = _unit(team)
    before, after, _ = _counts_around_a_complaint(
        client, new_browser, team["kasi"].employee.nip, unit
    )
    assert after == before + 1


def test_someone_elses_complaint_is_not_in_my_inbox_count(app, client, new_browser):
    """The navigation's count of case tasks is the user's own, not the city's."""
    team = factories.make_team()
    unit = _unit(team)
    before, after, staff = _counts_around_a_complaint(
        client, new_browser, team["staf"].employee.nip, unit
    )
    assert after == before
    # And the inbox itself lists no complaint for them.
    assert "Loket tutup." not in staff.get("/inbox").get_data(as_text=True)
