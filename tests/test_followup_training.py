"""Training and sosialisasi events: created by admin BKD, attendance marked or imported, counted."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.followup.development.hours import yearly_hours
from app.followup.training.services import sosialisasi_by_opd
from app.models.development import TrainingAttendance, TrainingEvent
from tests import factories
from tests.test_query_budget import _statements
from tests.workflow_helpers import appraisal_in_state

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
YEAR = date.today().year


@pytest.fixture
def certificates(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", tmp_path / "evidence")
    return tmp_path / "evidence" / "certificates"


def _signed_in(new_browser, account):
    """A browser signed in as the account, reading English (the messages asserted below)."""
    account.locale = "en"
    db.session.commit()
    browser = new_browser()
    assert browser.login(account.employee.nip).status_code == 302
    return browser


def _event(team, kind="sosialisasi", jp=4) -> TrainingEvent:
    event = TrainingEvent(
        kind=kind,
        title="Sosialisasi pengukuran kinerja",
        organiser="BKPSDM",
        start_date=date(YEAR, 1, 2),
        end_date=date(YEAR, 1, 2),
        jp=Decimal(jp),
        created_by_id=team["admin"].id,
        opds=[team["opd"]],
    )
    db.session.add(event)
    db.session.commit()
    return event


def _attendees(event_id: int) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(TrainingAttendance.employee_id).where(TrainingAttendance.event_id == event_id)
        )
    )


def test_bkd_creates_an_event_and_marks_an_attendee_by_nip(team, new_browser):
    admin = _signed_in(new_browser, team["admin"])
    answer = admin.post(
        "/pelatihan/baru",
        {
            "kind": "pelatihan",
            "title": "Pelatihan penyusunan SKP",
            "organiser": "BKPSDM Kota Medan",
            "start_date": f"{YEAR}-03-02",
            "end_date": f"{YEAR}-03-03",
            "jp": "16",
            "opds": str(team["opd"].id),
        },
        token_from="/pelatihan/baru",
    )
    assert answer.status_code == 303
    event = db.session.scalars(sa.select(TrainingEvent)).one()
    assert (event.kind, event.jp, [o.code for o in event.opds]) == ("pelatihan", 16, ["DINKES"])
    base = f"/pelatihan/{event.id}"
    nip = team["staf"].employee.nip
    assert admin.post(f"{base}/hadir", {"one-nip": nip}, token_from=base).status_code == 303
    unknown = admin.post(f"{base}/hadir", {"one-nip": "199901012020011999"}, token_from=base)
    assert unknown.status_code == 422
    assert "No active employee has this NIP." in unknown.get_data(as_text=True)
    assert _attendees(event.id) == {team["staf"].employee_id}
    # The event's end before its start is refused on its field.
    bad = admin.post(
        "/pelatihan/baru",
        {
            "kind": "pelatihan",
            "title": "X",
            "organiser": "Y",
            "start_date": f"{YEAR}-03-02",
            "end_date": f"{YEAR}-03-01",
            "jp": "2",
        },
        token_from="/pelatihan/baru",
    )
    assert bad.status_code == 422 and "The last day is before the first." in bad.get_data(
        as_text=True
    )


def _xlsx(rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_import_dry_run_changes_nothing_and_apply_marks_who_matched(team, new_browser, fmt):
    event = _event(team)
    admin = _signed_in(new_browser, team["admin"])
    staf, staf2 = team["staf"].employee.nip, team["staf2"].employee.nip
    rows = [["NIP"], [staf], [staf2], ["199901012020011999"], ["bukan nip"], [staf]]
    data = "\n".join(r[0] for r in rows).encode() if fmt == "csv" else _xlsx(rows)
    base = f"/pelatihan/{event.id}"
    dry = admin.post(
        f"{base}/impor",
        {"list-file": (io.BytesIO(data), f"hadir.{fmt}")},
        token_from=base,
        content_type="multipart/form-data",
    )
    page = dry.get_data(as_text=True)
    assert dry.status_code == 200 and "2 to add" in page and "2 unknown" in page
    assert "199901012020011999" in page and "bukannip" in page
    assert _attendees(event.id) == set()
    applied = admin.post(
        f"{base}/impor/terapkan", {"apply-nips": f"{staf},{staf2}"}, token_from=base
    )
    assert applied.status_code == 303
    assert _attendees(event.id) == {team["staf"].employee_id, team["staf2"].employee_id}
    # A second import of the same list adds nobody.
    again = admin.post(
        f"{base}/impor",
        {"list-file": (io.BytesIO(data), f"hadir.{fmt}")},
        token_from=base,
        content_type="multipart/form-data",
    )
    assert "0 to add" in again.get_data(as_text=True) and "2 already marked" in again.get_data(
        as_text=True
    )


def test_a_list_that_is_not_csv_or_xlsx_is_refused(team, new_browser):
    event = _event(team)
    admin = _signed_in(new_browser, team["admin"])
    base = f"/pelatihan/{event.id}"
    refused = admin.post(
        f"{base}/impor",
        {"list-file": (io.BytesIO(PDF), "hadir.pdf")},
        token_from=base,
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422 and "Send a CSV or XLSX file." in refused.get_data(
        as_text=True
    )


def test_attendance_counts_in_the_hours_and_the_sosialisasi_table(team):
    event = _event(team, jp=6)
    period = factories.make_period(YEAR)
    appraisal_in_state(team, period, "self_assessment", "staf")
    appraisal_in_state(team, period, "draft", "staf2")
    db.session.add(
        TrainingAttendance(
            event_id=event.id, employee_id=team["staf"].employee_id, marked_by_id=team["admin"].id
        )
    )
    db.session.commit()
    assert yearly_hours(team["staf"].employee_id, YEAR) == Decimal(6)
    assert yearly_hours(team["staf"].employee_id, YEAR + 1) == Decimal(0)
    rows = {row.opd_name: row for row in sosialisasi_by_opd(YEAR, period)}
    dinkes = rows["Dinas Kesehatan"]
    # Hand count: 5 active employees, 1 attended (20.0 %). 3 SKP (the kasi's, whose RHK
    # the staff's plans cascade from, and staf's at self-assessment; staf2's a draft):
    # 2 past drafting, 66.7 %.
    assert (dinkes.employees, dinkes.attended, dinkes.attendance_share) == (5, 1, Decimal("20.0"))
    assert (dinkes.skp_total, dinkes.skp_past_draft, dinkes.completion) == (3, 2, Decimal("66.7"))
    bkd = rows["Badan Kepegawaian dan Pengembangan SDM"]
    assert (bkd.attended, bkd.completion) == (0, None)


def test_certificates_are_checked_stored_and_served_only_to_the_attendee_and_bkd(
    team, new_browser, certificates
):
    event = _event(team)
    attendance = TrainingAttendance(
        event_id=event.id, employee_id=team["staf"].employee_id, marked_by_id=team["admin"].id
    )
    db.session.add(attendance)
    db.session.commit()
    admin = _signed_in(new_browser, team["admin"])
    base = f"/pelatihan/{event.id}"
    url = f"{base}/peserta/{attendance.id}/sertifikat"
    field = f"cert{attendance.id}-certificate"
    bad = admin.post(
        url,
        {field: (io.BytesIO(b"MZ not a certificate"), "s.exe")},
        token_from=base,
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422
    assert "Only PDF, JPEG and PNG certificates are accepted." in bad.get_data(as_text=True)
    assert not certificates.exists() or not any(certificates.iterdir())
    good = admin.post(
        url,
        {field: (io.BytesIO(PDF), "s.pdf")},
        token_from=base,
        content_type="multipart/form-data",
    )
    assert good.status_code == 303 and len(list(certificates.iterdir())) == 1
    download = _signed_in(new_browser, team["staf"]).get(url)
    assert download.data == PDF
    download.close()
    assert _signed_in(new_browser, team["staf2"]).get(url).status_code == 404


def test_only_admin_bkd_manages_events_and_only_bkd_sees_the_sosialisasi_table(team, new_browser):
    event = _event(team)
    for key in ("staf", "kasi", "kadis", "verifikator"):
        browser = _signed_in(new_browser, team[key])
        assert browser.get("/pelatihan").status_code == 403, key
        assert browser.get(f"/pelatihan/{event.id}").status_code == 403, key
    assert _signed_in(new_browser, team["kadis"]).get("/pelatihan/sosialisasi").status_code == 403
    assert (
        _signed_in(new_browser, team["verifikator"]).get("/pelatihan/sosialisasi").status_code
        == 200
    )


def test_the_event_pages_stay_within_the_query_budget_as_attendance_grows(app, team):
    event = _event(team)
    nip = team["admin"].employee.nip
    paths = ["/pelatihan", f"/pelatihan/{event.id}", "/pelatihan/sosialisasi"]
    before = {path: _statements(app, nip, path) for path in paths}
    for key in ("staf", "staf2", "kasi", "kabid"):
        db.session.add(
            TrainingAttendance(
                event_id=event.id, employee_id=team[key].employee_id, marked_by_id=team["admin"].id
            )
        )
    _event(team, kind="pelatihan")
    after = {path: _statements(app, nip, path) for path in paths}
    for path, (status, count) in before.items():
        assert status == 200 and count <= 10, (path, count)
        assert after[path] == (status, count), path
