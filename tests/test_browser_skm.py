"""The public SKM form in a real browser at 375 px, opened from the poster's QR address."""

from __future__ import annotations

import io
import threading

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from app.feedback import posters
from app.models import ServiceUnit, SkmResponse
from config import TestingConfig
from tests import factories
from tests.skm_helpers import make_service_unit
from tests.test_accessibility import RUN_AXE, axe_source
from tests.test_browser import PHONE, WIDEST_OFFENDER, screenshot_dir

__all__ = ["axe_source"]  # a fixture, used by name


@pytest.fixture
def served(tmp_path):
    """The app over HTTP with one unit layanan; BASE_URL is the server's own address."""
    from flask_migrate import upgrade

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 's.sqlite'}")
    http = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["BASE_URL"] = f"http://127.0.0.1:{http.server_port}"
    with app.app_context():
        upgrade()
        unit_id = make_service_unit(factories.make_opd()).id
        db.session.commit()
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield app, unit_id
    http.shutdown()
    thread.join(timeout=10)
    with app.app_context():
        db.engine.dispose()


def _axe(chrome, source: str) -> list:
    chrome.set_script_timeout(30)
    chrome.execute_script(source)
    return chrome.execute_async_script(RUN_AXE)


def test_a_phone_opens_the_posters_address_and_sends_the_form(chrome, served, tmp_path, axe_source):
    from pypdf import PdfReader
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    app, unit_id = served
    with app.app_context(), app.test_request_context():
        unit = db.session.get(ServiceUnit, unit_id)
        address = posters.public_url(unit)
        pdf = PdfReader(io.BytesIO(posters.render_posters_pdf([unit])))
        assert posters.short_address(unit) in pdf.pages[0].extract_text().replace("\n", "")
        # The QR code holds the same address (test_skm_units compares the symbol).
    shots = screenshot_dir(tmp_path, "375")
    width, height = PHONE
    chrome.get_log("browser")
    chrome.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True},
    )
    try:
        chrome.delete_all_cookies()
        chrome.get(address)
        assert chrome.find_element(By.TAG_NAME, "h1").text == "Bagaimana pelayanan kami?"
        chrome.save_screenshot(str(shots / "skm_form_top.png"))
        scroll = chrome.execute_script("return document.documentElement.scrollWidth")
        assert scroll <= width, chrome.execute_script(WIDEST_OFFENDER)
        assert _axe(chrome, axe_source) == []
        Select(chrome.find_element(By.ID, "service_kind_id")).select_by_visible_text("Imunisasi")
        for column, score in zip(range(1, 10), (4, 3, 3, 4, 3, 4, 4, 3, 2), strict=True):
            selector = f'input[name="u{column}"][value="{score}"]'
            option = chrome.find_element(By.CSS_SELECTOR, selector)
            label = option.find_element(By.XPATH, "..")
            assert label.size["height"] >= 44  # a thumb's target
            chrome.execute_script("arguments[0].scrollIntoView({block: 'center'})", label)
            label.click()
            assert option.is_selected()
        chrome.find_element(By.CSS_SELECTOR, 'input[name="gender"][value="L"]').find_element(
            By.XPATH, ".."
        ).click()
        chrome.find_element(By.ID, "age").send_keys("41")
        Select(chrome.find_element(By.ID, "education")).select_by_value("s1")
        Select(chrome.find_element(By.ID, "occupation")).select_by_value("wiraswasta")
        chrome.find_element(By.ID, "comment").send_keys("Ruang tunggu panas.")
        chrome.save_screenshot(str(shots / "skm_form_filled.png"))
        send = chrome.find_element(By.CSS_SELECTOR, "[data-primary-action]")
        chrome.execute_script("arguments[0].scrollIntoView({block: 'center'})", send)
        send.click()
        WebDriverWait(chrome, 15).until(lambda d: "terima-kasih" in d.current_url)
        assert chrome.find_element(By.TAG_NAME, "h1").text == "Terima kasih!"
        assert _axe(chrome, axe_source) == []
        chrome.save_screenshot(str(shots / "skm_thanks.png"))
    finally:
        chrome.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    with app.app_context():
        stored = db.session.scalars(sa.select(SkmResponse)).one()
        assert stored.answers == (4, 3, 3, 4, 3, 4, 4, 3, 2)
        assert (stored.gender, stored.age, stored.education) == ("L", 41, "s1")
        assert stored.service_kind.name == "Imunisasi"
        assert stored.comment == "Ruang tunggu panas."
    logged = [entry["message"] for entry in chrome.get_log("browser")]
    assert [m for m in logged if "Content Security" in m] == []
