"""Day-one usability in Chromium: nothing a new user typed or decided is lost or contradicted.

Each test walks one page as a civil servant would (headless Chromium, as in
tests/test_browser.py, whose fixtures and helpers these reuse).
"""

import os
import re
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.appraisals.services import open_appraisal
from app.extensions import db
from app.models import Appraisal, Iki, Rhk
from tests.factories import make_period, make_team
from tests.skp_helpers import fill_complete_skp
from tests.test_browser import _serve, _sign_in, _wait_for
from tests.test_make_run import make_run
from tests.workflow_helpers import appraisal_in_state

ROOT = Path(__file__).resolve().parent.parent


def _by(css: str):
    from selenium.webdriver.common.by import By

    return By.CSS_SELECTOR, css


def _click(chrome, css: str) -> None:
    """Click an element after scrolling it into view (at once: Bootstrap scrolls smoothly)."""
    element = chrome.find_element(*_by(css))
    script = "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});"
    chrome.execute_script(script, element)
    element.click()


def _ikis(appraisal_id: int) -> list[Iki]:
    return list(
        db.session.scalars(
            sa.select(Iki)
            .join(Rhk, Rhk.id == Iki.rhk_id)
            .where(Rhk.appraisal_id == appraisal_id)
            .order_by(Rhk.group_, Rhk.position, Iki.position)
        )
    )


def _leaving_warns(chrome) -> bool:
    """Whether leaving now would ask first: the page cancels a beforeunload event.

    (Headless Chromium does not show the dialog itself; the event is what asks for it.)
    """
    return not chrome.execute_script(
        "return window.dispatchEvent(new Event('beforeunload', {cancelable: true}));"
    )


# 1. Realisasi typed on the page survives an upload, a link and a removal.


@pytest.fixture
def assessing(tmp_path):
    def build():
        team = make_team()
        appraisal = appraisal_in_state(team, make_period(), "self_assessment")
        first = _ikis(appraisal.id)[0]
        db.session.add(
            Iki(rhk_id=first.rhk_id, position=1, text="Persentase laporan tepat waktu",
                aspect="waktu", target_kind="number", target_value=100, target_unit="%")
        )  # fmt: skip
        db.session.flush()
        ikis = _ikis(appraisal.id)
        for iki in ikis:  # nothing recorded yet: a new user's first visit
            iki.realisasi_value, iki.realisasi_text = None, None
        return {
            "staf": team["staf"].employee.nip,
            "appraisal": appraisal.id,
            "ikis": [(iki.id, iki.target_kind) for iki in ikis],
        }

    yield from _serve(tmp_path, build)


def test_typed_realisasi_survives_adding_a_link_and_a_file_and_leaving_warns(
    chrome, assessing, tmp_path
):
    base, data = assessing
    (first, first_kind), (second, _) = data["ikis"][:2]
    typed = "12" if first_kind == "number" else "Laporan selesai tepat waktu."
    _sign_in(chrome, base, data["staf"])
    page = f"{base}/appraisals/{data['appraisal']}/realisasi"
    chrome.get(page)
    chrome.find_element(*_by(f"[name='iki_{first}']")).send_keys(typed)

    # A link for the second IKI: the page reloads with what was typed for the first.
    row = chrome.find_element(*_by(f"#iki-{second}"))
    row.find_element(*_by("input[type='url'], input[name='url']")).send_keys(
        "https://drive.example.go.id/laporan"
    )
    _click(chrome, f"#iki-{second} form[action$='/evidence/link'] button")
    _wait_for(chrome, "main", "drive.example.go.id/laporan")
    assert chrome.find_element(*_by(f"[name='iki_{first}']")).get_attribute("value") == typed

    # A file for the second IKI, after changing the first again.
    field = chrome.find_element(*_by(f"[name='iki_{first}']"))
    field.clear()
    typed = "13" if first_kind == "number" else "Laporan diperbaiki."
    field.send_keys(typed)
    upload = tmp_path / "laporan.pdf"
    upload.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    row = chrome.find_element(*_by(f"#iki-{second}"))
    row.find_element(*_by("input[type='file']")).send_keys(str(upload))
    _click(chrome, f"#iki-{second} form[action$='/evidence/file'] button")
    _wait_for(chrome, "main", "laporan.pdf")
    assert chrome.find_element(*_by(f"[name='iki_{first}']")).get_attribute("value") == typed

    # Removing the link keeps it too; then an unsaved change makes leaving ask first.
    field = chrome.find_element(*_by(f"[name='iki_{first}']"))
    field.clear()
    typed = "14" if first_kind == "number" else "Laporan final."
    field.send_keys(typed)
    _click(chrome, f"#iki-{second} form[action$='/remove'] button")
    _wait_for(chrome, ".alert-success", "")
    assert chrome.find_element(*_by(f"[name='iki_{first}']")).get_attribute("value") == typed
    assert not _leaving_warns(chrome), "saved, yet leaving warned"

    chrome.get(page)
    chrome.find_element(*_by(f"[name='iki_{first}']")).send_keys("5")
    assert _leaving_warns(chrome), "leaving with unsaved realisasi did not warn"


# 2. Submitting the plan saves what is on screen first.


@pytest.fixture
def drafting(tmp_path):
    def build():
        team = make_team()
        appraisal = open_appraisal(team["staf"].employee, make_period())
        fill_complete_skp(appraisal)
        iki = next(i for i in _ikis(appraisal.id) if i.target_kind == "number")
        return {
            "staf": team["staf"].employee.nip,
            "appraisal": appraisal.id,
            "iki": iki.id,
            "target": str(iki.target_value),
        }

    yield from _serve(tmp_path, build)


def test_submitting_the_plan_saves_the_changed_target_first(chrome, drafting, tmp_path):
    from selenium.webdriver.support.ui import WebDriverWait

    base, data = drafting
    _sign_in(chrome, base, data["staf"])
    chrome.get(f"{base}/appraisals/{data['appraisal']}/plan")
    target = chrome.find_element(*_by("#plan-form input[name$='-target_value'][value]"))
    name = target.get_attribute("name")
    target.clear()
    target.send_keys("777")
    # The page's "Ajukan rencana SKP" (a link to a confirmation page, where there is one).
    _click(chrome, "[data-submit-plan], a[href$='/act/submit_plan']")
    WebDriverWait(chrome, 15).until(lambda d: not d.current_url.endswith("/plan"))
    if "/act/" in chrome.current_url:
        _click(chrome, "main form button.btn-success")
    _wait_for(chrome, "main", "Persetujuan rencana SKP")
    chrome.get(f"{base}/appraisals/{data['appraisal']}/plan")
    shown = chrome.find_element(*_by("main")).text
    assert "777" in shown, f"the submitted plan lost the new target ({name}):\n{shown[:2000]}"
    assert "777" not in data["target"]  # the old target was something else


# 6. Mails from `make run PORT=…` link to that port.


@pytest.mark.slow
def test_make_run_on_another_port_mails_links_to_that_port(chrome, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SIKAP_", "BASE_URL"))}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'dev.sqlite'}"
    with make_run(ROOT, env, tmp_path / "run.log", timeout=300) as (base, log, answered):
        assert answered, log.read()[-3000:]
        chrome.delete_all_cookies()
        chrome.get(base + "/dev/mail")
        messages = chrome.find_elements(*_by("main a[data-message-id]"))
        assert messages, "the demo wrote no mail"
        chrome.get(messages[-1].get_attribute("href"))
        body = chrome.find_element(*_by("main")).text
        links = re.findall(r"https?://[^\s\"'<>]+", body)
        assert links, body[:2000]
        wrong = [link for link in links if not link.startswith(base + "/")]
        assert not wrong, f"links not under {base}: {wrong[:3]}"


# 5. The period-opening mail, the task in the inbox and the SKP page give one due date.


@pytest.fixture
def next_year(tmp_path):
    from app.models import OutboxMessage
    from app.periods.opening import PeriodOpener

    year = date.today().year + 1

    def build():
        team = make_team()
        period = make_period(year, status="draft", plan_deadline=date(year, 1, 31))
        period.assessment_deadline = date(year + 1, 1, 31)
        PeriodOpener(period).run()
        staf = team["staf"].employee
        mail = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.recipient == staf.email)
        ).one()
        appraisal = db.session.scalars(
            sa.select(Appraisal).where(Appraisal.employee_id == staf.id)
        ).one()
        return {
            "staf": staf.nip,
            "admin": team["admin"].employee.nip,
            "mail": mail.id,
            "appraisal": appraisal.id,
            "deadline": period.plan_deadline,
        }

    yield from _serve(tmp_path, build)


def test_the_opening_mail_the_inbox_and_the_skp_page_agree_on_the_due_date(chrome, next_year):
    from babel.dates import format_date

    base, data = next_year
    deadline = data["deadline"]
    long, medium = (format_date(deadline, style, locale="id") for style in ("long", "medium"))

    _sign_in(chrome, base, data["admin"])
    chrome.get(f"{base}/admin/outbox/{data['mail']}")
    mail = chrome.find_element(*_by("[data-body-text]")).text
    dates = re.findall(r"\d{1,2} [A-Z][a-z]+ \d{4}", mail)
    assert dates and set(dates) == {long}, f"the mail names {dates}, the deadline is {long}"

    _sign_in(chrome, base, data["staf"])
    chrome.get(f"{base}/inbox")
    row = chrome.find_element(*_by("main")).text
    assert medium in row, f"the inbox does not show the task due on {medium}:\n{row[:1500]}"
    chrome.get(f"{base}/appraisals/{data['appraisal']}")
    page = chrome.find_element(*_by("main")).text
    assert medium in page, f"the SKP page does not show the task due on {medium}:\n{page[:1500]}"


# 4. The template's examples are never imported; deactivating is opt-in and loud.


@pytest.fixture
def roster(tmp_path):
    from app.roster.services import template_csv

    def build():
        from flask import current_app

        current_app.config["ROSTER_UPLOAD_DIR"] = tmp_path / "roster"
        team = make_team()
        staff = [team[key].employee for key in ("kadis", "kabid", "kasi", "staf", "staf2")]
        # The template as downloaded, two new staff typed below its example rows.
        lines = template_csv().decode("utf-8-sig").rstrip("\r\n").split("\r\n")
        for n, name in enumerate(("Nadia Purba", "Yusuf Daulay"), start=1):
            lines.append(
                f"DINKES,,Pengadministrasi Perkantoran,pelaksana,Kepala Seksi Pelayanan Primer,"
                f"1999010120240{n}1001,{name},Pengatur (II/c),PPPK,"
            )
        (tmp_path / "roster.csv").write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
        return {
            "admin": team["admin"].employee.nip,
            "others": [e.name for e in staff],
        }

    yield from _serve(tmp_path, build)


def test_template_examples_are_not_imported_and_deactivating_is_opt_in(chrome, roster, tmp_path):
    base, data = roster
    _sign_in(chrome, base, data["admin"])
    chrome.get(f"{base}/admin/roster/")
    chrome.find_element(*_by("main input[type='file']")).send_keys(str(tmp_path / "roster.csv"))
    _click(chrome, "main form [data-primary-action]")
    _wait_for(chrome, "#changes", "Pegawai baru")
    report = chrome.find_element(*_by("main")).text
    assert "Contoh" not in chrome.find_element(*_by("#changes")).text
    changes = chrome.find_element(*_by("#changes")).text
    assert "Pegawai baru: 2" in changes, changes
    assert "Contoh Kadis" not in report, "the template's example rows were taken as people"
    # The five staff not in this partial file: a loud warning naming them, nothing ticked.
    warning = chrome.find_element(*_by("[data-not-listed]"))
    assert "alert-danger" in warning.get_attribute("class")
    assert "5" in warning.text and all(name in warning.text for name in data["others"])
    assert not warning.find_element(*_by("input[type='checkbox']")).is_selected()
    _click(chrome, "main form button.btn-success")
    _wait_for(chrome, ".alert-success", "2 pegawai baru")
    assert "0 dinonaktifkan" in chrome.find_element(*_by(".alert-success")).text


# 3. Closing a period is confirmed, closes its tasks, locks its SKPs, and can be undone.


@pytest.fixture
def closing(tmp_path):
    def build():
        team = make_team()
        period = make_period()
        appraisal = open_appraisal(team["staf"].employee, period)
        fill_complete_skp(appraisal)  # (and the atasan's SKP, without a task)
        return {
            "staf": team["staf"].employee.nip,
            "admin": team["admin"].employee.nip,
            "appraisal": appraisal.id,
            "period": period.id,
        }

    yield from _serve(tmp_path, build)


def test_closing_a_period_is_confirmed_locks_its_skps_and_can_be_reopened(chrome, closing):
    base, data = closing
    plan = f"{base}/appraisals/{data['appraisal']}/plan"
    _sign_in(chrome, base, data["admin"])
    chrome.get(f"{base}/admin/periods/")
    chrome.find_element(*_by(f"tr[data-period='{data['period']}'] .btn-outline-danger")).click()
    # The confirmation page says what closing does; nothing is closed yet.
    effects = chrome.find_element(*_by("#close-effects")).text
    # The staf's SKP with its task, and the atasan's (made for the RHK link), without one.
    assert "2 SKP" in effects and "1 tugas" in effects, effects
    _sign_in(chrome, base, data["staf"])
    chrome.get(plan)
    assert chrome.find_elements(*_by("#plan-form")), "the period closed without confirmation"

    _sign_in(chrome, base, data["admin"])
    chrome.get(f"{base}/admin/periods/{data['period']}/close")
    chrome.find_element(*_by("#reason")).send_keys("Batas waktu tahun anggaran.")
    _click(chrome, "main form button.btn-danger")
    _wait_for(chrome, "#status-changes", "Batas waktu tahun anggaran.")

    # The pegawai: no task, a read-only plan with a notice, and a posted edit is refused.
    _sign_in(chrome, base, data["staf"])
    chrome.get(f"{base}/inbox")
    assert not chrome.find_elements(*_by(f"main a[href$='/appraisals/{data['appraisal']}']"))
    chrome.get(plan)
    assert chrome.find_element(*_by("[data-period-closed]")).is_displayed()
    assert not chrome.find_elements(*_by("#plan-form"))
    assert not chrome.find_elements(*_by("[data-submit-plan], a[href*='/act/']"))
    chrome.get(f"{base}/appraisals/{data['appraisal']}/act/submit_plan")
    assert "/act/" not in chrome.current_url  # the step is not offered

    # Reopening needs a reason, is logged, and gives the task back.
    _sign_in(chrome, base, data["admin"])
    chrome.get(f"{base}/admin/periods/{data['period']}/close")
    _click(chrome, "main form button.btn-success")
    assert chrome.find_elements(*_by(".invalid-feedback")), "reopened without a reason"
    chrome.find_element(*_by("#reason")).send_keys("Masih ada keberatan yang harus diproses.")
    _click(chrome, "main form button.btn-success")
    _wait_for(chrome, "#status-changes", "Masih ada keberatan")
    _sign_in(chrome, base, data["staf"])
    chrome.get(plan)
    assert chrome.find_elements(*_by("#plan-form")) and not chrome.find_elements(
        *_by("[data-period-closed]")
    )
