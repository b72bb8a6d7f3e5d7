"""In Chromium: the demo pegawai finds the Pustaka IKI entries for their jabatan first in the
plan editor, adds one in a click, adapts nothing and saves; the IKI remembers its entry."""

import pytest
import sqlalchemy as sa

from app import create_app
from app.extensions import db
from app.models import Appraisal, Employee, Iki, LibraryEntry, Rhk
from app.pustaka import matching
from config import TestingConfig
from tests.factories import PASSWORD
from tests.test_browser import _serve, _sign_in, _wait_for

DEMO_PEGAWAI = "199608232020122041"


@pytest.fixture
def demo(tmp_path):
    """The demo city as `flask seed-demo` leaves it, served over HTTP."""

    def build():
        from app.seed.appraisals import seed_demo_appraisals
        from app.seed.demo import seed_demo
        from app.seed.pustaka import seed_pustaka

        logins = seed_demo(PASSWORD)
        seed_demo_appraisals(logins["atasan"][0], logins["verifikator"][0])
        seed_pustaka()
        appraisal = db.session.scalars(
            sa.select(Appraisal)
            .join(Employee, Employee.id == Appraisal.employee_id)
            .where(Employee.nip == DEMO_PEGAWAI)
        ).one()
        return {"appraisal": appraisal.id, "position": appraisal.position_name}

    yield from _serve(tmp_path, build)


def _click(chrome, element) -> None:
    chrome.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element
    )
    element.click()


def _database(tmp_path):
    return create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'b.sqlite'}")


def test_the_demo_pegawai_adds_an_entry_for_their_jabatan_in_one_click(chrome, demo, tmp_path):
    from selenium.webdriver.common.by import By

    base, data = demo
    assert data["position"] == "Pengadministrasi Perkantoran"
    _sign_in(chrome, base, DEMO_PEGAWAI)
    chrome.set_window_size(1366, 900)
    chrome.get(f"{base}/appraisals/{data['appraisal']}/plan")
    panel = chrome.find_element(By.ID, "pustaka")
    if panel.get_attribute("open") is None:
        panel.find_element(By.TAG_NAME, "summary").click()
    _wait_for(chrome, "#pustaka", "Untuk Pengadministrasi Perkantoran")

    # The entries for the jabatan come first, before every other entry, and fit it.
    items = chrome.find_elements(By.CSS_SELECTOR, "#pustaka [data-library-entry]")
    codes = [item.get_attribute("data-library-entry") for item in items]
    mine = chrome.find_elements(By.CSS_SELECTOR, "#pustaka-mine [data-library-entry]")
    assert len(mine) >= 5
    assert codes[: len(mine)] == [m.get_attribute("data-library-entry") for m in mine]
    app = _database(tmp_path)
    with app.app_context():
        entries = {e.code: e for e in db.session.scalars(sa.select(LibraryEntry))}
        for code in codes[: len(mine)]:
            assert matching.fit("Pengadministrasi Perkantoran", entries[code].jabatan), code
        first = entries[codes[0]]
        first_id, first_iki, first_rhk = first.id, first.iki_text, first.rhk_text
        before = db.session.scalar(
            sa.select(sa.func.count()).select_from(Rhk).where(Rhk.appraisal_id == data["appraisal"])
        )
        db.session.remove()
    chrome.save_screenshot(str(tmp_path / "pustaka-panel.png"))

    # One click puts the RHK and its IKI, filled in, into the plan form.
    _click(chrome, mine[0].find_element(By.CSS_SELECTOR, "button[value^='pustaka:']"))
    _wait_for(chrome, "main", "IKI dari Pustaka IKI telah ditambahkan")
    texts = [
        t.get_attribute("value")
        for t in chrome.find_elements(By.CSS_SELECTOR, "#plan-form textarea")
    ]
    assert first_rhk in texts and first_iki in texts
    assert chrome.find_elements(By.CSS_SELECTOR, "#plan-form [data-from-library]")

    _click(chrome, chrome.find_element(By.CSS_SELECTOR, "#plan-form [data-primary-action]"))
    _wait_for(chrome, "main", "Rencana SKP telah disimpan")
    with app.app_context():
        taken = db.session.scalars(
            sa.select(Iki)
            .join(Rhk, Rhk.id == Iki.rhk_id)
            .where(Rhk.appraisal_id == data["appraisal"], Iki.library_entry_id == first_id)
        ).all()
        assert [i.text for i in taken] == [first_iki]
        after = db.session.scalar(
            sa.select(sa.func.count()).select_from(Rhk).where(Rhk.appraisal_id == data["appraisal"])
        )
        assert after == before + 1
        db.session.remove()
        db.engine.dispose()
