"""The Pustaka IKI: the starter library, matching a jabatan, the proposal workflow (one
winner of two reviewers), XLSX import/export, the plan editor's button, the usage report."""

import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from app.appraisals.services import open_appraisal
from app.extensions import db
from app.models import Iki, LibraryEntry, LibraryEntryChange
from app.pustaka import matching
from app.pustaka.rows import check_row
from app.pustaka.services import create_entry
from tests.factories import make_period
from tests.skp_helpers import atasan_rhk
from tests.test_skp_plan import form_fields

ADMIN_URL = "/admin/pustaka-iki"


def _entry(code="KES-901", **over) -> LibraryEntry:
    cells = {
        "code": code,
        "function": "kesehatan",
        "jabatan": "Perawat; Perawat Terampil",
        "rhk_text": "Terlaksananya asuhan keperawatan sesuai standar",
        "iki_text": "Jumlah pasien yang mendapat asuhan keperawatan",
        "aspect": "kuantitas",
        "unit": "pasien",
        "direction": "higher",
        "target_min": 300,
        "target_max": 600,
        "measurement": "Dihitung dari register pasien",
        "evidence": "Register pasien",
    } | over
    data, errors = check_row(cells)
    assert data is not None, errors
    return create_entry(data, None)


def _count(model=LibraryEntry) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# --- the starter library ------------------------------------------------------------------


def test_starter_library_loads_with_seed_demo_and_only_once(app):
    from app.seed.pustaka import seed_pustaka

    result = app.test_cli_runner().invoke(args=["seed-demo", "--password", "demo-sandi-1"])
    assert result.exit_code == 0, result.output
    entries = list(db.session.scalars(sa.select(LibraryEntry)))
    assert len(entries) >= 150
    assert len({e.function for e in entries}) >= 10
    assert all(e.status == "approved" for e in entries)
    # Written from real jabatan: each of these has entries of its own.
    for jabatan in (
        "Perawat Ahli Pertama", "Bidan Terampil", "Dokter Ahli Pertama", "Guru Ahli Muda",
        "Pengadministrasi Perkantoran", "Analis Kebijakan Ahli Pertama",
        "Pranata Komputer Ahli Muda", "Administrator Database Kependudukan",
        "Polisi Pamong Praja Terampil", "Penyuluh Pertanian Ahli Pertama", "Auditor Ahli Muda",
        "Pengelola Keuangan", "Analis Perizinan Ahli Pertama", "Lurah Padang Bulan",
    ):  # fmt: skip
        assert matching.for_jabatan(jabatan, entries), jabatan
    # Idempotent: a second load adds nothing and keeps what BKD changed.
    first = entries[0]
    first.iki_text = "Diubah oleh BKD"
    db.session.commit()
    assert seed_pustaka() == 0
    assert _count() == len(entries)
    assert db.session.get(LibraryEntry, first.id).iki_text == "Diubah oleh BKD"


# --- matching a jabatan -------------------------------------------------------------------


class E:
    def __init__(self, jabatan, function="kesehatan"):
        self.jabatan, self.function = jabatan, function


@pytest.mark.parametrize(
    ("position", "jabatan", "fit"),
    [
        ("Perawat Ahli Pertama", "Perawat", matching.EXACT),
        ("Perawat Terampil", "Perawat", matching.EXACT),
        ("Pranata Komputer Ahli Muda", "Pranata Komputer", matching.EXACT),
        ("Pengadministrasi Perkantoran", "Pengadministrasi Perkantoran", matching.EXACT),
        ("Kepala Seksi Pelayanan Primer", "Kepala Seksi", matching.PREFIX),
        ("Lurah Padang Bulan", "Lurah", matching.PREFIX),
        ("Plt. Camat Medan Baru", "Camat", matching.PREFIX),
        ("Kepala SD Negeri 060794 Medan", "Kepala SD Negeri", matching.PREFIX),
        ("Sekretaris Camat", "Camat", matching.CONTAINS),
        ("Kepala Bidang Pelayanan Kesehatan", "Bidan", 0),  # not inside a word
        ("Pengadministrasi Umum", "Pengadministrasi Perkantoran", 0),
        ("", "Perawat", 0),
        ("Bidan Terampil", "Dokter\nBidan", matching.EXACT),
        ("Bidan Terampil", "Dokter; Bidan", matching.EXACT),
    ],
)
def test_how_an_entry_fits_a_position(position, jabatan, fit):
    assert matching.fit(position, jabatan) == fit


def test_entries_for_a_jabatan_come_best_fit_first_then_others_by_function():
    general = E("Kepala Seksi", "administrasi_umum")
    nurse = E("Perawat")
    midwife = E("Bidan")
    teacher = E("Guru", "pendidikan")
    finance = E("Bendahara", "keuangan")
    entries = [general, teacher, midwife, nurse, finance]
    mine = matching.for_jabatan("Perawat Ahli Pertama", entries)
    assert mine == [nurse]
    others = matching.others_by_function(mine, entries, ("keuangan", "kesehatan", "pendidikan"))
    # The nurse's function (kesehatan) first, then the library's order of functions.
    assert others == [midwife, finance, teacher, general]


# --- propose, approve, reject -------------------------------------------------------------


def _proposal(team, browser, iki="Jumlah kunjungan rumah Perkesmas") -> LibraryEntry:
    browser.login(team["kadis"].employee.nip)
    page = browser.get("/pustaka-iki/usulan")
    assert page.status_code == 200
    data = form_fields(page, "propose-form") | {
        "function": "kesehatan",
        "jabatan": "Perawat",
        "rhk_text": "Terlaksananya perawatan kesehatan masyarakat",
        "iki_text": iki,
        "aspect": "kuantitas",
        "unit": "kunjungan",
        "direction": "higher",
        "target_min": "48",
        "target_max": "120",
        "measurement": "Register kunjungan rumah",
        "evidence": "Register kunjungan dan foto",
    }
    answer = browser.post("/pustaka-iki/usulan", data)
    assert answer.status_code == 303, answer.get_data(as_text=True)
    return db.session.scalars(sa.select(LibraryEntry).where(LibraryEntry.iki_text == iki)).one()


def _review(browser, entry_id, decision, reason="", version=None):
    page = browser.get(f"{ADMIN_URL}/{entry_id}")
    data = form_fields(page, "review-form") | {"decision": decision, "reason": reason}
    if version is not None:
        data["version"] = str(version)
    return browser.post(f"{ADMIN_URL}/{entry_id}/review", data)


def test_a_kepala_opd_proposes_and_bkd_approves_with_an_audit_trail(team, browser, new_browser):
    entry = _proposal(team, browser)
    assert (entry.status, entry.proposed_opd_id) == ("proposed", team["opd"].id)
    assert entry.code.startswith("USUL-")

    admin = new_browser()
    admin.login(team["admin"].employee.nip)
    index = admin.get(ADMIN_URL).get_data(as_text=True)
    assert "1 usulan dari kepala OPD menunggu keputusan Anda." in index
    assert entry.code in admin.get(f"{ADMIN_URL}?status=proposed").get_data(as_text=True)
    answer = _review(admin, entry.id, "approve")
    assert answer.status_code == 303
    db.session.expire_all()
    assert db.session.get(LibraryEntry, entry.id).status == "approved"
    trail = db.session.scalars(
        sa.select(LibraryEntryChange)
        .where(LibraryEntryChange.entry_id == entry.id)
        .order_by(LibraryEntryChange.id)
    ).all()
    assert [(c.action, c.from_status, c.to_status) for c in trail] == [
        ("propose", None, "proposed"),
        ("approve", "proposed", "approved"),
    ]
    assert trail[0].actor_id == team["kadis"].employee_id
    assert trail[1].actor_id == team["admin"].employee_id


def test_a_rejection_needs_its_reason_which_the_proposer_reads(team, browser, new_browser):
    entry = _proposal(team, browser)
    admin = new_browser()
    admin.login(team["admin"].employee.nip)
    refused = _review(admin, entry.id, "reject", "")
    assert refused.status_code == 422
    assert "Tuliskan alasan usulan ditolak." in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(LibraryEntry, entry.id).status == "proposed"

    reason = "Sudah ada entri KES-005 yang sama."
    assert _review(admin, entry.id, "reject", reason).status_code == 303
    db.session.expire_all()
    rejected = db.session.get(LibraryEntry, entry.id)
    assert (rejected.status, rejected.review_reason) == ("rejected", reason)
    mine = browser.get("/pustaka-iki/usulan").get_data(as_text=True)
    assert "Ditolak" in mine and reason in mine


def test_two_reviewers_at_once_exactly_one_decision_wins(team, browser, new_browser):
    entry = _proposal(team, browser)
    first, second = new_browser(), new_browser()
    first.login(team["admin"].employee.nip)
    second.login(team["admin"].employee.nip)
    # Both opened the proposal before either decided.
    seen = db.session.get(LibraryEntry, entry.id).version
    assert _review(first, entry.id, "approve", version=seen).status_code == 303
    late = _review(second, entry.id, "reject", "Tidak relevan.", version=seen)
    assert late.status_code == 303
    page = second.get(late.headers["Location"]).get_data(as_text=True)
    assert "Orang lain sudah lebih dahulu mengubah entri ini" in page
    db.session.expire_all()
    assert db.session.get(LibraryEntry, entry.id).status == "approved"
    decisions = db.session.scalars(
        sa.select(LibraryEntryChange.action).where(
            LibraryEntryChange.entry_id == entry.id,
            LibraryEntryChange.action.in_(("approve", "reject")),
        )
    ).all()
    assert decisions == ["approve"]


def test_two_reviewers_in_the_service_the_second_is_told_who_won(team):
    from app.pustaka.services import StaleEntry, review_entry

    entry = _entry("USUL-777")
    entry.status = "proposed"
    db.session.commit()
    seen = entry.version
    review_entry(entry, "approve", team["admin"], seen_version=seen, reason=None)
    db.session.commit()
    stale = db.session.get(LibraryEntry, entry.id)
    with pytest.raises(StaleEntry) as raised:
        review_entry(stale, "reject", team["verifikator"], seen_version=seen, reason="Tidak.")
    db.session.rollback()
    assert raised.value.latest.action == "approve"
    assert raised.value.latest.actor_id == team["admin"].employee_id
    assert db.session.get(LibraryEntry, entry.id).status == "approved"


def test_a_retired_entry_is_no_longer_offered_and_can_come_back(team, browser):
    entry = _entry()
    db.session.commit()
    browser.login(team["admin"].employee.nip)
    answer = browser.post(f"{ADMIN_URL}/{entry.id}/retire", {"version": entry.version})
    assert answer.status_code == 303
    db.session.expire_all()
    assert db.session.get(LibraryEntry, entry.id).status == "retired"
    from app.skp.plan.library import approved_entry

    assert approved_entry(entry.id) is None
    again = db.session.get(LibraryEntry, entry.id)
    assert (
        browser.post(f"{ADMIN_URL}/{entry.id}/retire", {"version": again.version}).status_code
        == 303
    )
    db.session.expire_all()
    assert db.session.get(LibraryEntry, entry.id).status == "approved"


# --- XLSX ---------------------------------------------------------------------------------


def _upload(browser, workbook_bytes: bytes):
    token = browser.csrf_token(f"{ADMIN_URL}/import")
    return browser.client.post(
        f"{ADMIN_URL}/import",
        data={"csrf_token": token, "file": (io.BytesIO(workbook_bytes), "pustaka.xlsx")},
        content_type="multipart/form-data",
    )


def _sheet_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_xlsx_round_trip_changes_nothing_then_adds_and_updates(team, browser):
    _entry("KES-901")
    _entry("ADM-901", function="administrasi_umum", jabatan="Pengadministrasi Perkantoran",
           direction="quality", unit=None, target_min=None, target_max=None,
           target_text="Tanpa kesalahan penomoran")  # fmt: skip
    db.session.commit()
    browser.login(team["admin"].employee.nip)
    exported = browser.get(f"{ADMIN_URL}/export.xlsx")
    assert exported.status_code == 200
    body = exported.get_data()

    same = _upload(browser, body)
    assert same.status_code == 303
    page = browser.get(same.headers["Location"]).get_data(as_text=True)
    assert "0 ditambahkan, 0 diubah, 2 tidak berubah" in page

    workbook = load_workbook(io.BytesIO(body))
    sheet = workbook.active
    header = [c.value for c in sheet[1]]
    # The library's order of functions: administrasi umum (ADM-901) first, then KES-901.
    assert [sheet.cell(row=r, column=1).value for r in (2, 3)] == ["ADM-901", "KES-901"]
    sheet.cell(row=3, column=header.index("iki") + 1, value="Jumlah pasien rawat jalan")
    new = list(next(sheet.iter_rows(min_row=3, max_row=3, values_only=True)))
    new[header.index("kode")] = "KES-902"
    sheet.append(new)
    out = io.BytesIO()
    workbook.save(out)
    changed = _upload(browser, out.getvalue())
    assert changed.status_code == 303
    page = browser.get(changed.headers["Location"]).get_data(as_text=True)
    assert "1 ditambahkan, 1 diubah, 1 tidak berubah" in page
    db.session.expire_all()
    codes = {e.code: e for e in db.session.scalars(sa.select(LibraryEntry))}
    assert set(codes) == {"KES-901", "KES-902", "ADM-901"}
    assert codes["ADM-901"].target_text == "Tanpa kesalahan penomoran"
    assert codes["ADM-901"].direction == "quality"
    assert codes["KES-901"].iki_text == "Jumlah pasien rawat jalan"
    assert codes["KES-901"].jabatan_names == ["Perawat", "Perawat Terampil"]
    assert codes["KES-902"].target_min == codes["KES-901"].target_min == 300
    actions = db.session.scalars(
        sa.select(LibraryEntryChange.action)
        .where(LibraryEntryChange.entry_id.in_([codes["KES-901"].id, codes["KES-902"].id]))
        .order_by(LibraryEntryChange.id)
    ).all()
    assert actions == ["create", "import", "import"]  # made, then updated and added by the sheet


def test_an_import_with_a_bad_row_is_refused_naming_the_rows_and_writes_nothing(team, browser):
    _entry("KES-901")
    db.session.commit()
    before = (_count(), _count(LibraryEntryChange))
    browser.login(team["admin"].employee.nip)
    header = load_workbook(io.BytesIO(browser.get(f"{ADMIN_URL}/export.xlsx").get_data()))
    columns = [c.value for c in header.active[1]]

    def row(**cells):
        base = {
            "kode": "KES-950", "fungsi": "kesehatan", "jabatan": "Bidan",
            "rhk": "Terlaksananya pelayanan KIA", "iki": "Jumlah ibu hamil K6",
            "aspek": "kuantitas", "satuan": "ibu hamil", "arah": "higher", "target_min": 50,
            "target_max": 200, "target_teks": None, "cara_ukur": "Kohort ibu",
            "bukti_dukung": "Kohort ibu", "status": "approved",
        }  # fmt: skip
        return [(base | cells)[c] for c in columns]

    good = row()
    bad = row(kode="KES-951", aspek="jumlah", target_min="banyak", bukti_dukung="")
    updates_existing = row(kode="KES-901", iki="Diubah lewat impor")
    answer = _upload(browser, _sheet_bytes([columns, good, updates_existing, bad]))
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "Tidak ada yang diimpor" in page
    assert "Baris 4: “jumlah” bukan aspek yang sah" in page
    assert "Baris 4: Kolom “target_min” bukan angka 0 atau lebih" in page
    assert "Baris 4: Kolom “bukti_dukung” kosong." in page
    assert "Baris 2" not in page and "Baris 3" not in page
    db.session.expire_all()
    assert (_count(), _count(LibraryEntryChange)) == before
    assert db.session.scalars(sa.select(LibraryEntry.iki_text)).all() == [
        "Jumlah pasien yang mendapat asuhan keperawatan"
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"kode;fungsi\nKES-1;kesehatan\n", "Berkas bukan buku kerja XLSX yang valid."),
        (b"PK\x03\x04 not really a zip", "Berkas bukan buku kerja XLSX yang valid."),
    ],
)
def test_a_file_that_is_not_a_library_sheet_is_refused(team, browser, content, message):
    browser.login(team["admin"].employee.nip)
    answer = _upload(browser, content)
    assert answer.status_code == 422
    assert message in answer.get_data(as_text=True)
    assert _count() == 0


def test_a_sheet_without_the_columns_is_refused(team, browser):
    browser.login(team["admin"].employee.nip)
    answer = _upload(browser, _sheet_bytes([["nama", "nilai"], ["a", 1]]))
    assert answer.status_code == 422
    assert "Baris pertama harus berisi nama kolom" in answer.get_data(as_text=True)
    assert _count() == 0


# --- the plan editor and the usage report -------------------------------------------------


@pytest.fixture
def draft(team):
    appraisal = open_appraisal(team["staf"].employee, make_period(2026))
    atasan_rhk(appraisal)
    db.session.commit()
    return appraisal


def test_the_plan_editor_offers_the_jabatan_first_and_adding_fills_the_plan(team, draft, browser):
    mine = _entry("ADM-901", function="administrasi_umum", jabatan="Pengadministrasi Perkantoran",
                  rhk_text="Terlaksananya pengelolaan naskah dinas",
                  iki_text="Jumlah surat yang diagendakan", unit="surat",
                  target_min=600, target_max=1500)  # fmt: skip
    other = _entry("KES-901")
    db.session.commit()
    browser.login(team["staf"].employee.nip)
    url = f"/appraisals/{draft.id}/plan"
    page = browser.get(url)
    html = page.get_data(as_text=True)
    assert html.index('data-library-entry="ADM-901"') < html.index('data-library-entry="KES-901"')
    assert html.index('id="pustaka-mine"') < html.index('data-library-entry="ADM-901"')

    added = browser.post(url, form_fields(page) | {"op": f"pustaka:{mine.id}"})
    assert added.status_code == 200
    data = form_fields(added)
    assert data["rhks-0-text"] == "Terlaksananya pengelolaan naskah dinas"
    assert data["rhks-0-ikis-0-text"] == "Jumlah surat yang diagendakan"
    assert data["rhks-0-ikis-0-aspect"] == "kuantitas"
    assert (data["rhks-0-ikis-0-target_value"], data["rhks-0-ikis-0-target_unit"]) == (
        "600",
        "surat",
    )
    assert data["rhks-0-ikis-0-library_entry_id"] == str(mine.id)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Iki)) == 0  # nothing yet

    # A second entry with the same RHK text goes under that RHK; a different one is a new RHK.
    again = browser.post(url, data | {"op": f"pustaka:{other.id}"})
    data = form_fields(again)
    assert data["rhks-1-ikis-0-library_entry_id"] == str(other.id)
    # The pegawai adapts the text, then saves.
    data |= {"rhks-0-ikis-0-text": "Jumlah surat masuk yang diagendakan", "op": "save"}
    saved = browser.post(url, data)
    assert saved.status_code == 303, saved.get_data(as_text=True)
    ikis = {i.text: i.library_entry_id for i in db.session.scalars(sa.select(Iki))}
    assert ikis == {
        "Jumlah surat masuk yang diagendakan": mine.id,
        "Jumlah pasien yang mendapat asuhan keperawatan": other.id,
    }


def test_a_library_reference_that_does_not_exist_is_not_stored(team, draft, browser):
    browser.login(team["staf"].employee.nip)
    url = f"/appraisals/{draft.id}/plan"
    data = form_fields(browser.post(url, form_fields(browser.get(url)) | {"op": "add_rhk:utama"}))
    data |= {
        "rhks-0-text": "RHK sendiri", "rhks-0-ikis-0-text": "IKI sendiri",
        "rhks-0-ikis-0-aspect": "kuantitas", "rhks-0-ikis-0-target_value": "4",
        "rhks-0-ikis-0-target_unit": "laporan", "rhks-0-ikis-0-library_entry_id": "999999",
        "op": "save",
    }  # fmt: skip
    assert browser.post(url, data).status_code == 303
    assert db.session.scalars(sa.select(Iki.library_entry_id)).all() == [None]
    # An unknown or retired entry's button adds nothing.
    refused = browser.post(url, form_fields(browser.get(url)) | {"op": "pustaka:999999"})
    page = refused.get_data(as_text=True)
    assert "Perubahan tersebut tidak dapat dilakukan pada rencana SKP." in page


def test_the_usage_report_counts_each_entry_and_lists_plans_using_none(team, browser):
    from tests.factories import make_account, make_employee

    used, unused = _entry("KES-901"), _entry("KES-902", iki_text="Persentase dokumentasi lengkap")
    period = make_period(2026)
    staf2 = make_account(make_employee("Rina Sembiring", team["staf"].employee.position))
    plans = {}
    for key, account in (("a", team["staf"]), ("b", staf2)):
        plans[key] = open_appraisal(account.employee, period)
    from app.models import Rhk

    def rhk(appraisal, entries):
        row = Rhk(appraisal_id=appraisal.id, group_="utama", text="RHK")
        row.ikis = [
            Iki(text=f"IKI {i}", aspect="kuantitas", target_value=1, target_unit="x",
                library_entry_id=e)
            for i, e in enumerate(entries)
        ]  # fmt: skip
        db.session.add(row)

    rhk(plans["a"], [used.id, used.id, None])
    rhk(plans["b"], [None])
    db.session.commit()
    browser.login(team["verifikator"].employee.nip)
    page = browser.get(f"{ADMIN_URL}/report?period={period.id}").get_data(as_text=True)
    assert 'data-entry-code="KES-901">' in page
    row_used = page.split('data-entry-code="KES-901"')[1].split("</tr>")[0]
    assert 'data-ikis="2"' in row_used and 'data-plans="1"' in row_used
    row_unused = page.split('data-entry-code="KES-902"')[1].split("</tr>")[0]
    assert 'data-ikis="0"' in row_unused
    assert "1 dari 2 rencana SKP" in page
    without = page.split('id="plans-without"')[1].split("</ul>")[0]
    assert f'data-appraisal-id="{plans["b"].id}"' in without
    assert f'data-appraisal-id="{plans["a"].id}"' not in without
    assert unused.id


@pytest.mark.postgres_only
def test_reviewers_in_threads_at_once_exactly_one_decides(app, team):
    import threading

    from app.models import Account
    from app.pustaka.services import StaleEntry, review_entry

    entry = _entry("USUL-888")
    entry.status = "proposed"
    db.session.commit()
    entry_id, admin_id, seen = entry.id, team["admin"].id, entry.version
    barrier, results, lock = threading.Barrier(4), [], threading.Lock()

    def decide(decision):
        with app.app_context():
            mine = db.session.get(LibraryEntry, entry_id)
            actor = db.session.get(Account, admin_id)
            barrier.wait(timeout=30)  # all have read the proposal before anyone decides
            try:
                review_entry(mine, decision, actor, seen_version=seen, reason="Alasan.")
                db.session.commit()
                outcome = "won"
            except StaleEntry as error:
                db.session.rollback()
                outcome = f"stale:{error.latest.action}"
            finally:
                db.session.remove()
            with lock:
                results.append(outcome)

    threads = [
        threading.Thread(target=decide, args=(d,))
        for d in ("approve", "reject", "approve", "reject")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert results.count("won") == 1
    db.session.expire_all()
    final = db.session.get(LibraryEntry, entry_id)
    decisions = db.session.scalars(
        sa.select(LibraryEntryChange.action).where(
            LibraryEntryChange.entry_id == entry_id,
            LibraryEntryChange.action.in_(("approve", "reject")),
        )
    ).all()
    assert decisions == [{"approved": "approve", "rejected": "reject"}[final.status]]
    assert sorted(results) == [f"stale:{decisions[0]}"] * 3 + ["won"]
    assert final.version == seen + 1


def test_the_plan_editor_reads_the_library_in_a_constant_number_of_statements(app, team, draft):
    from tests.test_query_budget import BUDGET, _statements

    url = f"/appraisals/{draft.id}/plan"
    nip = team["staf"].employee.nip
    _entry("ADM-901", jabatan="Pengadministrasi Perkantoran")
    status, few = _statements(app, nip, url)
    for n in range(30):
        _entry(f"KES-{n:03d}")
    status_many, many = _statements(app, nip, url)
    assert (status, status_many) == (200, 200)
    assert few == many <= BUDGET
