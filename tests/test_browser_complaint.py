"""The complaint page in Chromium at 375 px and 1366 px: the unit head answers a complaint,
nothing scrolls sideways, and the screenshots are kept ($SIKAP_SCREENSHOTS)."""

import pytest

from app.complaints.services import open_complaint
from tests.complaint_helpers import make_complaint_response, make_service_unit
from tests.factories import make_team
from tests.test_browser import WIDEST_OFFENDER, _serve, _sign_in, _wait_for, screenshot_dir

LONG = (
    "Saya datang pukul 07.00 untuk berobat, tetapi loket baru dibuka pukul 09.15 dan "
    "antrean sangat panjang. Petugas tidak menjelaskan alasannya. Mohon jadwal loket "
    "ditepati dan ada papan informasi antrean."
)


@pytest.fixture
def complaint_server(tmp_path):
    def build():
        team = make_team()
        unit = make_service_unit(team)
        complaint = open_complaint(make_complaint_response(unit, comment=LONG))
        return {"kasi": team["kasi"].employee.nip, "complaint": complaint.id}

    yield from _serve(tmp_path, build)


def _fits(chrome, width: int) -> str | None:
    scroll = chrome.execute_script("return document.documentElement.scrollWidth")
    if scroll <= width:
        return None
    return str(chrome.execute_script(WIDEST_OFFENDER))


@pytest.mark.parametrize("width", [375, 1366])
def test_the_unit_head_answers_a_complaint_on_a_phone_and_a_desktop(
    chrome, complaint_server, tmp_path, width
):
    from selenium.webdriver.common.by import By

    base, data = complaint_server
    shots = screenshot_dir(tmp_path, str(width))
    chrome.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
    )
    try:
        _sign_in(chrome, base, data["kasi"])
        page = f"{base}/pengaduan/{data['complaint']}"
        chrome.get(page)
        _wait_for(chrome, "main", "Kontak pengadu")
        text = chrome.find_element(By.TAG_NAME, "main").text
        assert "warga@example.test" in text and "papan informasi antrean" in text
        assert "Tahap saat ini: Diterima" in text
        chrome.save_screenshot(str(shots / "complaint_received.png"))
        assert _fits(chrome, width) is None, _fits(chrome, width)
        primary = chrome.find_element(By.CSS_SELECTOR, "[data-primary-action]")
        assert primary.is_displayed()

        chrome.find_element(By.LINK_TEXT, "Kirim jawaban").click()
        _wait_for(chrome, "main", "Jawaban kepada pengadu")
        chrome.save_screenshot(str(shots / "complaint_answer_form.png"))
        assert _fits(chrome, width) is None, _fits(chrome, width)
        chrome.find_element(By.NAME, "answer").send_keys("Mulai Senin loket dibuka 07.30.")
        chrome.find_element(By.CSS_SELECTOR, "main form button.btn-success").click()
        _wait_for(chrome, "main", "Jawaban pengaduan telah dikirim.")
        text = chrome.find_element(By.TAG_NAME, "main").text
        assert "Tahap saat ini: Dijawab" in text and "Mulai Senin loket dibuka" in text
        chrome.save_screenshot(str(shots / "complaint_answered.png"))
        assert _fits(chrome, width) is None, _fits(chrome, width)

        chrome.get(f"{base}/pengaduan/")
        _wait_for(chrome, "main", "Puskesmas Padang Bulan")
        chrome.save_screenshot(str(shots / "complaint_list.png"))
        assert _fits(chrome, width) is None, _fits(chrome, width)
    finally:
        chrome.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
