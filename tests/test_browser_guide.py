"""The tour, the terms and the guide's pages in Chromium (see tests/test_browser.py)."""

import os
from pathlib import Path

import pytest

from app.extensions import db
from app.models import Announcement
from tests.factories import make_account, make_employee, make_period, make_team
from tests.test_browser import PHONE, WIDEST_OFFENDER, _csp_violations, _serve, _sign_in
from tests.workflow_helpers import appraisal_in_state


@pytest.fixture
def site(tmp_path):
    def build():
        team = make_team()
        newcomer = make_account(
            make_employee("Nur Hasibuan", team["staf"].employee.position), tour_seen=False
        )
        review = appraisal_in_state(team, make_period(), "supervisor_review")
        db.session.add(Announcement(title="Tenggat rencana SKP", body="Paling lambat 31 Januari.",
                                    audience="city", created_by_id=team["admin"].id))  # fmt: skip
        db.session.flush()
        return {
            "newcomer": newcomer.employee.nip,
            "kasi": team["kasi"].employee.nip,
            "admin": team["admin"].employee.nip,
            "review": review.id,
            "announcement": db.session.query(Announcement.id).scalar(),
        }

    yield from _serve(tmp_path, build)


def _tour_open(chrome) -> bool:
    script = "const d = document.getElementById('tour'); return !!(d && d.open);"
    return chrome.execute_script(script)


def test_the_tour_shows_once_closes_with_esc_and_can_be_replayed(chrome, site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    base, data = site
    chrome.get_log("browser")
    _sign_in(chrome, base, data["newcomer"])
    WebDriverWait(chrome, 10).until(_tour_open, "the tour did not open after the first sign-in")
    dialog = chrome.find_element(By.ID, "tour")
    # Focus is inside the dialog, on the first step's title; Next moves on, Back returns.
    assert chrome.switch_to.active_element.get_attribute("id") == "tour-title-1"
    dialog.find_element(By.CSS_SELECTOR, "[data-tour-next]").click()
    assert chrome.switch_to.active_element.get_attribute("id") == "tour-title-2"
    assert dialog.get_attribute("aria-labelledby") == "tour-title-2"
    chrome.switch_to.active_element.send_keys(Keys.ESCAPE)
    WebDriverWait(chrome, 5).until(lambda d: not _tour_open(d), "Esc did not close the tour")

    # Shown once: the next visit to Beranda has no tour (the flag was posted when shown).
    WebDriverWait(chrome, 10).until(
        lambda d: (d.refresh() or True) and not d.find_elements(By.ID, "tour"),
        "the tour is still there after it was shown",
    )
    # Replayed from the account page.
    chrome.get(base + "/account")
    chrome.find_element(By.CSS_SELECTOR, "a[data-tour-replay]").click()
    WebDriverWait(chrome, 10).until(_tour_open, "the replay did not open the tour")
    dialog = chrome.find_element(By.ID, "tour")
    steps = dialog.find_elements(By.CSS_SELECTOR, "[data-tour-step]")
    for _ in steps[1:]:
        dialog.find_element(By.CSS_SELECTOR, "[data-tour-next]").click()
    assert dialog.find_element(By.CSS_SELECTOR, "[data-tour-done]").is_displayed()
    dialog.find_element(By.CSS_SELECTOR, "[data-tour-close]").click()
    assert not _tour_open(chrome)
    # A replay is not a first showing: Beranda stays without the tour.
    chrome.get(base + "/")
    assert not chrome.find_elements(By.ID, "tour")
    assert _csp_violations(chrome) == []


def test_a_term_shows_its_definition_on_focus(chrome, site):
    from selenium.webdriver.common.by import By

    base, data = site
    _sign_in(chrome, base, data["kasi"])
    chrome.get(f"{base}/appraisals/{data['review']}/review")
    abbr = chrome.find_element(By.XPATH, "//abbr[text()='Predikat']")
    tip = chrome.find_element(By.ID, abbr.get_attribute("aria-describedby"))
    assert tip.size["width"] <= 1  # hidden until wanted
    chrome.execute_script("arguments[0].focus()", abbr)
    assert tip.size["width"] > 50 and "matriks" in tip.text
    assert _csp_violations(chrome) == []


def test_the_guide_pages_fit_a_phone(chrome, site, tmp_path):
    from selenium.webdriver.common.by import By

    base, data = site
    shots = Path(os.environ.get("SIKAP_SCREENSHOTS") or tmp_path / "phone")
    shots.mkdir(parents=True, exist_ok=True)
    width, height = PHONE
    pages = [
        ("newcomer", "/"),
        ("newcomer", "/panduan/"),
        ("newcomer", "/panduan/aturan-predikat"),
        ("newcomer", "/panduan/contoh-tenaga-kesehatan"),
        ("newcomer", "/panduan/glosarium"),
        ("admin", "/admin/announcements"),
        ("admin", "/admin/announcements/new"),
        ("admin", f"/admin/announcements/{data['announcement']}"),
    ]
    chrome.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
    problems, signed_in = [], None
    try:
        for who, path in pages:
            if who != signed_in:
                _sign_in(chrome, base, data[who])
                signed_in = who
            chrome.get(base + path)
            chrome.find_element(By.CSS_SELECTOR, "main")
            chrome.save_screenshot(str(shots / f"guide_{who}{path.replace('/', '_')}.png"))
            scroll = chrome.execute_script("return document.documentElement.scrollWidth")
            if scroll > width:
                worst = chrome.execute_script(WIDEST_OFFENDER)
                problems.append(f"{who} {path}: scrolls sideways to {scroll}px ({worst})")
            if _tour_open(chrome):
                box = chrome.find_element(By.ID, "tour").rect
                if box["x"] < 0 or box["x"] + box["width"] > width:
                    problems.append(f"{path}: the tour is wider than the phone ({box})")
            elif not chrome.find_elements(By.CSS_SELECTOR, "[data-primary-action]"):
                problems.append(f"{who} {path}: no element marked data-primary-action")
    finally:
        chrome.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert not problems, "\n".join(problems)
