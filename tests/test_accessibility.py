"""WCAG 2.2 AA in a real browser: axe-core over every main page of each role, at 1366 px.

axe-core is a test-only tool from npm (`make axe`, run by `make test`, installs it
into tests/vendor/node_modules; the app never serves it). It is injected into each
page by the driver (`execute_script`), which the page's Content-Security-Policy
does not govern. Screenshots of every page land in $SIKAP_SCREENSHOTS/1366.
"""

import os
from pathlib import Path

import pytest

from tests.test_browser import _phone_pages, _sign_in, city, screenshot_dir

__all__ = ["city"]  # a fixture, used by name

AXE = Path(__file__).parent / "vendor" / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = (1366, 900)
# The serious and critical violations of the WCAG 2.x A and AA rules (2.2 included).
RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {
  runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']},
  resultTypes: ['violations'],
}).then(result => done(result.violations
  .filter(v => v.impact === 'serious' || v.impact === 'critical')
  .map(v => [v.id, v.impact, v.help, v.nodes.slice(0, 5).map(n => n.target.join(' '))])
)).catch(error => done([['axe-error', 'critical', String(error), []]]));
"""


def _pages(data) -> list[tuple[str | None, str]]:
    """Every main page of each role (the phone test's list) and the admin's forms."""
    return [
        *_phone_pages(data),
        ("kasi", "/inbox"),
        ("admin", "/admin/employees/new"),
        ("admin", "/admin/periods/new"),
        ("admin", "/exports/"),
        ("kadis", "/exports/"),
        ("kadis", "/unit-layanan"),
        ("kadis", f"/unit-layanan/{data['service_unit']}"),
        ("admin", f"/unit-layanan/{data['service_unit']}/komentar"),
    ]


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        message = f"axe-core is not installed ({AXE}); `make axe` installs it"
        if os.environ.get("SIKAP_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


def test_every_main_page_has_no_serious_accessibility_violation(chrome, city, axe_source, tmp_path):
    base, data = city
    shots = screenshot_dir(tmp_path, "1366")
    chrome.set_window_size(*DESKTOP)
    chrome.set_script_timeout(30)
    problems, signed_in = [], "?"
    for who, path in _pages(data):
        if who != signed_in:
            if who is None:
                chrome.delete_all_cookies()
            else:
                _sign_in(chrome, base, data["nips"][who])
            signed_in = who
        chrome.get(base + path)
        page = f"{who or 'signed out'} {path}"
        assert "/login" not in chrome.current_url or who is None, f"{page}: not signed in"
        chrome.save_screenshot(
            str(shots / f"{(who or 'anon')}{path.replace('/', '_').rstrip('_')}.png")
        )
        chrome.execute_script(axe_source)
        for rule, impact, help_text, targets in chrome.execute_async_script(RUN_AXE):
            problems.append(f"{page}: {rule} ({impact}) {help_text}: {', '.join(targets)}")
    assert not problems, "\n".join(problems)


def test_the_navigation_fits_one_line_at_1366_px_for_the_admin(chrome, city):
    from selenium.webdriver.common.by import By

    base, data = city
    chrome.set_window_size(*DESKTOP)
    _sign_in(chrome, base, data["nips"]["admin"])
    chrome.get(base + "/")
    nav = chrome.find_element(By.CSS_SELECTOR, "nav.navbar")
    assert nav.size["height"] < 80, f"the navigation wraps: {nav.size['height']}px high"
    assert not chrome.find_element(By.CSS_SELECTOR, "button.navbar-toggler").is_displayed()
    # The admin pages sit in one menu, opened by its button.
    chrome.find_element(By.ID, "admin-menu").click()
    items = chrome.find_elements(By.CSS_SELECTOR, "[data-admin-menu] .dropdown-item")
    assert [i.text for i in items if i.is_displayed()] == [
        "Pegawai", "Periode", "Pengecualian perencanaan SKP", "Impor data pegawai",
        "Aturan pejabat penilai", "Pengelola kinerja", "Capaian kinerja organisasi", "Ekspor",
        "Pustaka IKI", "Unit layanan", "Pengumuman", "Pelatihan dan sosialisasi",
        "Kebutuhan pengembangan", "Jam pengembangan per OPD", "Sosialisasi per OPD", "Kotak keluar",
    ]  # fmt: skip


def _names(page: str, tag: str) -> list[str]:
    """The text of each <tag> (the visually hidden part included): its accessible name."""
    import re

    return [
        " ".join(re.sub(r"<[^>]+>", " ", inner).split())
        for inner in re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", page, flags=re.S)
    ]


def test_repeated_buttons_and_fields_on_the_realisasi_page_have_distinct_names(app, team, browser):
    from app.extensions import db
    from tests.factories import make_period
    from tests.workflow_helpers import appraisal_in_state

    appraisal = appraisal_in_state(team, make_period(), "self_assessment")
    db.session.commit()
    browser.login(team["staf"].employee.nip)
    page = browser.get(f"/appraisals/{appraisal.id}/realisasi").get_data(as_text=True)
    buttons, labels = _names(page, "button"), _names(page, "label")
    uploads = [b for b in buttons if b.startswith("Unggah")]
    ikis = page.count('data-iki-id="')
    assert uploads and len(set(uploads)) == len(uploads) == ikis, uploads
    assert all("untuk IKI “" in b for b in uploads + [b for b in buttons if b.startswith("Tambah")])
    for kind in ("Realisasi", "Tautan"):
        same_kind = [label for label in labels if label.startswith(kind)]
        assert len(set(same_kind)) == len(same_kind), same_kind
