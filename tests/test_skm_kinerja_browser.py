"""In a real browser, at a phone's 375 px and a laptop's 1366 px: the realisasi of an IKI
bound to a unit layanan and the SKM evidence on the review fit the screen and show."""

from datetime import date

import pytest
from selenium.common.exceptions import TimeoutException

from app.extensions import db
from tests.factories import make_period, make_team
from tests.test_browser import WIDEST_OFFENDER, _serve, _sign_in, screenshot_dir
from tests.test_skm_kinerja import GOOD, STAFF_LOW, _bound, respond, service_unit
from tests.workflow_helpers import appraisal_in_state


@pytest.fixture
def served(tmp_path):
    def build():
        team = make_team()
        period = make_period(2026)
        unit = service_unit(
            team["opd"],
            "PKM-PDB",
            "UPT Puskesmas Padang Bulan",
            positions=[team["staf"].employee.position],
        )
        respond(unit, GOOD + STAFF_LOW, date(2026, 3, 2))
        mine = appraisal_in_state(team, period, "self_assessment")
        iki = _bound(mine, unit)
        reviewed = appraisal_in_state(team, period, "supervisor_review", employee_key="staf2")
        db.session.commit()
        return {
            "staf": team["staf"].employee.nip,
            "kasi": team["kasi"].employee.nip,
            "realisasi": f"/appraisals/{mine.id}/realisasi",
            "iki": iki.id,
            "review": f"/appraisals/{reviewed.id}/review",
        }

    yield from _serve(tmp_path, build)


@pytest.mark.parametrize("width", [375, 1366])
def test_the_bound_realisasi_and_the_review_evidence_fit_the_screen(
    chrome, served, tmp_path, width
):
    from selenium.webdriver.common.by import By

    base, data = served
    shots = screenshot_dir(tmp_path, str(width))
    chrome.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
    )
    pages = [
        ("staf", data["realisasi"], f'[data-bound-iki="{data["iki"]}"]', "83,33"),
        ("kasi", data["review"], "[data-service-evidence]", "83,33"),
    ]
    try:
        for who, path, css, text in pages:
            _sign_in(chrome, base, data[who])
            chrome.get(base + path)
            shown = chrome.find_element(By.CSS_SELECTOR, css)
            chrome.execute_script("arguments[0].scrollIntoView({block: 'center'})", shown)
            name = f"{who}{path.replace('/', '_')}"
            chrome.save_screenshot(str(shots / f"{name}.png"))
            try:
                shown.screenshot(str(shots / f"{name}_skm.png"))
            except TimeoutException:
                # A picture for people to look at, not a check: on a busy machine the
                # renderer can miss chromedriver's 10 s for it once; the page is there.
                shown.screenshot(str(shots / f"{name}_skm.png"))
            assert shown.is_displayed() and text in shown.text
            scroll = chrome.execute_script("return document.documentElement.scrollWidth")
            offender = chrome.execute_script(WIDEST_OFFENDER)
            assert scroll <= width, f"{path} scrolls sideways to {scroll}px: {offender}"
    finally:
        chrome.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
