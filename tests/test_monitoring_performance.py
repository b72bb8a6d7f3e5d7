"""The monitor's performance and trends pages, the public page and one's own trend (issue 15).

The seeded Dinas Kesehatan, counted by hand (annual SKP 2026):

  Bidang Pelayanan   staf final Baik, staf2 final Sangat Baik, kasi at review Baik, kabid draft
  Sekretariat        kasubbag final Butuh Perbaikan, sek1 final Baik, sek2 self-assessment
  (no unit)          kadis self-assessment (opened as the kasubbag's atasan)

  8 SKP, 4 final (50,0 %); predikat: Sangat Baik 1, Baik 3, Butuh Perbaikan 1 (5 rated).
  The OPD's capaian 90,00 gives Baik: Baik 3/5 = 60 % <= 70 % and one Butuh Perbaikan: holds.
  Bidang Pelayanan has no capaian of its own: its employees count in the OPD's pattern.
  Sekretariat's own capaian 110,00 gives Istimewa: Sangat Baik 0 % <= 70 %: holds.

  The PK 2026: imunisasi 76 of 95 (80 %), kematian ibu 48 against at most 60 (125 %): 102,50.

  2025: staf and staf2 final Baik, kasi self-assessment (2 of 3 final, 66,7 %); capaian 70,00.
  IKM of the Puskesmas (in Bidang Pelayanan): Q1 2026 two answers all 4 and two all 3
  (NRR 3,5: 87,50 B); Q2 2026 two all 3 (75,00 C); the year 2026 NRR 20/6: 83,33 B;
  2025 one all 4 (100,00 A).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.extensions import db
from app.models import Appraisal, Employee, Unit
from app.monitoring import charts
from app.monitoring.kinerja import city_performance, opd_performance, pk_lines
from app.monitoring.trends import trend
from app.pk.services import add_indikator, add_sasaran, ensure_pk, set_realisasi
from tests.factories import make_account, make_employee, make_opd, make_period, make_position
from tests.orgkinerja_helpers import set_capaian
from tests.skm_helpers import make_service_unit
from tests.test_accessibility import axe_source  # noqa: F401 (a fixture)
from tests.test_browser import city  # noqa: F401 (a fixture)
from tests.test_query_budget import BUDGET, _statements
from tests.test_skm_index import add_responses
from tests.workflow_helpers import appraisal_in_state


def _rated(team, period, key: str, state: str, predikat: str | None):
    """The employee's SKP of the period in `state` with `predikat` (made if need be: filling
    a staff plan opens the atasan's SKP to link to)."""
    appraisal = db.session.scalars(
        sa.select(Appraisal).where(
            Appraisal.employee_id == team[key].employee_id, Appraisal.period_id == period.id
        )
    ).first()
    if appraisal is None:
        appraisal = appraisal_in_state(team, period, state, employee_key=key)
    appraisal.state, appraisal.predikat = state, predikat
    db.session.flush()
    return appraisal


@pytest.fixture
def org(team):
    opd = team["opd"]
    pelayanan = Unit(opd_id=opd.id, name="Bidang Pelayanan Kesehatan")
    sekretariat = Unit(opd_id=opd.id, name="Sekretariat")
    db.session.add_all([pelayanan, sekretariat])
    db.session.flush()
    for key in ("kabid", "kasi", "staf"):
        team[key].employee.position.unit_id = pelayanan.id
    kadis_position = team["kadis"].employee.position
    kasubbag = make_position(opd, "Kepala Subbagian Umum", "pengawas", kadis_position)
    pengadministrasi = make_position(opd, "Pengadministrasi Umum", "pelaksana", kasubbag)
    kasubbag.unit_id = pengadministrasi.unit_id = sekretariat.id
    team["kasubbag"] = make_account(make_employee("Kasubbag Ginting", kasubbag))
    team["sek1"] = make_account(make_employee("Sari Purba", pengadministrasi))
    team["sek2"] = make_account(make_employee("Tono Sembiring", pengadministrasi))
    other = make_opd("DISDIK", "Dinas Pendidikan", "dinas")
    team["other_head"] = make_account(
        make_employee("Kadis Pendidikan", make_position(other, "Kepala Dinas Pendidikan", "jpt"))
    )
    db.session.flush()

    old = make_period(2025, status="closed")
    now = make_period(2026)
    make_period(2026, "tw1", workflow="skp_periodic")
    _rated(team, old, "staf", "final", "baik")
    _rated(team, old, "staf2", "final", "baik")
    _rated(team, old, "kasi", "self_assessment", None)
    _rated(team, now, "staf", "final", "baik")
    _rated(team, now, "staf2", "final", "sangat_baik")
    _rated(team, now, "kasi", "supervisor_review", "baik")
    _rated(team, now, "kabid", "draft", None)
    _rated(team, now, "kasubbag", "final", "butuh_perbaikan")
    _rated(team, now, "sek1", "final", "baik")
    _rated(team, now, "sek2", "self_assessment", None)
    _rated(team, now, "kadis", "self_assessment", None)
    set_capaian(opd.id, now.id, "baik")
    set_capaian(opd.id, now.id, "istimewa", unit_id=sekretariat.id)
    set_capaian(opd.id, old.id, "butuh_perbaikan")

    pk = ensure_pk(opd.id, 2026)
    sasaran = add_sasaran(pk, "Meningkatnya derajat kesehatan masyarakat")
    for text, unit, direction, target, realisasi in (
        ("Cakupan imunisasi dasar lengkap", "%", "higher", 95, 76),
        ("Angka kematian ibu per 100.000 kelahiran hidup", "kasus", "lower", 60, 48),
    ):
        indikator = add_indikator(
            sasaran, text=text, unit=unit, direction=direction, tolerance=None,
            target_year=Decimal(target), quarters=dict.fromkeys((1, 2, 3, 4)),
        )  # fmt: skip
        set_realisasi(indikator, None, Decimal(realisasi))

    puskesmas = make_service_unit(opd)
    puskesmas.unit_id = pelayanan.id
    add_responses(puskesmas, date(2026, 2, 10), [[4] * 9, [4] * 9, [3] * 9, [3] * 9])
    add_responses(puskesmas, date(2026, 5, 5), [[3] * 9, [3] * 9])
    add_responses(puskesmas, date(2025, 8, 1), [[4] * 9])
    db.session.commit()
    team |= {
        "now": now,
        "old": old,
        "other": other,
        "pelayanan": pelayanan,
        "sekretariat": sekretariat,
    }
    return team


def _row(rows, label):
    return next(r for r in rows if r.label == label)


def test_city_figures_are_the_hand_counted_ones(org, app):
    with app.test_request_context():
        rows, city = city_performance(org["now"])
    dinkes = _row(rows, "Dinas Kesehatan")
    assert (dinkes.total, dinkes.final, dinkes.completion) == (8, 4, Decimal("50.0"))
    assert dinkes.counts == {
        "sangat_baik": 1,
        "baik": 3,
        "butuh_perbaikan": 1,
        "kurang": 0,
        "sangat_kurang": 0,
    }
    assert dinkes.capaian == Decimal("90.00") and dinkes.org_predikat == "baik"
    assert dinkes.check is not None and not dinkes.check.breaks
    assert dinkes.ikm.ikm == Decimal("83.33") and dinkes.ikm.grade == "B"
    assert _row(rows, "Dinas Pendidikan").total == 0
    assert (city.total, city.final) == (8, 4)


def test_opd_figures_per_unit_against_the_pattern(org, app):
    with app.test_request_context():
        rows, whole = opd_performance(org["now"], org["opd"])
    pelayanan = _row(rows, "Bidang Pelayanan Kesehatan")
    assert (pelayanan.total, pelayanan.final, pelayanan.completion) == (4, 2, Decimal("50.0"))
    assert pelayanan.counts["baik"] == 2 and pelayanan.counts["sangat_baik"] == 1
    # No capaian of its own: its employees count in the OPD's pattern (checked there).
    assert pelayanan.capaian is None and pelayanan.check is None
    assert pelayanan.pattern_from == "Dinas Kesehatan"
    assert pelayanan.ikm.ikm == Decimal("83.33") and pelayanan.service_units == 1
    sekretariat = _row(rows, "Sekretariat")
    assert (sekretariat.total, sekretariat.final) == (3, 2)
    assert sekretariat.capaian == Decimal("110.00") and sekretariat.org_predikat == "istimewa"
    assert not sekretariat.check.breaks and sekretariat.ikm is None
    assert (whole.total, whole.final, whole.rated) == (8, 4, 5)
    assert next(r for r in rows if r.key is None).total == 1  # the kadis, in no unit


def test_pk_indicators_realisasi_against_target(org, app):
    with app.test_request_context():
        lines, capaian = pk_lines(org["now"], org["opd"].id)
    assert [(line.target, line.realisasi, line.capaian.percent) for line in lines] == [
        (Decimal(95), Decimal(76), Decimal("80.00")),
        (Decimal(60), Decimal(48), Decimal("125.00")),
    ]
    assert capaian == Decimal("102.50")


def test_trend_across_two_years_and_the_quarters(org, app):
    with app.test_request_context():
        found = trend(org["opd"].id)
    by_year = {r.period.year: r for r in found.years}
    assert (by_year[2025].total, by_year[2025].completion) == (3, Decimal("66.7"))
    assert by_year[2025].counts["baik"] == 2 and by_year[2025].capaian == Decimal("70.00")
    assert by_year[2025].ikm.ikm == Decimal("100.00")
    assert (by_year[2026].total, by_year[2026].completion) == (8, Decimal("50.0"))
    assert by_year[2026].ikm.ikm == Decimal("83.33")
    (tw1,) = found.quarters
    assert tw1.total == 0 and tw1.ikm.ikm == Decimal("87.50") and tw1.ikm.grade == "B"


def _cell(page: str, row: str, attribute: str) -> str:
    match = re.search(rf'<tr data-row="{row}".*?data-{attribute}>([^<]*)<', page, re.S)
    assert match, (row, attribute)
    return match.group(1).strip()


def test_admin_sees_the_city_and_an_opd(org, browser):
    browser.login(org["admin"].employee.nip)
    page = browser.get(f"/monitor/kinerja?period={org['now'].id}").get_data(as_text=True)
    opd = org["opd"].id
    assert _cell(page, str(opd), "total") == "8"
    assert _cell(page, str(opd), "completion") == "50"
    page = browser.get(f"/monitor/kinerja?opd={opd}&period={org['now'].id}").get_data(as_text=True)
    assert _cell(page, str(org["pelayanan"].id), "completion") == "50"
    assert 'data-pattern="holds"' in page and 'data-pattern="none"' in page
    assert _cell(page, "whole", "ikm").startswith("83,33")
    trends = browser.get(f"/monitor/kinerja/tren?opd={opd}").get_data(as_text=True)
    assert 'data-period="2025-annual"' in trends and 'id="chart-tahunan-lines"' in trends


def test_kepala_opd_sees_only_their_opd(org, browser):
    browser.login(org["kadis"].employee.nip)
    page = browser.get("/monitor/kinerja").get_data(as_text=True)
    assert "Bidang Pelayanan Kesehatan" in page  # their OPD, per unit
    other = org["other"].id
    assert browser.get(f"/monitor/kinerja?opd={other}").status_code == 404
    assert browser.get(f"/monitor/kinerja/tren?opd={other}").status_code == 404
    assert browser.get(f"/monitor/kinerja/kinerja.csv?opd={other}").status_code == 404
    browser.logout()
    browser.login(org["other_head"].employee.nip)
    assert browser.get(f"/monitor/kinerja?opd={org['opd'].id}").status_code == 404


def test_pegawai_may_not_open_the_monitor(org, browser):
    browser.login(org["staf"].employee.nip)
    assert browser.get("/monitor/kinerja").status_code == 403
    assert browser.get("/monitor/kinerja/tren").status_code == 403


def test_own_trend_shows_each_period(org, browser):
    browser.login(org["staf"].employee.nip)
    assert "/my-skp/tren" in browser.get("/my-skp").get_data(as_text=True)
    page = browser.get("/my-skp/tren").get_data(as_text=True)
    rows = re.findall(r'<tr data-period="(\d{4}-\w+)".*?data-predikat="(\w*)"', page, re.S)
    assert rows == [("2025-annual", "baik"), ("2026-annual", "baik")]
    assert 'id="chart-my-predikat"' in page and "data-capaian>90<" in page


def test_public_page_names_nobody(org, client):
    response = client.get("/kinerja")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'<tr data-opd="{org["opd"].id}">' in page and "data-city-completion>50 %" in page
    assert "/ikm/KTR4PQ" in page
    for name, nip in db.session.execute(sa.select(Employee.name, Employee.nip)):
        assert name not in page and nip not in page


def test_exports_parse(org, browser):
    browser.login(org["admin"].employee.nip)
    opd, period = org["opd"].id, org["now"].id
    response = browser.get(f"/monitor/kinerja/kinerja.xlsx?opd={opd}&period={period}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[-1][:3] == ("Dinas Kesehatan", 8, 4)
    response = browser.get(f"/monitor/kinerja/tahunan.csv?opd={opd}")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["2025", "2026"] and rows[2][3] == "50"
    response = browser.get(f"/monitor/kinerja/triwulan.csv?opd={opd}")
    assert response.status_code == 200 and response.data.decode("utf-8-sig").count("\n") == 2


def _add_history(team, years) -> None:
    """More annual periods, each with SKP, a capaian and IKM responses."""
    unit = db.session.scalars(sa.select(Unit).where(Unit.name == "Sekretariat")).one()
    from app.models import ServiceUnit

    puskesmas = db.session.scalars(sa.select(ServiceUnit)).first()
    for year in years:
        period = make_period(year, status="closed")
        for key in ("staf", "staf2", "sek1"):
            _rated(team, period, key, "final", "baik")
        set_capaian(team["opd"].id, period.id, "baik")
        set_capaian(team["opd"].id, period.id, "baik", unit_id=unit.id)
        add_responses(puskesmas, date(year, 3, 1), [[4] * 9])
    db.session.commit()


PAGES = [
    ("admin", "/monitor/kinerja"),
    ("admin", "/monitor/kinerja?opd={opd}"),
    ("admin", "/monitor/kinerja/tren"),
    ("kadis", "/monitor/kinerja/tren?opd={opd}"),
    ("kadis", "/monitor/kinerja"),
    ("staf", "/my-skp/tren"),
]


def test_pages_stay_within_budget_as_the_years_grow(org, app):
    def measure():
        counts = {}
        for who, path in PAGES:
            status, count = _statements(app, org[who].employee.nip, path.format(opd=org["opd"].id))
            assert status == 200, path
            counts[path, who] = count
        return counts

    before = measure()
    _add_history(org, [2021, 2022, 2023, 2024])
    after = measure()
    assert before == after
    assert max(after.values()) <= BUDGET, after


def test_public_page_stays_within_budget(org, app):
    app.config["SKM_PUBLIC_CACHE_SECONDS"] = 0
    client = app.test_client()
    from tests.test_query_budget import StatementCounter

    db.session.commit()
    counter = StatementCounter(db.engine)
    with counter:
        assert client.get("/kinerja").status_code == 200
    before = counter.count
    _add_history(org, [2022, 2023])
    with counter:
        assert client.get("/kinerja").status_code == 200
    assert counter.count == before <= BUDGET


def test_line_chart_scale_reaches_the_highest_value():
    assert charts.line_chart(["a", "b"], [("x", [Decimal(40), Decimal(100)])]).ticks[-1][1] == "100"
    assert charts.line_chart(["a"], [("x", [Decimal("103.5")])]).ticks[-1][1] == "120"
    ranks = charts.line_chart(["a", "b"], [("p", [5, 1])], top=5, tick_labels={1: "low", 5: "high"})
    high, low = (point.y for point in ranks.series[0].points)
    assert high < low  # the better predikat is drawn higher, within the 0-5 scale


MONITOR_PAGES = [
    ("admin", "/monitor/kinerja"),
    ("admin", "/monitor/kinerja/tren"),
    ("kadis", "/monitor/kinerja"),
    ("kadis", "/monitor/kinerja/tren"),
    ("staf", "/my-skp/tren"),
    (None, "/kinerja"),
]


def test_monitor_pages_pass_axe_and_fit_a_phone(chrome, city, axe_source):  # noqa: F811
    """No serious accessibility violation at 1366 px; nothing scrolls sideways at 375 px."""
    from tests.test_accessibility import RUN_AXE
    from tests.test_browser import _sign_in

    base, data = city
    chrome.set_script_timeout(30)
    problems = []
    for width in (1366, 375):
        chrome.set_window_size(width, 900)
        signed_in = "?"
        for who, path in MONITOR_PAGES:
            if who != signed_in:
                chrome.delete_all_cookies()
                if who is not None:
                    _sign_in(chrome, base, data["nips"][who])
                signed_in = who
            chrome.get(base + path)
            assert chrome.find_element("css selector", "main")
            if width == 1366:
                chrome.execute_script(axe_source)
                for rule, impact, text, targets in chrome.execute_async_script(RUN_AXE):
                    problems.append(f"{who} {path}: {rule} ({impact}) {text}: {targets}")
            elif chrome.execute_script(
                "return document.documentElement.scrollWidth > document.documentElement.clientWidth"
            ):
                problems.append(f"{who} {path}: scrolls sideways at 375 px")
    assert not problems, "\n".join(problems)
