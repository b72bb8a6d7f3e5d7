"""In Chromium: while rating, a choice that would break the unit's pola distribusi shows the
broken rule before the appraiser saves (app/static/js/review.js under the strict CSP)."""

import pytest

from app.extensions import db
from app.models import Unit
from tests.factories import make_account, make_employee, make_period, make_team
from tests.orgkinerja_helpers import set_capaian
from tests.test_browser import _serve, _sign_in
from tests.workflow_helpers import appraisal_in_state


@pytest.fixture
def server(tmp_path):
    def build():
        team = make_team()
        period = make_period()
        unit = Unit(opd_id=team["opd"].id, name="Bidang Pelayanan Kesehatan")
        db.session.add(unit)
        db.session.flush()
        for key in ("kabid", "kasi", "staf"):
            team[key].employee.position.unit_id = unit.id
        # An Istimewa unit: at most 70 % Sangat Baik. Of the three colleagues (same kasi),
        # two are Sangat Baik already (66.7 %), one Baik.
        set_capaian(team["opd"].id, period.id, "istimewa", unit_id=unit.id)
        staf = team["staf"].employee.position
        team["staf3"] = make_account(make_employee("Sari Lubis", staf))
        team["staf4"] = make_account(make_employee("Tigor Simatupang", staf))
        for key, predikat in (
            ("staf2", "sangat_baik"),
            ("staf3", "sangat_baik"),
            ("staf4", "baik"),
        ):
            colleague = appraisal_in_state(team, period, "verification", key)
            colleague.predikat = predikat
        rated = appraisal_in_state(team, period, "supervisor_review", "staf")
        rated.rating_hk = rated.rating_pk = rated.predikat = None
        return {"kasi": team["kasi"].employee.nip, "appraisal": rated.id}

    yield from _serve(tmp_path, build)


def test_choosing_a_rating_that_breaks_the_units_pattern_shows_the_rule(chrome, server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    base, data = server
    _sign_in(chrome, base, data["kasi"])
    chrome.get(f"{base}/appraisals/{data['appraisal']}/review")
    warning = chrome.find_element(By.ID, "distribution-warning")
    assert not warning.is_displayed()
    unit_rule = '[data-panel="unit"] [data-rule="0"]'
    assert chrome.find_element(By.CSS_SELECTOR, unit_rule).get_attribute("data-rule-holds") == (
        "yes"
    )

    # Di Atas / Di Atas is Sangat Baik: 3 of 4 in the unit (75 %), above the 70 % allowed.
    Select(chrome.find_element(By.ID, "rating_hk")).select_by_value("di_atas")
    Select(chrome.find_element(By.ID, "rating_pk")).select_by_value("di_atas")
    WebDriverWait(chrome, 10).until(lambda d: warning.is_displayed(), "no warning shown")
    broken = chrome.find_element(By.ID, "distribution-broken").text
    assert "Bidang Pelayanan Kesehatan" in broken and "Sangat Baik" in broken and "70" in broken
    rule = chrome.find_element(By.CSS_SELECTOR, unit_rule)
    assert rule.get_attribute("data-rule-holds") == "no"
    assert rule.find_element(By.CSS_SELECTOR, "[data-share]").text == "75"

    # Sesuai / Sesuai is Baik: 2 Sangat Baik of 4 (50 %) keeps the pattern again.
    Select(chrome.find_element(By.ID, "rating_hk")).select_by_value("sesuai")
    Select(chrome.find_element(By.ID, "rating_pk")).select_by_value("sesuai")
    WebDriverWait(chrome, 10).until(lambda d: not warning.is_displayed(), "warning stayed")
    assert chrome.find_element(By.CSS_SELECTOR, unit_rule).get_attribute("data-rule-holds") == (
        "yes"
    )
    # Nothing was saved: the page only previews.
    errors = [e for e in chrome.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors
