"""Roster import: template, dry run, all-or-nothing apply, mutasi, bad files."""

import csv
import io
import re
import zipfile

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from app.extensions import db
from app.models import AuditEvent, Employee, Position, RosterImport, Task, Unit
from app.roster.parsing import COLUMN_HEADERS, COLUMNS, read_roster
from tests.factories import make_nip, make_period, make_team
from tests.workflow_helpers import appraisal_in_state

TOKEN = re.compile(r'name="token"[^>]*value="([^"]+)"')


@pytest.fixture
def team(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "ROSTER_UPLOAD_DIR", tmp_path / "roster")
    team = make_team()
    team["admin"].locale = "en"
    return team


def person(account, position: str, parent: str, kind: str = "pelaksana", **changes) -> dict:
    employee = account.employee if hasattr(account, "employee") else account
    row = {
        "opd": "DINKES",
        "unit": "",
        "position": position,
        "position_kind": kind,
        "parent_position": parent,
        "nip": employee.nip,
        "name": employee.name,
        "pangkat_golongan": employee.pangkat_golongan or "",
        "status": employee.status,
        "email": employee.email or "",
    }
    return row | changes


def dinkes_rows(team) -> list[dict]:
    """The DINKES part of the team exactly as it is in the database."""
    kadis, kabid = "Kepala Dinas Kesehatan", "Kepala Bidang Pelayanan Kesehatan"
    kasi, staf = "Kepala Seksi Pelayanan Primer", "Pengadministrasi Perkantoran"
    return [
        person(team["kadis"], kadis, "", "jpt"),
        person(team["kabid"], kabid, kadis, "administrator"),
        person(team["kasi"], kasi, kabid, "pengawas"),
        person(team["staf"], staf, kasi),
        person(team["staf2"], staf, kasi),
    ]


def new_staff(team, **values) -> dict:
    """A new employee beside the staf."""
    return person(
        team["staf"], "Pengadministrasi Perkantoran", "Kepala Seksi Pelayanan Primer", **values
    )


def as_csv(rows: list[dict], columns=COLUMNS, delimiter=",") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=list(columns), delimiter=delimiter, extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def as_xlsx(rows: list[dict], columns=COLUMNS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(columns))
    for row in rows:
        sheet.append([row.get(c) for c in columns])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(browser, content: bytes, filename: str = "roster.csv"):
    return browser.post(
        "/admin/roster/",
        {"file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def apply(browser, report_html: str, complete_opds=None):
    """Apply the checked file; the unlisted staff of every OPD in the file are deactivated
    unless `complete_opds` names fewer (each OPD is confirmed on the report page)."""
    token = TOKEN.search(report_html)
    assert token, "the report offers no apply button"
    if complete_opds is None:
        complete_opds = [
            int(i) for i in re.findall(r'name="complete_opds" value="(\d+)"', report_html)
        ]
    return browser.post(
        "/admin/roster/apply", {"token": token.group(1), "complete_opds": complete_opds}
    )


def state() -> dict:
    """Everything an import may write."""
    employees = db.session.execute(
        sa.select(
            Employee.nip, Employee.name, Employee.email, Employee.position_id, Employee.active
        ).order_by(Employee.nip)
    ).all()
    counts = {
        m.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(m))
        for m in (Position, Unit, RosterImport, AuditEvent, Task)
    }
    return {"employees": employees, **counts}


def test_the_template_downloads_as_csv_and_xlsx(team, browser):
    browser.login(team["admin"].employee.nip)
    response = browser.get("/admin/roster/template.csv")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    header = response.get_data().decode("utf-8-sig").splitlines()[0]
    # The first row names the columns in Indonesian, never by their codes.
    assert header.split(",") == [COLUMN_HEADERS[c] for c in COLUMNS]
    workbook = load_workbook(io.BytesIO(browser.get("/admin/roster/template.xlsx").get_data()))
    sheet = workbook.active
    assert [c.value for c in sheet[1]] == [COLUMN_HEADERS[c] for c in COLUMNS]
    assert sheet.title == "Data pegawai"
    assert isinstance(sheet.cell(2, COLUMNS.index("nip") + 1).value, str)
    assert browser.get("/admin/roster/").status_code == 200


def test_a_dry_run_reports_the_changes_and_writes_nothing(team, browser):
    rows = dinkes_rows(team)
    rows[3]["name"] = "Dian Anggraini, S.Kom."  # changed
    del rows[4]  # staf2 is no longer listed: deactivated
    rows.append(new_staff(team, nip=make_nip(), name="Pegawai Baru", email="baru@example.test"))
    browser.login(team["admin"].employee.nip)
    before = state()
    response = upload(browser, as_csv(rows))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "New employees: 1" in page and "Changed employees: 1" in page
    assert "In the OPD of the file but not in the file: 1" in page
    assert team["staf2"].employee.nip in page and "Apply these changes" in page
    assert state() == before


def test_applying_a_checked_file_writes_every_change(team, browser):
    rows = dinkes_rows(team)
    rows[3]["name"] = "Dian Anggraini, S.Kom."
    del rows[4]
    new_nip = make_nip()
    rows.append(new_staff(team, nip=new_nip, name="Pegawai Baru", email="Baru@Example.test"))
    browser.login(team["admin"].employee.nip)
    response = apply(browser, upload(browser, as_csv(rows, delimiter=";")).get_data(as_text=True))
    assert response.status_code == 302
    db.session.expire_all()
    assert team["staf"].employee.name == "Dian Anggraini, S.Kom."
    assert team["staf2"].employee.active is False
    new = db.session.scalars(sa.select(Employee).where(Employee.nip == new_nip)).one()
    assert (new.email, new.position_id) == ("baru@example.test", team["staf"].employee.position_id)
    log = db.session.scalars(sa.select(RosterImport)).one()
    assert (log.rows, log.applied_by_id) == (5, team["admin"].id)
    assert log.counts_dict["new"] == 1 and log.counts_dict["deactivated"] == 1
    # The same token cannot be used twice: its file is gone.
    again = browser.post("/admin/roster/apply", {"token": "forged"})
    assert (
        again.status_code == 302
        and db.session.scalar(sa.select(sa.func.count(RosterImport.id))) == 1
    )


def test_a_thousand_rows_with_one_bad_row_apply_nothing_and_name_the_line(team, browser):
    rows = dinkes_rows(team)
    staff = ("Pengadministrasi Perkantoran", "Kepala Seksi Pelayanan Primer")
    # Far above the factories' own sequence, which a long test run takes past 5,000.
    for n in range(995):
        rows.append(
            person(
                team["staf"], *staff, nip=make_nip(900_000 + n), name=f"P {n}", email=f"p{n}@x.test"
            )
        )
    assert len(rows) == 1000
    rows[700]["nip"] = "19850312201003"  # too short; data row 701 is line 702 (the header is 1)
    browser.login(team["admin"].employee.nip)
    before = state()
    page = upload(browser, as_csv(rows)).get_data(as_text=True)
    assert 'data-line="702" data-column="nip"' in page
    assert "NIP must be exactly 18 digits." in page
    assert page.count("<tr data-line=") == 1
    assert TOKEN.search(page) is None
    assert state() == before


def test_apply_checks_again_and_writes_nothing_when_the_data_moved_on(team, browser):
    rows = dinkes_rows(team)
    rows.append(new_staff(team, nip=make_nip(), name="Pegawai Baru", email="baru@example.test"))
    browser.login(team["admin"].employee.nip)
    report = upload(browser, as_csv(rows)).get_data(as_text=True)
    # Meanwhile someone else takes the new employee's email.
    team["verifikator"].employee.email = "baru@example.test"
    before = state()
    response = apply(browser, report)
    assert response.status_code == 200
    assert "Nothing was written" in response.get_data(as_text=True)
    assert state() == before


def test_a_mutasi_moves_the_open_appraisal_and_its_tasks_to_the_new_atasan(team, browser):
    period = make_period()
    appraisal = appraisal_in_state(team, period, "plan_review")  # the kasi's task
    task = db.session.scalars(
        sa.select(Task).where(Task.appraisal_id == appraisal.id, Task.closed_at.is_(None))
    ).one()
    assert task.assignee_id == team["kasi"].employee_id
    rows = dinkes_rows(team)
    new_kasi_nip = make_nip()
    new_kasi = {"nip": new_kasi_nip, "name": "Kasi Rujukan", "email": "rujukan@example.test"}
    rows.append(
        person(team["kasi"], "Kepala Seksi Rujukan", "Kepala Bidang Pelayanan Kesehatan",
               "pengawas", unit="Seksi Rujukan", **new_kasi)
    )  # fmt: skip
    rows[3] |= {
        "position": "Staf Rujukan",
        "parent_position": "Kepala Seksi Rujukan",
        "unit": "Seksi Rujukan",
    }
    browser.login(team["admin"].employee.nip)
    report = upload(browser, as_csv(rows)).get_data(as_text=True)
    assert "of whom 1 change position (mutasi)" in report and "1 open SKP move" in report
    assert apply(browser, report).status_code == 302

    db.session.expire_all()
    new_kasi = db.session.scalars(sa.select(Employee).where(Employee.nip == new_kasi_nip)).one()
    assert team["staf"].employee.position.name == "Staf Rujukan"
    assert team["staf"].employee.position.unit.name == "Seksi Rujukan"
    assert appraisal.appraiser_id == new_kasi.id
    assert db.session.get(Task, task.id).assignee_id == new_kasi.id
    event = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.appraisal_id == appraisal.id)
        .order_by(AuditEvent.seq.desc())
    ).first()
    assert (event.trigger, event.actor_id) == ("reassign", team["admin"].employee_id)
    staf2 = db.session.scalars(
        sa.select(Task).join(Task.appraisal).where(Task.appraisal_id != appraisal.id)
    ).all()
    assert all(t.assignee_id != new_kasi.id for t in staf2)
    # Two: the staf's, and the kasi's own SKP, which the test helper made without an appraiser.
    assert db.session.scalars(sa.select(RosterImport)).one().counts_dict["reassigned"] == 2


def _bad_xlsx_formula(team) -> bytes:
    rows = dinkes_rows(team)
    rows[1]["name"] = '=HYPERLINK("http://evil.test","klik")'
    return as_xlsx(rows)


def _numeric_nip_xlsx(team) -> bytes:
    rows = dinkes_rows(team)
    rows[2]["nip"] = float(rows[2]["nip"])
    return as_xlsx(rows)


BAD_FILES = {
    "wrong columns": (
        lambda t: as_csv(dinkes_rows(t), columns=[c for c in COLUMNS if c != "email"] + ["phone"]),
        "roster.csv",
        "The columns do not match the template (missing: Email; unknown: phone)",
    ),
    "not utf-8": (
        lambda t: as_csv(dinkes_rows(t)).decode().replace("Dian", "Dián").encode("latin-1"),
        "roster.csv",
        "The file is not UTF-8 text.",
    ),
    "formula in a csv cell": (
        lambda t: as_csv([r | {"name": "@SUM(1+1)*cmd"} for r in dinkes_rows(t)]),
        "roster.csv",
        "Formulas are not accepted: the cell starts with “@”.",
    ),
    "formula in an xlsx cell": (_bad_xlsx_formula, "roster.xlsx", "Formulas are not accepted"),
    "numeric nip in xlsx": (_numeric_nip_xlsx, "roster.xlsx", "Enter the NIP as text"),
    "not a workbook": (lambda t: b"nip,name\n1,2\n", "roster.xlsx", "not a valid XLSX workbook"),
    "damaged workbook": (lambda t: b"PK\x03\x04garbage", "roster.xlsx", "not a valid XLSX"),
    "other extension": (lambda t: as_csv(dinkes_rows(t)), "roster.txt", "Send a .csv (UTF-8)"),
    "header only": (lambda t: as_csv([]), "roster.csv", "no data rows"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_refused_with_a_message_and_nothing_written(team, browser, case):
    make, filename, message = BAD_FILES[case]
    browser.login(team["admin"].employee.nip)
    before = state()
    response = upload(browser, make(team), filename)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert TOKEN.search(page) is None
    assert state() == before


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(team, browser, app, monkeypatch):
    content = as_csv(dinkes_rows(team))
    monkeypatch.setitem(app.config, "ROSTER_MAX_BYTES", len(content) - 1)
    browser.login(team["admin"].employee.nip)
    before = state()
    page = upload(browser, content).get_data(as_text=True)
    assert "The file is larger than" in page and TOKEN.search(page) is None
    assert state() == before
    # Over the request limit itself: the plain "too large" page, nothing written.
    monkeypatch.setitem(app.config, "ROSTER_MAX_BYTES", 100)
    response = upload(browser, content * 20000)
    # The test client spools a body this large to a temporary file it does not close.
    response.request.environ["wsgi.input"].close()
    assert response.status_code == 413 and state() == before


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        ({"opd": "NOPE"}, "opd", "No OPD has the code “NOPE”."),
        ({"position_kind": "boss"}, "position_kind", "Use one of"),
        ({"status": "honorer"}, "status", "Use PNS or PPPK."),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"name": ""}, "name", "Enter the name."),
        ({"parent_position": "Tidak Ada"}, "parent_position", "No position “Tidak Ada”"),
        ({"parent_position": "[XYZ] Sekda"}, "parent_position", "No OPD has the code “XYZ”."),
    ],
)
def test_each_bad_cell_is_reported_with_its_line_and_column(team, browser, change, column, message):
    rows = dinkes_rows(team)
    rows[3] |= change
    browser.login(team["admin"].employee.nip)
    page = upload(browser, as_csv(rows)).get_data(as_text=True)
    assert f'data-line="5" data-column="{column}"' in page
    assert message in page


def test_duplicates_loops_and_taken_emails_are_reported(team, browser):
    rows = dinkes_rows(team)
    rows[4]["nip"] = rows[3]["nip"]  # the same NIP twice
    rows[0]["parent_position"] = "Kepala Seksi Pelayanan Primer"  # kadis under kasi: a loop
    rows[2]["email"] = team["verifikator"].employee.email  # someone else's email
    browser.login(team["admin"].employee.nip)
    page = upload(browser, as_csv(rows)).get_data(as_text=True)
    assert 'data-line="6" data-column="nip"' in page and "also on line 5" in page
    assert 'data-column="parent_position"' in page and "loop" in page
    assert 'data-line="4" data-column="email"' in page


def test_a_parent_in_another_opd_is_named_with_its_code(team, browser):
    rows = dinkes_rows(team)
    rows[0]["parent_position"] = "[BKPSDM] Analis SDM Aparatur"
    browser.login(team["admin"].employee.nip)
    assert apply(browser, upload(browser, as_csv(rows)).get_data(as_text=True)).status_code == 302
    db.session.expire_all()
    assert team["kadis"].employee.position.parent.name == "Analis SDM Aparatur"


@pytest.mark.parametrize("who", ["verifikator", "kasi"])
def test_only_admin_bkd_imports(team, browser, who):
    browser.login(team[who].employee.nip)
    assert browser.get("/admin/roster/").status_code == 403
    assert upload(browser, as_csv(dinkes_rows(team))).status_code == 403
    assert browser.get("/admin/roster/template.csv").status_code == 403


def test_an_upload_without_the_form_token_is_refused(team, browser):
    browser.login(team["admin"].employee.nip)
    before = state()
    response = browser.client.post(
        "/admin/roster/",
        data={"file": (io.BytesIO(as_csv(dinkes_rows(team))), "roster.csv")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Form expired" in page  # this admin reads English
    assert TOKEN.search(page) is None and state() == before


# Hostile or damaged workbooks, built here from a valid one: each is refused with a message.
SHEET_XML = "xl/worksheets/sheet1.xml"
XXE = '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS = (
    '<!DOCTYPE worksheet [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    + "]>"
)


def _rewrite_sheet(workbook: bytes, change) -> bytes:
    """The workbook with its first sheet's XML passed through `change`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == SHEET_XML:
                body = change(body.decode("utf-8")).encode("utf-8")
            target.writestr(info, body)
    return out.getvalue()


def _with_entity(doctype: str, entity: str):
    def change(xml: str) -> str:
        xml = xml.replace("<worksheet", doctype + "<worksheet", 1)
        return xml.replace("<v>", f"<v>&{entity};", 1)

    return change


HOSTILE_WORKBOOKS = {
    "truncated": lambda valid: valid[: len(valid) // 2],
    "unclosed tag": lambda valid: _rewrite_sheet(valid, lambda x: x.replace("</sheetData>", "")),
    "broken xml": lambda valid: _rewrite_sheet(valid, lambda x: x.replace("<row", "<row <", 1)),
    "external entity": lambda valid: _rewrite_sheet(valid, _with_entity(XXE, "xxe")),
    "billion laughs": lambda valid: _rewrite_sheet(valid, _with_entity(LAUGHS, "lol9")),
}


@pytest.mark.parametrize("case", list(HOSTILE_WORKBOOKS))
def test_a_damaged_or_hostile_workbook_is_refused_with_a_message(team, browser, case):
    workbook = HOSTILE_WORKBOOKS[case](as_xlsx(dinkes_rows(team)))
    browser.login(team["admin"].employee.nip)
    before = state()
    response = upload(browser, workbook, "roster.xlsx")
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 422)
    assert "The file is not a valid XLSX workbook." in page
    assert "root:" not in page and TOKEN.search(page) is None
    assert state() == before


def test_the_refusal_is_in_indonesian_by_default(team, browser):
    team["admin"].locale = "id"
    workbook = HOSTILE_WORKBOOKS["unclosed tag"](as_xlsx(dinkes_rows(team)))
    browser.login(team["admin"].employee.nip)
    page = upload(browser, workbook, "roster.xlsx").get_data(as_text=True)
    assert "Berkas bukan buku kerja XLSX yang valid." in page


def test_workbooks_are_parsed_with_defusedxml():
    import openpyxl

    assert openpyxl.DEFUSEDXML


def test_the_templates_indonesian_headers_and_the_old_codes_both_read(app):
    row = {"opd": "DINKES", "position": "Staf", "position_kind": "pelaksana",
           "nip": "198503122010032001", "name": "Dian", "status": "PNS"}  # fmt: skip
    named = {COLUMN_HEADERS[key]: value for key, value in row.items()}
    with app.app_context():
        for data in (as_csv([named], columns=COLUMN_HEADERS.values()), as_csv([row])):
            (read,) = read_roster("roster.csv", data, max_bytes=10**6, max_rows=10)
            assert read.cells["nip"] == row["nip"] and read.cells["position_kind"] == "pelaksana"
