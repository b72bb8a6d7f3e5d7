"""In a real browser: Debian's Chromium, headless, driven through its own chromedriver.

The test setup installs Chromium (`make test` and `.ci/run` do, from Debian's
packages); nothing is downloaded by a tool. Where it cannot be installed these
tests are reported as skipped, unless SIKAP_REQUIRE_BROWSER=1 (as in .ci/run),
where they fail.
"""

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from config import TestingConfig
from tests.factories import PASSWORD, make_period, make_team
from tests.workflow_helpers import appraisal_in_state

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def chrome():
    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        message = "Debian's chromium and chromium-driver are not installed"
        if os.environ.get("SIKAP_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--window-size=1280,900",
    ):  # fmt: skip
        options.add_argument(flag)
    # The console shows what the Content-Security-Policy refused.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


@pytest.fixture
def server(tmp_path):
    """The app served over real HTTP on a free port, on its own SQLite database."""
    from flask_migrate import upgrade

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'b.sqlite'}")
    with app.app_context():
        upgrade()
        team = make_team()
        appraisal = appraisal_in_state(team, make_period(), "plan_review")
        data = {
            "kasi": team["kasi"].employee.nip,
            "name": team["staf"].employee.name,
            "appraisal": appraisal.id,
        }
        db.session.commit()
        db.session.remove()
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}", data
    http.shutdown()
    thread.join(timeout=10)
    with app.app_context():
        db.engine.dispose()


def _wait_for(chrome, css: str, text: str) -> None:
    """Wait until the element shows the text (the page may still be loading)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def shown(driver):
        try:
            return text in driver.find_element(By.CSS_SELECTOR, css).text
        except Exception:  # the old page went away under us
            return False

    WebDriverWait(chrome, 15).until(shown, f"{text!r} never appeared in {css}")


def _sign_in(chrome, base, nip):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    chrome.delete_all_cookies()
    chrome.get(base + "/login")
    chrome.find_element(By.NAME, "login").send_keys(nip)
    chrome.find_element(By.NAME, "password").send_keys(PASSWORD)
    chrome.find_element(By.CSS_SELECTOR, "form button.btn-success").click()
    WebDriverWait(chrome, 15).until(lambda d: "/login" not in d.current_url, "sign-in failed")


def test_sign_in_switch_language_and_approve_a_plan_in_a_browser(chrome, server, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    base, data = server
    chrome.get(base + "/login")
    assert chrome.find_element(By.TAG_NAME, "h1").text == "Masuk ke SIKAP"
    _sign_in(chrome, base, data["kasi"])
    _wait_for(chrome, "nav", "Kotak tugas")

    # The language menu submits itself when changed (a small script; a button without it).
    Select(chrome.find_element(By.ID, "lang")).select_by_value("en")
    _wait_for(chrome, "nav", "Inbox")

    chrome.get(f"{base}/appraisals/{data['appraisal']}")
    assert chrome.find_element(By.CSS_SELECTOR, "svg [aria-current='step']")
    chrome.find_element(By.LINK_TEXT, "Approve the plan").click()
    _wait_for(chrome, "main", "This moves the SKP")
    chrome.find_element(By.CSS_SELECTOR, "main form button.btn-success").click()
    _wait_for(chrome, "main", "Done: Approve the plan.")
    assert "Current step: Self-assessment" in chrome.find_element(By.TAG_NAME, "main").text
    chrome.save_screenshot(str(tmp_path / "appraisal.png"))


def test_pages_fit_a_phone_screen(chrome, server):
    from selenium.webdriver.common.by import By

    base, data = server
    chrome.set_window_size(390, 844)
    try:
        _sign_in(chrome, base, data["kasi"])
        chrome.get(f"{base}/appraisals/{data['appraisal']}")
        _wait_for(chrome, "main", data["name"])
        width = chrome.execute_script("return document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
        # The navigation collapses behind the menu button.
        assert chrome.find_element(By.CSS_SELECTOR, "button.navbar-toggler").is_displayed()
    finally:
        chrome.set_window_size(1280, 900)


@pytest.fixture
def csp_server(tmp_path):
    """Served over HTTP: a plan being drafted, a review to do and a mail in the outbox."""
    from flask_migrate import upgrade

    from app.workflow.engine import fire

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'c.sqlite'}")
    with app.app_context():
        upgrade()
        team = make_team()
        period = make_period()
        plan = appraisal_in_state(team, period, "draft")
        review = appraisal_in_state(team, period, "supervisor_review", "staf2")
        returned = appraisal_in_state(team, make_period(2027), "supervisor_review", "staf2")
        fire(returned, "return_review", team["kasi"], {"comment": "Lengkapi bukti dukung."})
        data = {key: team[key].employee.nip for key in ("staf", "kasi", "admin")}
        data |= {"plan": plan.id, "review": review.id}
        db.session.commit()
        db.session.remove()
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}", data
    http.shutdown()
    thread.join(timeout=10)
    with app.app_context():
        db.engine.dispose()


def _csp_violations(chrome) -> list[str]:
    return [e["message"] for e in chrome.get_log("browser") if "Content Security" in e["message"]]


def test_the_pages_scripts_run_under_the_content_security_policy(chrome, csp_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    base, data = csp_server
    chrome.get_log("browser")  # what earlier tests left
    _sign_in(chrome, base, data["staf"])
    chrome.get(f"{base}/appraisals/{data['plan']}/plan")
    kind = chrome.find_element(By.CSS_SELECTOR, '#plan-form select[name$="-target_kind"]')
    row = kind.find_element(By.XPATH, "ancestor::*[contains(@class, 'row')][1]")
    for value in ("number", "text"):  # plan.js shows the inputs of the chosen target type
        Select(kind).select_by_value(value)
        number = row.find_element(By.CSS_SELECTOR, ".target-number")
        text = row.find_element(By.CSS_SELECTOR, ".target-text")
        assert number.is_displayed() == (value == "number")
        assert text.is_displayed() == (value != "number")

    _sign_in(chrome, base, data["kasi"])
    chrome.get(f"{base}/appraisals/{data['review']}/review")
    Select(chrome.find_element(By.ID, "rating_hk")).select_by_index(1)
    Select(chrome.find_element(By.ID, "rating_pk")).select_by_index(1)
    predikat = chrome.find_element(By.ID, "predikat")  # review.js previews the predikat
    WebDriverWait(chrome, 5).until(lambda d: predikat.get_attribute("data-predikat"))

    _sign_in(chrome, base, data["admin"])
    chrome.get(f"{base}/admin/outbox?status=pending")
    chrome.find_element(By.CSS_SELECTOR, "main a[href^='/admin/outbox/']").click()
    frame = chrome.find_element(By.CSS_SELECTOR, "iframe.mail-preview")
    assert frame.size["height"] > 300  # its height comes from sikap.css
    chrome.switch_to.frame(frame)
    try:
        assert "Lengkapi bukti dukung." in chrome.find_element(By.TAG_NAME, "body").text
        font = chrome.execute_script("return getComputedStyle(document.body).fontFamily")
        assert "Arial" in font  # the mail's own inline styles apply in the preview
    finally:
        chrome.switch_to.default_content()
    assert _csp_violations(chrome) == []
