"""Exports: the recap reads back with the same values, no cell is a formula; the distribution."""

import csv
import io
from decimal import Decimal

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.exports.services import to_csv, to_xlsx
from app.extensions import db
from app.files import safe_cell
from app.models import Appraisal
from app.periods.opening import PeriodOpener
from tests.factories import make_period, make_team


@pytest.fixture
def rated(app):
    """DINKES opened for 2026, with two rated appraisals and a name that looks like a formula."""
    team = make_team()
    team["staf2"].employee.name = '=HYPERLINK("http://evil.test","x")'
    for key in ("admin", "verifikator", "kadis", "staf"):
        team[key].locale = "en"
    period = make_period()
    PeriodOpener(period).run()
    ratings = {
        "staf": ("di_atas", "di_atas", "sangat_baik"),
        "staf2": ("di_bawah", "sesuai", "butuh_perbaikan"),
    }
    for key, (hk, pk, predikat) in ratings.items():
        db.session.execute(
            sa.update(Appraisal)
            .where(Appraisal.employee_id == team[key].employee_id)
            .values(rating_hk=hk, rating_pk=pk, predikat=predikat)
        )
    return team, period


def _expected(team) -> list[list[str]]:
    step = "Drafting the plan"
    # One segment each, covering the whole period.
    whole = ["1", "01-01-2026", "31-12-2026"]
    return [
        ["NIP", "Name", "Position", "Step", "Hasil kerja (HK)", "Perilaku kerja (PK)", "Predikat",
         "SKP segment", "Segment start", "Segment end"],
        [team["staf2"].employee.nip, "'=HYPERLINK(\"http://evil.test\",\"x\")",
         "Pengadministrasi Perkantoran", step, "Di Bawah Ekspektasi", "Sesuai Ekspektasi",
         "Butuh Perbaikan", *whole],
        [team["staf"].employee.nip, "Dian Anggraini", "Pengadministrasi Perkantoran", step,
         "Di Atas Ekspektasi", "Di Atas Ekspektasi", "Sangat Baik", *whole],
        [team["kabid"].employee.nip, "Kabid Lubis, S.KM.", "Kepala Bidang Pelayanan Kesehatan",
         step, "", "", "", *whole],
        [team["kasi"].employee.nip, "Kasi Nasution, S.Kep.", "Kepala Seksi Pelayanan Primer",
         step, "", "", "", *whole],
    ]  # fmt: skip


def _same(table: list[list], expected: list[list]) -> bool:
    # Rows come by name; how "=" sorts among letters depends on the database's collation.
    return table[0] == expected[0] and sorted(table[1:]) == sorted(expected[1:])


def _url(team, period, fmt: str, opd=None) -> str:
    return f"/exports/recap.{fmt}?period={period.id}&opd={(opd or team['opd']).id}"


def test_the_xlsx_recap_reads_back_with_the_same_values(rated, browser):
    team, period = rated
    browser.login(team["verifikator"].employee.nip)
    response = browser.get(_url(team, period, "xlsx"))
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    values = [[cell.value or "" for cell in row] for row in sheet.iter_rows()]
    assert _same(values, _expected(team))
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_the_csv_recap_reads_back_with_the_same_values(rated, browser):
    team, period = rated
    browser.login(team["admin"].employee.nip)
    response = browser.get(_url(team, period, "csv"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert _same(rows, _expected(team))


@pytest.mark.parametrize(
    ("value", "exported"),
    [
        ("=1+2", "'=1+2"),
        ("+62811", "'+62811"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Budi = baik", "Budi = baik"),
        (None, ""),
    ],
)
def test_text_that_a_spreadsheet_would_evaluate_is_quoted(value, exported):
    assert safe_cell(value) == exported


def test_the_distribution_counts_each_predikat_per_opd(rated, browser):
    team, period = rated
    browser.login(team["admin"].employee.nip)
    page = browser.get(f"/exports/distribution?period={period.id}").get_data(as_text=True)
    assert 'data-opd="DINKES"' in page
    assert '<td class="text-end" data-predikat="sangat_baik">1' in page
    assert '<td class="text-end" data-predikat="butuh_perbaikan">1' in page
    rows = list(
        csv.reader(
            io.StringIO(
                browser.get(f"/exports/distribution.csv?period={period.id}")
                .get_data()
                .decode("utf-8-sig")
            )
        )
    )
    assert rows[0][:4] == ["OPD code", "OPD", "Appraisals", "Sangat Baik"]
    assert rows[1] == ["DINKES", "Dinas Kesehatan", "4", "1", "0", "1", "0", "0", "2"]
    sheet = load_workbook(
        io.BytesIO(browser.get(f"/exports/distribution.xlsx?period={period.id}").get_data())
    ).active
    assert [c.value for c in sheet[2]] == ["DINKES", "Dinas Kesehatan", 4, 1, 0, 1, 0, 0, 2]


def test_a_kepala_opd_exports_their_own_opd_only(rated, browser):
    team, period = rated
    browser.login(team["kadis"].employee.nip)
    assert browser.get(_url(team, period, "csv")).status_code == 200
    other = db.session.scalars(sa.select(type(team["opd"])).where(sa.text("code = 'BKPSDM'"))).one()
    assert browser.get(_url(team, period, "csv", other)).status_code == 403
    page = browser.get(f"/exports/distribution?period={period.id}").get_data(as_text=True)
    assert 'data-opd="DINKES"' in page and "BKPSDM" not in page.split('id="distribution"')[1]


@pytest.mark.parametrize("who", ["staf", "kasi"])
def test_pegawai_cannot_export(rated, browser, who):
    team, period = rated
    browser.login(team[who].employee.nip)
    assert browser.get(_url(team, period, "xlsx")).status_code == 403
    assert browser.get("/exports/").status_code == 403


def test_a_missing_choice_sends_back_to_the_form_with_a_message(rated, browser):
    team, _period = rated
    browser.login(team["admin"].employee.nip)
    response = browser.get("/exports/recap.xlsx?period=abc&opd=")
    assert response.status_code == 302 and response.headers["Location"].endswith("/exports/")
    page = browser.get("/exports/").get_data(as_text=True)
    assert "Choose a period and an OPD." in page


@pytest.mark.parametrize(
    ("locale", "line"), [("id", '1.200,"96,5",Budi\r\n'), ("en", '"1,200",96.5,Budi\r\n')]
)
def test_numbers_are_written_in_the_readers_notation_in_csv(locale, line):
    assert to_csv([[1200, Decimal("96.5"), "Budi"]], locale).decode("utf-8-sig") == line


def test_numbers_stay_numbers_in_xlsx():
    sheet = load_workbook(io.BytesIO(to_xlsx([[1200, Decimal("96.5"), "1200"]], "x"))).active
    number, fraction, text = sheet[1]
    assert (number.value, number.data_type, number.number_format) == (1200, "n", "#,##0")
    assert (fraction.value, fraction.data_type) == (96.5, "n")
    assert (text.value, text.data_type) == ("1200", "s")


def test_a_download_is_named_and_its_sheet_titled_in_words_not_codes(rated, browser):
    team, period = rated
    browser.login(team["verifikator"].employee.nip)
    response = browser.get(_url(team, period, "xlsx"))
    slug = period.name.lower().replace(" ", "-")
    assert response.headers["Content-Disposition"].endswith(f"filename=recap-dinkes-{slug}.xlsx")
    assert load_workbook(io.BytesIO(response.get_data())).active.title == "Recap DINKES Annual"
    assert period.kind not in response.headers["Content-Disposition"]
