"""Consequences pages: the kenaikan pangkat list with its reasons, the TPP export's numbers,
rewards, angka kredit over two years, and the statements each page costs."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.extensions import db
from app.models import Appraisal, FollowupSetting, Period
from app.models.types import utcnow
from tests import factories
from tests.test_followup_talent import YEAR, final, mapped, score  # noqa: F401
from tests.test_query_budget import BUDGET, _statements


def period(year: int, kind: str = "annual") -> Period:
    return db.session.scalar(sa.select(Period).where(Period.year == year, Period.kind == kind))


def rows_of(page: str, attribute: str = "data-employee") -> dict[str, str]:
    parts = page.split(f'{attribute}="')[1:]
    return {part.split('"')[0]: part.split("</tr>")[0] for part in parts}


def test_promotion_list_gives_each_reason(mapped, browser):  # noqa: F811
    browser.login(mapped["admin"].employee.nip)
    page = browser.get(f"/konsekuensi/kenaikan-pangkat?opd={mapped['opd'].id}&year={YEAR}")
    rows = rows_of(page.get_data(as_text=True))
    nip = {k: mapped[k].employee.nip for k in ("kadis", "kabid", "kasi", "staf", "staf2")}
    # SB+SB, B+SB, B+B: eligible.
    for key in ("kadis", "kabid", "kasi"):
        assert 'data-eligible="yes"' in rows[nip[key]]
    # B then Butuh Perbaikan: 2025 below Baik.
    assert 'data-eligible="no"' in rows[nip["staf"]]
    assert "Butuh Perbaikan pada 2025, di bawah Baik." in rows[nip["staf"]]
    # Kurang then Butuh Perbaikan: both years named.
    assert "Kurang pada 2024, di bawah Baik." in rows[nip["staf2"]]
    assert "Butuh Perbaikan pada 2025, di bawah Baik." in rows[nip["staf2"]]
    # Nina Baru: only 2025 is final.
    nina = next(v for v in rows.values() if "Nina Baru" in v)
    assert "Belum ada predikat tahunan final untuk 2024." in nina


def test_tpp_export_numbers(mapped, browser):  # noqa: F811
    """March 2025 is Triwulan I: its own evaluation counts before the annual SKP."""
    tw1 = factories.make_period(YEAR, kind="tw1", workflow="skp_periodic")
    final(mapped["staf"].employee, tw1, "kurang")  # 0.60
    kabid = mapped["kabid"].employee
    running = final(kabid, tw1, "baik")
    running.state, running.finalised_at, running.predikat = "self_assessment", None, None  # 0.00
    db.session.add(
        FollowupSetting(
            key="tpp_table",
            value={
                "by_predikat": {
                    "sangat_baik": "1",
                    "baik": "1",
                    "butuh_perbaikan": "0.7",
                    "kurang": "0.6",
                    "sangat_kurang": "0.4",
                },
                "incomplete": "0",
            },
        )
    )
    db.session.commit()
    browser.login(mapped["admin"].employee.nip)
    url = f"/konsekuensi/tpp.xlsx?opd={mapped['opd'].id}&year={YEAR}&month=3"
    response = browser.get(url)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    table = list(sheet.iter_rows(values_only=True))
    factor = {row[0]: Decimal(str(row[-1])) for row in table[1:]}
    nip = {k: mapped[k].employee.nip for k in ("kadis", "kabid", "kasi", "staf", "staf2")}
    nina = next(row[0] for row in table[1:] if row[1] == "Nina Baru")
    assert factor == {
        nip["kadis"]: Decimal("1"),  # annual Sangat Baik
        nip["kabid"]: Decimal("0"),  # Triwulan I not final yet
        nip["kasi"]: Decimal("1"),  # annual Baik
        nip["staf"]: Decimal("0.6"),  # Triwulan I Kurang
        nip["staf2"]: Decimal("0.7"),  # annual Butuh Perbaikan, BKD's 0.7
        nina: Decimal("1"),  # annual Baik
    }
    assert table[0][-1] == "Faktor TPP"
    page = browser.get(url.replace(".xlsx", "")).get_data(as_text=True)
    assert 'data-tpp-default="no"' in page


def test_tpp_page_says_the_default_table_is_our_reading(mapped, browser):  # noqa: F811
    browser.login(mapped["kadis"].employee.nip)
    page = browser.get(f"/konsekuensi/tpp?year={YEAR}&month=1").get_data(as_text=True)
    assert 'data-tpp-default="yes"' in page
    assert "pembacaan kami atas Perwali sampai BKD mengonfirmasinya" in page


def test_admin_sets_the_tpp_table(mapped, browser):  # noqa: F811
    browser.login(mapped["admin"].employee.nip)
    data = {"sangat_baik": "1", "baik": "1", "butuh_perbaikan": "0,75", "kurang": "0.5"}
    data |= {"sangat_kurang": "0.25", "incomplete": "0"}
    assert browser.post("/konsekuensi/tabel-tpp", data).status_code == 302
    value = db.session.get(FollowupSetting, "tpp_table").value
    assert value["by_predikat"]["butuh_perbaikan"] == "0.75"
    page = browser.post("/konsekuensi/tabel-tpp", data | {"kurang": "2"}).get_data(as_text=True)
    assert "is-invalid" in page


def test_rewards_are_sangat_baik_or_box_9(mapped, browser):  # noqa: F811
    browser.login(mapped["admin"].employee.nip)
    page = browser.get(f"/konsekuensi/penghargaan?opd={mapped['opd'].id}&year={YEAR}")
    rows = rows_of(page.get_data(as_text=True))
    assert set(rows) == {mapped["kadis"].employee.nip, mapped["kabid"].employee.nip}


@pytest.fixture
def perawat(mapped):  # noqa: F811
    """A perawat promoted from ahli pertama to ahli muda on 1 March 2025."""
    opd = mapped["opd"]
    position = factories.make_position(
        opd, "Perawat Ahli Muda", "fungsional", mapped["kasi"].employee.position
    )
    account = factories.make_account(factories.make_employee("Ners Rahmawati", position))
    employee = account.employee
    final(employee, period(YEAR - 1), "sangat_baik").position_name = "Perawat Ahli Pertama"
    first = final(employee, period(YEAR), "baik")
    first.end_date, first.position_name = date(YEAR, 2, 28), "Perawat Ahli Pertama"
    second = Appraisal(
        employee_id=employee.id,
        period_id=period(YEAR).id,
        opd_id=opd.id,
        segment=2,
        start_date=date(YEAR, 3, 1),
        end_date=date(YEAR, 12, 31),
        position_name="Perawat Ahli Muda",
        workflow="skp_annual",
        state="final",
        predikat="baik",
        finalised_at=utcnow() - timedelta(days=1),
        approach="kuantitatif",
    )
    db.session.add(second)
    db.session.commit()
    return account


def test_angka_kredit_accumulated_over_two_years(perawat, browser):
    """2024: ahli pertama, Sangat Baik, 12 months: 150 % x 12.5 = 18.750.
    2025: ahli pertama, Baik, Jan-Feb: 2/12 x 100 % x 12.5 = 2.083;
          ahli muda, Baik, Mar-Dec: 10/12 x 100 % x 25 = 20.833.
    Accumulated: 18.750 + 2.083 + 20.833 = 41.666."""
    browser.login(perawat.employee.nip)
    page = browser.get(f"/konsekuensi/angka-kredit/{perawat.employee_id}").get_data(True)
    amounts = [part.split('"')[0] for part in page.split('data-amount="')[1:]]
    assert amounts == ["18.750", "2.083", "20.833"]
    assert 'data-total="41.666"' in page
    # The my-skp page links to it.
    assert f"/konsekuensi/angka-kredit/{perawat.employee_id}" in browser.get("/my-skp").get_data(
        True
    )


def test_angka_kredit_list_and_who_may_see_one_employee(perawat, mapped, browser):  # noqa: F811
    browser.login(mapped["admin"].employee.nip)
    page = browser.get(f"/konsekuensi/angka-kredit?opd={mapped['opd'].id}").get_data(True)
    assert 'data-total="41.666"' in page
    browser.logout()
    for who, code in (("staf", 404), ("kasi", 404), ("kadis", 200), ("kadis_b", 404)):
        browser.login(mapped[who].employee.nip)
        assert browser.get(f"/konsekuensi/angka-kredit/{perawat.employee_id}").status_code == code
        browser.logout()


def test_consequences_pages_stay_within_budget_as_the_data_grows(app, perawat, mapped):  # noqa: F811
    nip, opd = mapped["admin"].employee.nip, mapped["opd"].id
    paths = [
        f"/konsekuensi/kenaikan-pangkat?opd={opd}&year={YEAR}",
        f"/konsekuensi/penghargaan?year={YEAR}",
        f"/konsekuensi/tpp?opd={opd}&year={YEAR}&month=5",
        f"/konsekuensi/angka-kredit?year={YEAR}",
        f"/konsekuensi/angka-kredit/{perawat.employee_id}",
    ]
    few = [_statements(app, nip, path) for path in paths]
    position = perawat.employee.position
    for i in range(15):
        employee = factories.make_employee(f"Perawat {i}", position)
        final(employee, period(YEAR - 1), "baik")
        final(employee, period(YEAR), "sangat_baik")
        score(employee, "85", importer=mapped["admin"])
    db.session.commit()
    many = [_statements(app, nip, path) for path in paths]
    assert all(status == 200 for status, _ in few + many)
    assert [count for _, count in few] == [count for _, count in many]
    assert max(count for _, count in many) <= BUDGET
