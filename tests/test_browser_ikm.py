"""The public IKM pages in Chromium, signed out: at 375 px nothing scrolls sideways, the
charts and their tables are there; at 1366 px axe-core finds no serious violation."""

from __future__ import annotations

from datetime import date

import pytest

from tests.test_accessibility import RUN_AXE, axe_source
from tests.test_browser import _serve, screenshot_dir

__all__ = ["axe_source"]  # a fixture, used by name
PAGES = ("/ikm?tahun=2026", "/ikm/PKM-X?tahun=2026")


@pytest.fixture
def public(tmp_path):
    def build():
        from app.models import ServiceUnit
        from tests.factories import make_team
        from tests.test_skm_index import HAND, add_responses

        team = make_team()
        unit = ServiceUnit(
            opd=team["opd"], code="PKM-X", name="Puskesmas Contoh", yearly_users=450,
            address="Jl. Contoh 1",
        )  # fmt: skip
        add_responses(unit, date(2026, 2, 10), HAND)
        add_responses(unit, date(2025, 8, 1), HAND[:2])
        return {}

    yield from _serve(tmp_path, build)


def test_the_public_ikm_pages_fit_a_phone(chrome, public, tmp_path):
    base, _data = public
    shots = screenshot_dir(tmp_path, "375")
    chrome.delete_all_cookies()
    chrome.set_window_size(375, 800)
    for path in PAGES:
        chrome.get(base + path)
        assert "/login" not in chrome.current_url
        width = chrome.execute_script("return document.documentElement.scrollWidth")
        assert width <= 375, f"{path} scrolls sideways ({width} px)"
        assert chrome.find_element("css selector", "#chart-quarters title").get_attribute(
            "textContent"
        )
        cells = chrome.find_element("css selector", "#table-periods").text
        assert "77,08" in cells  # the hand-worked IKM of TW I, in the table beside the chart
        chrome.save_screenshot(str(shots / f"anon{path.split('?')[0].replace('/', '_')}.png"))


def test_the_public_ikm_pages_have_no_serious_accessibility_violation(chrome, public, axe_source):
    base, _data = public
    chrome.delete_all_cookies()
    chrome.set_window_size(1366, 900)
    chrome.set_script_timeout(30)
    problems = []
    for path in PAGES:
        chrome.get(base + path)
        chrome.execute_script(axe_source)
        for rule, impact, help_text, targets in chrome.execute_async_script(RUN_AXE):
            problems.append(f"{path}: {rule} ({impact}) {help_text}: {', '.join(targets)}")
    assert not problems, "\n".join(problems)
