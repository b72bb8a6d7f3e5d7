"""Talent mapping pages: who may see them, a 9-box counted by hand, the import's dry run,
succession by rank, and the statements a page costs (PermenPANRB 3/2020)."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Appraisal, FollowupSetting, TalentAssessment
from app.models.types import utcnow
from tests import factories
from tests.test_query_budget import BUDGET, _statements

YEAR = 2025


def final(employee, period, predikat: str) -> Appraisal:
    """A final annual SKP of the employee in the period with the predikat (set-up only)."""
    appraisal = Appraisal(
        employee_id=employee.id,
        period_id=period.id,
        opd_id=employee.position.opd_id,
        workflow=period.workflow,
        state="final",
        predikat=predikat,
        finalised_at=utcnow() - timedelta(days=30),
        approach="kuantitatif",
    )
    db.session.add(appraisal)
    db.session.flush()
    return appraisal


def score(employee, value: str, year: int = YEAR, importer=None) -> None:
    db.session.add(
        TalentAssessment(
            employee_id=employee.id,
            year=year,
            score=Decimal(value),
            source="Assessment center BKD",
            imported_by_id=importer.id,
        )
    )


@pytest.fixture
def mapped(team):
    """Dinkes with five employees on the map and one without a score; one OPD B employee.

    Performance is the average of the 2024 and 2025 predikat (SB 5, B 4, BP 3, K 2);
    thresholds by default: above from 4.5, as expected from 3.5; potential high from
    90, medium from 78.
    """
    before, now = factories.make_period(YEAR - 1), factories.make_period(YEAR)
    admin = team["admin"]
    plan = {
        # key: (2024, 2025, score, pangkat) -> box
        "kadis": ("sangat_baik", "sangat_baik", "92", "Pembina Utama Muda (IV/c)"),  # 5.0 high: 9
        "kabid": ("baik", "sangat_baik", "80", "Pembina Tingkat I (IV/b)"),  # 4.5 medium: 8
        "kasi": ("baik", "baik", "95", "Penata Tingkat I (III/d)"),  # 4.0 high: 7
        "staf": ("baik", "butuh_perbaikan", "78", "Pengatur (II/c)"),  # 3.5 medium: 5
        "staf2": ("kurang", "butuh_perbaikan", "60", "Pengatur Muda (II/a)"),  # 2.5 low: 1
    }
    for key, (p1, p2, value, pangkat) in plan.items():
        employee = team[key].employee
        employee.pangkat_golongan = pangkat
        final(employee, before, p1)
        final(employee, now, p2)
        score(employee, value, importer=admin)
    # One predikat only: not placed.
    baru = factories.make_employee("Nina Baru", team["staf"].employee.position)
    final(baru, now, "baik")
    score(baru, "90", importer=admin)
    # OPD B: kadis_b in box 9, outside Dinkes.
    opd_b = factories.make_opd("DISDIK", "Dinas Pendidikan")
    head_b = factories.make_position(opd_b, "Kepala Dinas Pendidikan", "jpt")
    kasi_b = factories.make_position(opd_b, "Kepala Seksi Kurikulum", "pengawas", head_b)
    team["kadis_b"] = factories.make_account(factories.make_employee("Kadis Ginting", head_b))
    team["kasi_b"] = factories.make_account(factories.make_employee("Kasi Purba", kasi_b))
    final(team["kadis_b"].employee, before, "sangat_baik")
    final(team["kadis_b"].employee, now, "sangat_baik")
    score(team["kadis_b"].employee, "99", importer=admin)
    db.session.commit()
    return team


def box_counts(html: str) -> dict[int, int]:
    import re

    return {int(n): int(c) for n, c in re.findall(r'data-box="(\d)" data-count="(\d+)"', html)}


def test_nine_box_of_dinkes_counted_by_hand(mapped, browser):
    browser.login(mapped["admin"].employee.nip)
    page = browser.get(f"/talenta/?opd={mapped['opd'].id}&year={YEAR}").get_data(as_text=True)
    assert box_counts(page) == {1: 1, 2: 0, 3: 0, 4: 0, 5: 1, 6: 0, 7: 1, 8: 1, 9: 1}
    # Who is in which box: the box's list names them.
    for n, key in ((9, "kadis"), (8, "kabid"), (7, "kasi"), (5, "staf"), (1, "staf2")):
        section = page.split(f'data-box-list="{n}"')[1].split("</section>")[0]
        assert f'data-employee="{mapped[key].employee.nip}"' in section
    assert "Kadis Ginting" not in page  # another OPD
    assert "Nina Baru" not in page.split('data-box-list="9"')[1]  # not placed: one predikat


def test_city_map_counts_every_opd(mapped, browser):
    browser.login(mapped["admin"].employee.nip)
    page = browser.get(f"/talenta/?year={YEAR}").get_data(as_text=True)
    assert box_counts(page)[9] == 2  # kadis and kadis_b


def test_thresholds_from_the_setting_move_people(mapped, browser):
    db.session.add(
        FollowupSetting(
            key="talent_thresholds",
            value={
                "kinerja_above": "4.0",
                "kinerja_meets": "3.0",
                "potensial_high": "90",
                "potensial_medium": "78",
            },
        )
    )
    db.session.commit()
    browser.login(mapped["admin"].employee.nip)
    page = browser.get(f"/talenta/?opd={mapped['opd'].id}&year={YEAR}").get_data(as_text=True)
    # kasi (4.0, high) moves from 7 to 9; staf (3.5, medium) stays 5; staf2 (2.5) stays 1.
    assert box_counts(page) == {1: 1, 2: 0, 3: 0, 4: 0, 5: 1, 6: 0, 7: 0, 8: 1, 9: 2}


def test_admin_saves_thresholds_and_a_bad_order_is_refused(mapped, browser):
    browser.login(mapped["admin"].employee.nip)
    bad = {"kinerja_above": "3", "kinerja_meets": "4", "potensial_high": "90"}
    page = browser.post("/talenta/ambang", {**bad, "potensial_medium": "78"}).get_data(True)
    assert "is-invalid" in page
    good = {"kinerja_above": "4.2", "kinerja_meets": "3.2", "potensial_high": "85"}
    assert browser.post("/talenta/ambang", {**good, "potensial_medium": "70"}).status_code == 302
    assert db.session.get(FollowupSetting, "talent_thresholds").value["kinerja_above"] == "4.2"


@pytest.mark.parametrize("who", ["staf", "kasi", "kabid", "kadis_b"])
def test_talent_pages_are_refused_to_pegawai_atasan_and_other_heads(mapped, browser, who):
    browser.login(mapped[who].employee.nip)
    opd = mapped["opd"].id
    for path in (
        f"/talenta/?opd={opd}",
        f"/talenta/suksesi?opd={opd}",
        f"/talenta/ekspor.csv?opd={opd}",
        f"/konsekuensi/kenaikan-pangkat?opd={opd}",
        f"/konsekuensi/tpp?opd={opd}",
    ):
        assert browser.get(path).status_code in (403, 404), (who, path)
    for path in ("/talenta/impor", "/talenta/ambang", "/konsekuensi/tabel-tpp"):
        assert browser.get(path).status_code == 403, (who, path)


def test_kepala_opd_sees_their_own_opd_only(mapped, browser):
    browser.login(mapped["kadis"].employee.nip)
    assert browser.get(f"/talenta/?opd={mapped['opd'].id}").status_code == 200
    assert browser.get("/talenta/").status_code == 200  # their OPD, not the city
    opd_b = mapped["kadis_b"].employee.position.opd_id
    assert browser.get(f"/talenta/?opd={opd_b}").status_code == 404


def test_anonymous_is_sent_to_sign_in(mapped, client):
    assert client.get("/talenta/").status_code == 302


def test_succession_shortlists_boxes_7_to_9_by_rank(mapped, browser):
    browser.login(mapped["admin"].employee.nip)
    page = browser.get(f"/talenta/suksesi?opd={mapped['opd'].id}&year={YEAR}").get_data(True)
    kadis_pos = mapped["kadis"].employee.position_id
    kabid_pos = mapped["kabid"].employee.position_id
    jpt = page.split(f'data-position="{kadis_pos}"')[1].split("</section>")[0]
    adm = page.split(f'data-position="{kabid_pos}"')[1].split("</section>")[0]
    nip = {k: mapped[k].employee.nip for k in ("kadis", "kabid", "kasi", "staf")}
    # JPT pratama needs IV/b: kabid (box 8, IV/b); not kasi (box 7, III/d); not its holder.
    assert f'data-candidate="{nip["kabid"]}"' in jpt
    assert f'data-candidate="{nip["kasi"]}"' not in jpt
    assert f'data-candidate="{nip["kadis"]}"' not in jpt
    # Administrator needs III/d: kadis (box 9) and kasi (box 7); staf is box 5.
    assert f'data-candidate="{nip["kadis"]}"' in adm
    assert f'data-candidate="{nip["kasi"]}"' in adm
    assert f'data-candidate="{nip["staf"]}"' not in adm


def test_export_lists_everyone_with_their_box(mapped, browser):
    browser.login(mapped["admin"].employee.nip)
    body = browser.get(f"/talenta/ekspor.csv?opd={mapped['opd'].id}&year={YEAR}").get_data(True)
    line = next(row for row in body.splitlines() if mapped["kasi"].employee.nip in row)
    assert ",7," in line and "95" in line
    response = browser.get(f"/talenta/ekspor.xlsx?year={YEAR}")
    assert response.status_code == 200 and response.data.startswith(b"PK")


# --- import ----------------------------------------------------------------------------


def upload(browser, content: str, button: str = "check", name: str = "nilai.csv"):
    data = {"file": (io.BytesIO(content.encode()), name), button: "1"}
    return browser.post("/talenta/impor", data, token_from="/talenta/impor", buffered=True,
                        content_type="multipart/form-data")  # fmt: skip


def test_import_dry_run_changes_nothing_and_reports_each_bad_row(mapped, browser):
    browser.login(mapped["admin"].employee.nip)
    staf, kasi = mapped["staf"].employee.nip, mapped["kasi"].employee.nip
    before = db.session.scalar(sa.select(sa.func.count()).select_from(TalentAssessment))
    content = (
        "NIP,Tahun,Nilai,Sumber\n"
        f"{staf},2026,81.5,Assessment center\n"  # row 2: matched, new
        "199999999999999999,2026,80,Assessment center\n"  # row 3: unknown NIP
        f"{kasi},2026,101,Assessment center\n"  # row 4: bad score
        f"{staf},2026,70,Assessment center\n"  # row 5: duplicate of row 2
        f"{kasi},2025,88,Assessment center\n"  # row 6: matched, replaces 95
    )
    page = upload(browser, content).get_data(as_text=True)
    assert 'data-report-problems="3"' in page
    rows = {n: page.split(f'data-row="{n}"')[1].split("</tr>")[0] for n in range(2, 7)}
    assert "table-danger" not in rows[2].split(">")[0] and "Baru" in rows[2]
    assert "bukan pegawai" in rows[3]
    assert "0 sampai 100" in rows[4]
    assert "baris 2" in rows[5]
    assert "Menggantikan 95" in rows[6]
    after = db.session.scalar(sa.select(sa.func.count()).select_from(TalentAssessment))
    assert after == before
    # Import with problems: still nothing written.
    upload(browser, content, "apply")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TalentAssessment)) == before


def test_import_applies_a_clean_file_as_upserts(mapped, browser):
    browser.login(mapped["admin"].employee.nip)
    staf, kasi = mapped["staf"].employee.nip, mapped["kasi"].employee.nip
    content = f"NIP;Tahun;Nilai;Sumber\n{staf};2026;81,5;ACT\n{kasi};2025;88;ACT\n"
    assert "data-report-ok" in upload(browser, content).get_data(as_text=True)
    assert upload(browser, content, "apply").status_code == 302
    db.session.expire_all()
    scores = {
        (a.employee_id, a.year): a.score for a in db.session.scalars(sa.select(TalentAssessment))
    }
    assert scores[mapped["staf"].employee_id, 2026] == Decimal("81.50")
    assert scores[mapped["kasi"].employee_id, 2025] == Decimal("88.00")  # replaced 95


def test_import_refuses_a_file_without_the_columns(mapped, browser):
    browser.login(mapped["admin"].employee.nip)
    page = upload(browser, "nip,nama\n1,2\n").get_data(as_text=True)
    assert "Tahun" in page and "is-invalid" in page
    page = upload(browser, "x", name="nilai.pdf").get_data(as_text=True)
    assert "is-invalid" in page


# --- statements --------------------------------------------------------------------------


def test_talent_pages_stay_within_budget_as_the_data_grows(app, mapped):
    nip, opd = mapped["admin"].employee.nip, mapped["opd"].id
    paths = [f"/talenta/?opd={opd}&year={YEAR}", f"/talenta/?year={YEAR}",
             f"/talenta/suksesi?year={YEAR}"]  # fmt: skip
    few = [_statements(app, nip, path) for path in paths]
    # Twenty more employees with two predikat and a score each.
    from app.models import Period

    p1 = db.session.scalar(sa.select(Period).where(Period.year == YEAR - 1))
    p2 = db.session.scalar(sa.select(Period).where(Period.year == YEAR))
    position = mapped["staf"].employee.position
    for i in range(20):
        employee = factories.make_employee(f"Pegawai {i}", position)
        final(employee, p1, "baik")
        final(employee, p2, "sangat_baik")
        score(employee, "91", importer=mapped["admin"])
    db.session.commit()
    many = [_statements(app, nip, path) for path in paths]
    assert all(status == 200 for status, _ in few + many)
    assert [count for _, count in few] == [count for _, count in many]
    assert max(count for _, count in many) <= BUDGET


@pytest.mark.parametrize(("who", "linked"), [("admin", True), ("kadis", True), ("staf", False)])
def test_home_links_the_talent_map_to_those_who_read_it(mapped, browser, who, linked):
    browser.login(mapped[who].employee.nip)
    assert ("data-talent-link" in browser.get("/").get_data(as_text=True)) is linked


def test_import_reads_a_workbook_and_refuses_a_numeric_nip(mapped, browser):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["NIP", "Tahun", "Nilai", "Sumber"])
    sheet.append([mapped["staf"].employee.nip, 2026, 83.25, "ACT"])  # NIP as text: matched
    sheet.append([float(mapped["kasi"].employee.nip), 2026, 70, "ACT"])  # NIP as a number
    # A formula is read as the value Excel saved with it; openpyxl saves none: an empty cell.
    sheet.append([mapped["kabid"].employee.nip, 2026, 75, "=1+1"])
    data = io.BytesIO()
    book.save(data)
    browser.login(mapped["admin"].employee.nip)
    response = browser.post(
        "/talenta/impor",
        {"file": (io.BytesIO(data.getvalue()), "nilai.xlsx"), "check": "1"},
        token_from="/talenta/impor",
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert 'data-report-problems="2"' in page
    rows = {n: page.split(f'data-row="{n}"')[1].split("</tr>")[0] for n in (2, 3, 4)}
    assert "Baru" in rows[2] and "83,25" in rows[2]
    assert "tersimpan sebagai angka" in rows[3]
    assert "Sumber masih kosong" in rows[4]


def test_pimpinan_daerah_reads_the_city_map(mapped, browser):
    wakil = factories.make_account(
        factories.make_employee("Wakil Wali Kota", mapped["admin"].employee.position),
        roles=("pimpinan_daerah",),
    )
    db.session.commit()
    browser.login(wakil.employee.nip)
    page = browser.get(f"/talenta/?year={YEAR}").get_data(as_text=True)
    assert box_counts(page)[9] == 2
    assert browser.get("/talenta/impor").status_code == 403  # reads; BKD sets
