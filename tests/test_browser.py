"""In a real browser: Debian's Chromium, headless, driven through its own chromedriver.

The test setup installs Chromium (`make test` and `.ci/run` do, from Debian's
packages); nothing is downloaded by a tool. Where it cannot be installed these
tests are reported as skipped, unless SIKAP_REQUIRE_BROWSER=1 (as in .ci/run),
where they fail.
"""

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.appraisals.services import open_appraisal
from app.extensions import db
from config import TestingConfig
from tests.factories import (
    PASSWORD,
    make_account,
    make_employee,
    make_period,
    make_team,
    make_tim_kerja,
)
from tests.workflow_helpers import appraisal_in_state


def _serve(tmp_path, build):
    """The app served over real HTTP on a free port, on its own SQLite database.

    Yields (base URL, what `build` returned after making the data).
    """
    from flask_migrate import upgrade

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'b.sqlite'}")
    with app.app_context():
        upgrade()
        data = build()
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


@pytest.fixture
def server(tmp_path):
    def build():
        team = make_team()
        appraisal = appraisal_in_state(team, make_period(), "plan_review")
        return {
            "kasi": team["kasi"].employee.nip,
            "name": team["staf"].employee.name,
            "appraisal": appraisal.id,
        }

    yield from _serve(tmp_path, build)


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
    _wait_for(chrome, "main", "The SKP plan of Dian Anggraini has been approved")
    assert "Current step: Self-assessment" in chrome.find_element(By.TAG_NAME, "main").text
    chrome.save_screenshot(str(tmp_path / "appraisal.png"))


PHONE = (375, 800)

# The widest element that sticks out of the viewport, outside any scrolling container
# (a .table-responsive may be wider inside; it scrolls itself): [tag, class, right edge].
WIDEST_OFFENDER = """
const limit = window.innerWidth;
let worst = null, right = limit;
for (const el of document.body.querySelectorAll('*')) {
  const box = el.getBoundingClientRect();
  if (box.right <= right + 0.5 || box.width === 0) continue;
  let clipped = false;
  for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
    if (getComputedStyle(up).overflowX !== 'visible') { clipped = true; break; }
  }
  if (!clipped) { worst = el; right = box.right; }
}
return worst && [worst.tagName.toLowerCase(), String(worst.className), Math.round(right)];
"""


@pytest.fixture
def city(tmp_path):
    """The browser tests' team with an appraisal at each step a role works on, served."""

    def build():
        team = make_team()
        staf = team["staf"].employee.position
        for key, name in (("staf3", "Sari Ginting"), ("staf4", "Andi Harahap")):
            team[key] = make_account(make_employee(name, staf))
        team["staf5"] = make_account(make_employee("Putri Rangkuti, A.Md.", staf))
        period = make_period()
        appraisals = {
            state: appraisal_in_state(team, period, state, key).id
            for key, state in (
                ("staf", "self_assessment"),
                ("staf2", "plan_review"),
                ("staf3", "supervisor_review"),
                ("staf4", "verification"),
            )
        }
        draft = open_appraisal(team["staf5"].employee, period)
        nips = {key: team[key].employee.nip for key in team if key != "opd"}
        from tests.skm_helpers import make_service_unit

        service_unit = make_service_unit(team["opd"])
        tim = make_tim_kerja(team, period, ("staf", "staf5"))
        return {"nips": nips, "appraisals": appraisals, "draft": draft.id, "period": period.id,
                "opd": team["opd"].id, "service_unit": service_unit.id,
                "tim_kerja": tim.id}  # fmt: skip

    yield from _serve(tmp_path, build)


def screenshot_dir(tmp_path: Path, width: str) -> Path:
    """Where a width's screenshots go: $SIKAP_SCREENSHOTS/<width>, else the test's tmp dir."""
    shots = Path(os.environ.get("SIKAP_SCREENSHOTS") or tmp_path) / width
    shots.mkdir(parents=True, exist_ok=True)
    return shots


def _phone_pages(data) -> list[tuple[str | None, str]]:
    """(who signs in, path) for every main page of each role; None: signed out."""
    a, draft = data["appraisals"], data["draft"]
    mine, plan_review = a["self_assessment"], a["plan_review"]
    verification = f"/verification/{data['period']}/opd/{data['opd']}"
    return [
        (None, "/login"),
        ("staf", "/"),
        ("staf", "/inbox"),
        ("staf", f"/appraisals/{mine}"),
        ("staf", f"/appraisals/{mine}/realisasi"),
        ("staf", f"/appraisals/{mine}/dialog"),
        ("staf", "/account"),
        ("staf", "/my-skp"),
        ("staf5", f"/appraisals/{draft}/plan"),
        ("kasi", "/team-skp"),
        ("kasi", f"/appraisals/{plan_review}"),
        ("kasi", f"/appraisals/{plan_review}/expectations"),
        ("kasi", f"/appraisals/{a['supervisor_review']}/review"),
        ("verifikator", "/verification"),
        ("verifikator", verification),
        ("verifikator", f"/appraisals/{a['verification']}/verification"),
        ("admin", "/admin/employees"),
        ("admin", "/admin/periods/"),
        ("admin", "/admin/roster/"),
        ("admin", "/admin/outbox"),
        ("admin", "/org-achievement"),
        ("staf", "/org-predikat-table"),
        ("kadis", "/monitor"),
        ("kadis", "/tim-kerja"),
        ("kadis", f"/tim-kerja/baru?opd={data['opd']}&period={data['period']}"),
        ("kadis", f"/tim-kerja/{data['tim_kerja']}"),
    ]


def test_every_main_page_fits_a_phone_and_shows_its_primary_action(chrome, city, tmp_path):
    """At 375 px nothing scrolls sideways and the page's main action is on screen."""
    from selenium.webdriver.common.by import By

    base, data = city
    shots = screenshot_dir(tmp_path, "375")
    width, height = PHONE
    chrome.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
    problems, signed_in = [], "?"
    try:
        for who, path in _phone_pages(data):
            if who != signed_in:
                if who is None:
                    chrome.delete_all_cookies()
                else:
                    _sign_in(chrome, base, data["nips"][who])
                signed_in = who
            chrome.get(base + path)
            chrome.find_element(By.CSS_SELECTOR, "main")
            page = f"{who or 'signed out'} {path}"
            assert "/login" not in chrome.current_url or who is None, f"{page}: not signed in"
            name = (who or "anon") + path.replace("/", "_").rstrip("_")
            chrome.save_screenshot(str(shots / f"{name}.png"))
            inner = chrome.execute_script("return window.innerWidth")
            assert inner == width, f"the viewport is {inner}px wide, not {width}px"
            scroll = chrome.execute_script("return document.documentElement.scrollWidth")
            if scroll > inner:
                tag, cls, right = chrome.execute_script(WIDEST_OFFENDER) or ("?", "", scroll)
                problems.append(
                    f"{page}: scrolls sideways to {scroll}px; "
                    f"the widest is <{tag} class={cls!r}>, to {right}px"
                )
            if not chrome.find_element(By.CSS_SELECTOR, "button.navbar-toggler").is_displayed():
                problems.append(f"{page}: the navigation does not collapse behind its button")
            actions = chrome.find_elements(By.CSS_SELECTOR, "[data-primary-action]")
            if not actions:
                problems.append(f"{page}: no element marked data-primary-action")
                continue
            box = chrome.execute_script(
                "const r = arguments[0].getBoundingClientRect(); return [r.left, r.right];",
                actions[0],
            )
            if not actions[0].is_displayed() or box[0] < 0 or box[1] > inner:
                problems.append(f"{page}: the primary action is not on screen (x {box})")
    finally:
        chrome.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert not problems, "\n".join(problems)


@pytest.fixture
def csp_server(tmp_path):
    """Served over HTTP: a plan being drafted, a review to do and a mail in the outbox."""
    from app.workflow.engine import fire

    def build():
        team = make_team()
        period = make_period()
        plan = appraisal_in_state(team, period, "draft")
        review = appraisal_in_state(team, period, "supervisor_review", "staf2")
        returned = appraisal_in_state(team, make_period(2027), "supervisor_review", "staf2")
        fire(returned, "return_review", team["kasi"], {"comment": "Lengkapi bukti dukung."})
        data = {key: team[key].employee.nip for key in ("staf", "kasi", "admin")}
        return data | {"plan": plan.id, "review": review.id}

    yield from _serve(tmp_path, build)


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
