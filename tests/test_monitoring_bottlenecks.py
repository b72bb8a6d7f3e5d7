"""Bottlenecks (issue 15): who has the most SKP waiting, and a reminder to them, once a day."""

from __future__ import annotations

import csv
import io
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.extensions import db
from app.models import (
    Appraisal,
    MonitorReminder,
    MonitorReminderLatest,
    OutboxMessage,
    Task,
)
from app.models.types import utcnow
from app.monitoring import reminding
from app.outbox.worker import send_batch
from tests import factories
from tests.conftest import Browser
from tests.test_mail_delivery import free_port, point_mail_at, smtp_fixture, text_of  # noqa: F401
from tests.test_query_budget import BUDGET, _statements
from tests.workflow_helpers import appraisal_in_state

ROW = re.compile(
    r'<tr data-holder="([^"]+)" data-waiting="(\d+)" data-overdue="(\d+)"', re.MULTILINE
)


def _task(appraisal: Appraisal, opened_days_ago: int, due_in_days: int) -> None:
    """Date the appraisal's open task: opened so long ago, due in so many days (<0: overdue)."""
    task = db.session.scalars(
        sa.select(Task).where(Task.appraisal_id == appraisal.id, Task.closed_at.is_(None))
    ).one()
    task.opened_at = utcnow() - timedelta(days=opened_days_ago)
    task.due_date = date.today() + timedelta(days=due_in_days)


def _opd_b(team: dict) -> None:
    opd_b = factories.make_opd("DISDIK", "Dinas Pendidikan")
    head = factories.make_position(opd_b, "Kepala Dinas Pendidikan", "jpt")
    kasi = factories.make_position(opd_b, "Kepala Seksi Kurikulum", "pengawas", head)
    staf = factories.make_position(opd_b, "Pengadministrasi Sekolah", "pelaksana", kasi)
    team["opd_b"] = opd_b
    team["kadis_b"] = factories.make_account(factories.make_employee("Kadis Ginting", head))
    team["kasi_b"] = factories.make_account(factories.make_employee("Kasi Purba", kasi))
    team["staf_b"] = factories.make_account(factories.make_employee("Sari Damanik", staf))


@pytest.fixture
def org(app):
    """Two OPDs and one period; who holds what, counted by hand:

    kabid: kasi's plan (opened 30 days ago, 10 days overdue) -> 1 waiting, 1 overdue,
           since 30 days; their own draft (3 days) is their own step, not counted
    kasi:  staf's plan (12 days, overdue) and staf2's review (20 days, due in 5)
           -> 2 waiting, 1 overdue, since 20 days
    BKD verifiers (unclaimed): staf_b's verification (40 days, overdue) -> 1, 1, 40 days
    kadis_b: kasi_b's plan (2 days, due in 3) -> 1, 0, 2 days
    Ranking, the most first and the oldest first among equals: kasi, group, kabid, kadis_b.
    """
    team = factories.make_team()
    _opd_b(team)
    period = factories.make_period()
    team["period"] = period
    for key, state, opened, due in (
        # The atasan first: a staff member's SKP makes their atasan's (without a task).
        ("kabid", "draft", 3, 10),
        ("kasi", "plan_review", 30, -10),
        ("staf", "plan_review", 12, -5),
        ("staf2", "supervisor_review", 20, 5),
        ("kasi_b", "plan_review", 2, 3),
        ("staf_b", "verification", 40, -1),
    ):
        _task(appraisal_in_state(team, period, state, key), opened, due)
    db.session.commit()
    return team


def _rows(page: str) -> list[tuple[str, int, int]]:
    return [(h, int(w), int(o)) for h, w, o in ROW.findall(page)]


def _id(team, key) -> str:
    return str(team[key].employee_id)


def _remind(browser: Browser, team, key: str, follow_redirects: bool = False, **data):
    data.setdefault("period", team["period"].id)
    return browser.post(
        f"/monitor/bottlenecks/{team[key].employee_id}/remind",
        data,
        token_from="/account",
        follow_redirects=follow_redirects,
    )


def test_the_ranking_is_the_hand_count_most_waiting_then_oldest(org, browser):
    team = org
    browser.login(team["admin"].employee.nip)
    city = browser.get("/monitor/bottlenecks").get_data(as_text=True)
    assert _rows(city) == [
        (_id(team, "kasi"), 2, 1),
        ("verifikator_bkd", 1, 1),
        (_id(team, "kabid"), 1, 1),
        (_id(team, "kadis_b"), 1, 0),
    ]
    # The unclaimed group task is named by its role; people link to their list of SKP.
    assert "Verifikator BKD (belum diambil)" in city
    assert f"/monitor/list?holder={_id(team, 'kasi')}&amp;period={team['period'].id}" in city
    assert "30 hari" in city  # kabid has waited since 30 days ago
    # The chart draws the same counts as the table, the overdue part apart.
    chart = city[city.index('id="chart-bottlenecks"') : city.index("</svg>")]
    assert re.findall(r'data-waiting="(\d+)"', chart) == ["2", "1", "1", "1"]
    assert re.findall(r'data-overdue="(\d+)"', chart) == ["1", "1", "1"]

    dinkes = browser.get(f"/monitor/bottlenecks?opd={team['opd'].id}").get_data(as_text=True)
    assert _rows(dinkes) == [(_id(team, "kasi"), 2, 1), (_id(team, "kabid"), 1, 1)]
    disdik = browser.get(f"/monitor/bottlenecks?opd={team['opd_b'].id}").get_data(as_text=True)
    assert _rows(disdik) == [("verifikator_bkd", 1, 1), (_id(team, "kadis_b"), 1, 0)]

    # Only what waits on someone else counts: kabid's own draft is not among their roles.
    (kabid,) = [
        r for r in reminding.ranking(team["period"], date.today()) if r.name == "Kabid Lubis, S.KM."
    ]
    assert kabid.roles == ["appraiser"]


def test_the_exports_hold_the_same_rows(org, browser):
    team = org
    browser.login(team["admin"].employee.nip)
    answer = browser.get(f"/monitor/bottlenecks.csv?period={team['period'].id}")
    assert answer.status_code == 200 and "attachment" in answer.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(answer.get_data().decode("utf-8-sig"))))
    assert rows[0][:6] == [
        "Peringkat",
        "Pemegang tugas",
        "Peran",
        "OPD",
        "SKP menunggu",
        "Di antaranya lewat tenggat",
    ]
    assert [(r[1], r[4], r[5]) for r in rows[1:]] == [
        ("Kasi Nasution, S.Kep.", "2", "1"),
        ("Verifikator BKD (belum diambil)", "1", "1"),
        ("Kabid Lubis, S.KM.", "1", "1"),
        ("Kadis Ginting", "1", "0"),
    ]
    # A person's OPD; none for the unclaimed group task, which spans OPDs.
    assert [r[3] for r in rows[1:]] == [
        "Dinas Kesehatan",
        "",
        "Dinas Kesehatan",
        "Dinas Pendidikan",
    ]
    answer = browser.get(f"/monitor/bottlenecks.xlsx?opd={team['opd'].id}")
    sheet = load_workbook(io.BytesIO(answer.get_data())).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert [(r[1], r[4], r[5]) for r in values[1:]] == [
        ("Kasi Nasution, S.Kep.", 2, 1),
        ("Kabid Lubis, S.KM.", 1, 1),
    ]


def test_the_reminder_arrives_in_the_holders_language_naming_their_waiting_skp(org, browser, smtp):
    team = org
    browser.login(team["admin"].employee.nip)
    answer = _remind(browser, team, "kasi", follow_redirects=True)
    assert "Pengingat terkirim kepada Kasi Nasution, S.Kep.: 2 SKP menunggu" in answer.get_data(
        as_text=True
    )
    assert send_batch().sent == 1
    (mail,) = smtp.messages
    assert mail["To"] == team["kasi"].employee.email
    assert "Admin Sitepu" in mail["Subject"] and "2 SKP" in mail["Subject"]
    body = text_of(mail)
    assert "2 SKP" in body and "1 di antaranya" in body
    # The oldest first (staf2's review, 20 days), then staf's plan; a link to the inbox.
    assert body.index("Rizky Pratama") < body.index("Dian Anggraini")
    assert re.search(rf"https?://\S+/inbox\?period={team['period'].id}", body)

    reminder = db.session.scalars(sa.select(MonitorReminder)).one()
    assert (reminder.holder_id, reminder.sent_by_id, reminder.waiting, reminder.overdue) == (
        team["kasi"].employee_id,
        team["admin"].employee_id,
        2,
        1,
    )
    assert reminder.opd_id is None and reminder.period_id == team["period"].id
    # The page says when and by whom.
    page = browser.get("/monitor/bottlenecks").get_data(as_text=True)
    assert "oleh Admin Sitepu" in page

    # In English for a holder who reads English.
    team["kabid"].locale = "en"
    db.session.commit()
    _remind(browser, team, "kabid")
    send_batch()
    english = smtp.to(team["kabid"].employee.email)[0]
    assert "Reminder from Admin Sitepu: 2 SKP waiting for you" in english["Subject"]


def test_one_reminder_a_day_per_holder_whoever_sends_it(org, new_browser):
    team = org
    admin, kepala = new_browser(), new_browser()
    admin.login(team["admin"].employee.nip)
    kepala.login(team["kadis"].employee.nip)
    assert _remind(admin, team, "kasi").status_code == 303
    second = _remind(kepala, team, "kasi", opd=team["opd"].id, follow_redirects=True)
    text = second.get_data(as_text=True)
    assert "sudah diingatkan" in text and "Admin Sitepu" in text
    assert db.session.scalar(sa.select(sa.func.count(MonitorReminder.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 1

    # A day later the kepala may send one.
    latest = db.session.get(MonitorReminderLatest, team["kasi"].employee_id)
    latest.sent_at -= timedelta(hours=24, minutes=1)
    db.session.commit()
    assert _remind(kepala, team, "kasi", opd=team["opd"].id).status_code == 303
    senders = db.session.scalars(
        sa.select(MonitorReminder.sent_by_id).order_by(MonitorReminder.id)
    ).all()
    assert senders == [team["admin"].employee_id, team["kadis"].employee_id]
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 2


def test_two_clicks_at_once_send_one_mail(org, app, monkeypatch):
    team = org
    barrier = threading.Barrier(2)
    read = reminding.waiting_tasks

    def read_then_wait(*args, **kwargs):
        tasks = read(*args, **kwargs)
        barrier.wait(timeout=20)  # both have read before either writes
        return tasks

    monkeypatch.setattr(reminding, "waiting_tasks", read_then_wait)
    browsers = []
    for key in ("admin", "kadis"):
        browser = Browser(app.test_client())
        browser.login(team[key].employee.nip)
        browsers.append((browser, browser.csrf_token("/account")))
    db.session.commit()
    url = f"/monitor/bottlenecks/{team['kasi'].employee_id}/remind"
    data = {"period": team["period"].id, "opd": team["opd"].id}

    def click(pair):
        browser, token = pair
        with app.app_context():
            response = browser.client.post(url, data=data | {"csrf_token": token})
            return response.status_code

    with ThreadPoolExecutor(2) as pool:
        codes = list(pool.map(click, browsers))
    assert codes == [303, 303]
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(MonitorReminder.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 1


def test_smtp_down_the_reminder_waits_in_the_outbox_and_the_page_works(
    org, app, browser, monkeypatch
):
    team = org
    point_mail_at(app, monkeypatch, free_port())  # nobody listens there
    browser.login(team["admin"].employee.nip)
    assert _remind(browser, team, "kasi").status_code == 303
    result = send_batch()
    assert result.unreachable and result.sent == 0
    message = db.session.scalars(sa.select(OutboxMessage)).one()
    assert message.status == "pending" and message.recipient == team["kasi"].employee.email
    page = browser.get("/monitor/bottlenecks")
    assert page.status_code == 200 and "oleh Admin Sitepu" in page.get_data(as_text=True)


def test_a_kepala_opd_watches_and_reminds_in_their_opd_only(org, browser):
    team = org
    browser.login(team["kadis_b"].employee.nip)
    own = browser.get("/monitor/bottlenecks").get_data(as_text=True)  # their OPD by default
    assert _rows(own) == [("verifikator_bkd", 1, 1), (_id(team, "kadis_b"), 1, 0)]
    assert f'data-remind="{_id(team, "kadis_b")}"' in own
    assert browser.get(f"/monitor/bottlenecks?opd={team['opd'].id}").status_code == 404
    assert browser.get(f"/monitor/bottlenecks.csv?opd={team['opd'].id}").status_code == 404
    assert _remind(browser, team, "kasi", opd=team["opd"].id).status_code == 404
    # Kasi (Dinkes) has nothing waiting in Disdik: told so, nothing sent.
    answer = _remind(browser, team, "kasi", opd=team["opd_b"].id, follow_redirects=True)
    assert "tidak memiliki SKP yang menunggu" in answer.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(MonitorReminder.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0


@pytest.mark.parametrize("role", ["pimpinan_daerah", "verifikator_bkd"])
def test_the_pimpinan_daerah_and_verifiers_watch_but_cannot_remind(org, browser, role):
    team = org
    watcher = factories.make_account(
        factories.make_employee("Pengamat Kota", team["admin"].employee.position), roles=(role,)
    )
    db.session.commit()
    browser.login(watcher.employee.nip)
    page = browser.get("/monitor/bottlenecks").get_data(as_text=True)
    assert len(_rows(page)) == 4 and "data-remind" not in page
    assert _remind(browser, team, "kasi").status_code == 403
    assert _remind(browser, team, "kasi", opd=team["opd"].id).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0


def test_nobody_else_sees_the_page(org, browser):
    browser.login(org["kasi"].employee.nip)
    assert browser.get("/monitor/bottlenecks").status_code == 403
    assert _remind(browser, org, "kabid").status_code == 403


def test_nothing_waiting_or_no_address_sends_nothing(org, browser):
    team = org
    browser.login(team["admin"].employee.nip)
    answer = _remind(browser, team, "staf", follow_redirects=True)
    assert "tidak memiliki SKP yang menunggu" in answer.get_data(as_text=True)
    team["kasi"].employee.email = None
    db.session.commit()
    answer = _remind(browser, team, "kasi", follow_redirects=True)
    assert "tidak dapat dikirimi email" in answer.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(MonitorReminder.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(MonitorReminderLatest.holder_id))) == 0
    # Bad input: a message, nothing sent (not a fall back to another period).
    answer = _remind(browser, team, "kasi", period="x", follow_redirects=True)
    assert "Periode itu tidak ada: tidak ada yang dikirim." in answer.get_data(as_text=True)
    assert browser.post("/monitor/bottlenecks/999999/remind", {}).status_code == 404


def test_bad_filters_get_a_message_or_not_found(org, browser):
    browser.login(org["admin"].employee.nip)
    page = browser.get("/monitor/bottlenecks?period=abc")
    assert page.status_code == 200 and "Periode itu tidak ada" in page.get_data(as_text=True)
    assert browser.get("/monitor/bottlenecks?opd=abc").status_code == 404
    assert browser.get("/monitor/bottlenecks?opd=999999").status_code == 404


def _more_work(team, n: int) -> None:
    """n more employees under kasi and under kadis_b, each with an SKP waiting on them."""
    period = team["period"]
    for i in range(n):
        for key, boss in (("kasi", team["staf"]), ("kasi_b", team["staf_b"])):
            employee = factories.make_employee(f"Tambahan {key} {i}", boss.employee.position)
            team[f"extra{i}{key}"] = factories.make_account(employee)
            appraisal_in_state(team, period, "plan_review", f"extra{i}{key}")
    # and a reminder logged for kasi
    db.session.add(
        MonitorReminderLatest(
            holder_id=team["kasi"].employee_id,
            sent_by_id=team["admin"].employee_id,
            sent_at=utcnow() - timedelta(days=2),
        )
    )
    db.session.commit()


@pytest.mark.parametrize("who", ["admin", "kadis"])
def test_the_page_is_within_budget_and_constant_in_the_data(org, app, who):
    team = org
    nip = team[who].employee.nip
    path = f"/monitor/bottlenecks?period={team['period'].id}"
    status_few, few = _statements(app, nip, path)
    _more_work(team, 6)
    status_many, many = _statements(app, nip, path)
    assert (status_few, status_many) == (200, 200)
    assert few == many
    assert many <= BUDGET
