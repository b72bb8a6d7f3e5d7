"""The task inbox: whose tasks show, in what order, filtered and paged; claiming group tasks."""

import html
import re
import threading
import time
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.appraisals.services import open_appraisal
from app.extensions import db
from app.inbox import services
from app.models import Account, Appraisal, Employee, Task
from app.models.types import utcnow
from app.workflow.engine import fire
from tests.factories import make_nip, make_opd, make_period
from tests.skp_helpers import fill_complete_skp

ROW_RE = re.compile(r'<tr data-task-id="(\d+)">(.*?)</tr>', re.S)
NEXT_RE = re.compile(r'href="([^"]*)" rel="next"')

# The annual workflow up to BKD verification: (trigger, who fires it).
TO_VERIFICATION = [
    ("submit_plan", "staf"),
    ("approve_plan", "kasi"),
    ("submit_assessment", "staf"),
    ("approve_review", "kasi"),
]


@pytest.fixture
def period(app):
    return make_period()


def today() -> date:
    return utcnow().date()


def rows(response) -> list[tuple[int, str]]:
    """(task id, row html) of each inbox row, in page order."""
    assert response.status_code == 200
    return [(int(tid), body) for tid, body in ROW_RE.findall(response.get_data(as_text=True))]


def task_ids(response) -> list[int]:
    return [tid for tid, _ in rows(response)]


def next_url(response) -> str | None:
    match = NEXT_RE.search(response.get_data(as_text=True))
    return html.unescape(match.group(1)) if match else None


def english(account: Account) -> Account:
    account.locale = "en"
    db.session.commit()
    return account


def bulk_tasks(
    period,
    n: int,
    *,
    assignee_id: int | None,
    appraiser_id: int | None = None,
    role: str = "appraiser",
    state: str = "plan_review",
    opd_id: int | None = None,
    due=lambda i: today() + timedelta(days=7),
    claimed_by_id: int | None = None,
) -> list[int]:
    """Insert n employees, their appraisals and one open task each, set-based; the task ids."""
    employees = db.session.scalars(
        sa.insert(Employee).returning(Employee.id, sort_by_parameter_order=True),
        [{"nip": make_nip(), "name": f"Pegawai {i:04d}", "status": "PNS"} for i in range(n)],
    ).all()
    appraisals = db.session.scalars(
        sa.insert(Appraisal).returning(Appraisal.id, sort_by_parameter_order=True),
        [
            {
                "employee_id": employee_id,
                "period_id": period.id,
                "opd_id": opd_id,
                "appraiser_id": appraiser_id or assignee_id,
                "workflow": period.workflow,
                "state": state,
                "version": 1,
            }
            for employee_id in employees
        ],
    ).all()
    return db.session.scalars(
        sa.insert(Task).returning(Task.id, sort_by_parameter_order=True),
        [
            {
                "appraisal_id": appraisal_id,
                "state": state,
                "role": role,
                "assignee_id": assignee_id,
                "claimed_by_id": claimed_by_id,
                "due_date": due(i),
            }
            for i, appraisal_id in enumerate(appraisals)
        ],
    ).all()


def to_verification(team, period) -> Task:
    """Staf's appraisal moved to BKD verification: its open task is a group task."""
    appraisal = open_appraisal(team["staf"].employee, period)
    fill_complete_skp(appraisal)  # the content each step checks
    db.session.commit()
    for trigger, who in TO_VERIFICATION:
        fire(appraisal, trigger, team[who], {"comment": ""})
        db.session.commit()
    task = db.session.scalars(
        sa.select(Task).where(Task.appraisal_id == appraisal.id, Task.closed_at.is_(None))
    ).one()
    assert (task.role, task.assignee_id) == ("verifikator_bkd", None)
    return task


def test_inbox_shows_only_my_tasks(team, period, browser, new_browser):
    staf, kasi = team["staf"], english(team["kasi"])
    appraisal = open_appraisal(staf.employee, period)
    fill_complete_skp(appraisal)
    browser.login(staf.employee.nip)
    boss = new_browser()
    boss.login(kasi.employee.nip)

    [(_, row)] = rows(browser.get("/inbox"))
    assert f'href="/appraisals/{appraisal.id}"' in row
    assert staf.employee.nip in row and staf.employee.name in row
    assert team["opd"].name in row and period.name in row
    empty = boss.get("/inbox")
    assert rows(empty) == [] and "No open tasks." in empty.get_data(as_text=True)

    fire(appraisal, "submit_plan", staf, {"comment": ""})
    assert rows(browser.get("/inbox")) == []
    [(_, row)] = rows(boss.get("/inbox"))
    assert f'href="/appraisals/{appraisal.id}"' in row and "Plan approval" in row


def test_step_is_labelled_in_the_users_language(team, period, browser):
    open_appraisal(team["staf"].employee, period)
    browser.login(team["staf"].employee.nip)
    [(_, row)] = rows(browser.get("/inbox"))
    assert "Penyusunan rencana SKP" in row


def test_overdue_tasks_come_first_with_a_badge(team, period, browser):
    kasi = english(team["kasi"])
    offsets = [5, 1, -3, 0, -10]
    ids = bulk_tasks(
        period, 5, assignee_id=kasi.employee_id, due=lambda i: today() + timedelta(offsets[i])
    )
    browser.login(kasi.employee.nip)
    shown = rows(browser.get("/inbox"))
    by_offset = dict(zip(ids, offsets, strict=True))
    assert [by_offset[tid] for tid, _ in shown] == [-10, -3, 0, 1, 5]
    assert ["overdue" in row for _, row in shown] == [True, True, False, False, False]


@pytest.fixture
def spread(team, period):
    """Four tasks for the kasi differing in period, OPD and step."""
    other_period = make_period(2025)
    other_opd = make_opd("DISDIK", "Dinas Pendidikan")
    kasi, opd = team["kasi"].employee_id, team["opd"].id

    def one(per, opd_id, state):
        return bulk_tasks(per, 1, assignee_id=kasi, opd_id=opd_id, state=state)[0]

    return {
        "base": one(period, opd, "plan_review"),
        "other_period": one(other_period, opd, "plan_review"),
        "other_opd": one(period, other_opd.id, "plan_review"),
        "other_step": one(period, opd, "supervisor_review"),
        "ids": {"period": other_period.id, "opd": other_opd.id, "main_period": period.id},
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("period={period}", ["other_period"]),
        ("opd={opd}", ["other_opd"]),
        ("step=supervisor_review", ["other_step"]),
        ("period={main_period}&opd={main_opd}&step=plan_review", ["base"]),
        ("", ["base", "other_period", "other_opd", "other_step"]),
    ],
)
def test_filters_by_period_opd_and_step(team, spread, browser, query, expected):
    browser.login(team["kasi"].employee.nip)
    url = "/inbox?" + query.format(main_opd=team["opd"].id, **spread["ids"])
    assert sorted(task_ids(browser.get(url))) == sorted(spread[key] for key in expected)


@pytest.mark.parametrize(
    "query",
    [
        "after=garbage",
        "after=2026-13-01.5",
        "after=2026-01-01.x",
        "after=2026-01-01.-4",
        f"after=2026-01-01.{2**70}",
        "after=.",
        "after=" + "9" * 5000,
        "period=abc",
        "period=",
        f"period={2**70}",
        "opd=-1",
        "opd=999999",
        "step=nonsense",
        "step=plan_review&period=x&opd=y",
    ],
)
def test_malformed_cursor_or_filter_shows_the_first_page(team, spread, browser, query):
    browser.login(team["kasi"].employee.nip)
    response = browser.get("/inbox?" + query)
    assert response.status_code == 200
    assert set(task_ids(response)) >= {spread["base"]}


def test_invalid_filter_is_shown_as_a_form_error(team, spread, browser):
    browser.login(team["kasi"].employee.nip)
    page = browser.get("/inbox?period=999999").get_data(as_text=True)
    assert 'class="form-select is-invalid"' in page


def test_filters_keep_the_chosen_options_selected(team, spread, browser):
    browser.login(team["kasi"].employee.nip)
    opd = spread["ids"]["opd"]
    page = browser.get(f"/inbox?opd={opd}&step=supervisor_review").get_data(as_text=True)
    assert f'<option selected value="{opd}">' in page
    assert '<option selected value="supervisor_review">' in page
    assert '<option selected value="0">' in page  # the period: all
    assert 'id="opd" name="opd"' in page


def test_keyset_pagination_pages_through_every_task_once(team, period, browser):
    kasi = team["kasi"].employee_id
    # Seven due dates for 120 tasks: many ties, which the id must break.
    ids = bulk_tasks(period, 120, assignee_id=kasi, due=lambda i: today() + timedelta(i % 7 - 2))
    due = dict(zip(ids, (today() + timedelta(i % 7 - 2) for i in range(120)), strict=True))
    browser.login(team["kasi"].employee.nip)

    seen, pages, url = [], [], f"/inbox?period={period.id}"
    while url:
        response = browser.get(url)
        pages.append(task_ids(response))
        seen += pages[-1]
        url = next_url(response)
        assert url is None or f"period={period.id}" in url
    assert [len(page) for page in pages] == [50, 50, 20]
    assert seen == sorted(ids, key=lambda tid: (due[tid], tid))


def test_claim_and_release_a_group_task(team, period, browser, new_browser):
    task = to_verification(team, period)
    first, second = team["verifikator"], team["verifikator2"]
    browser.login(first.employee.nip)
    other = new_browser()
    other.login(second.employee.nip)
    assert task_ids(browser.get("/inbox")) == [task.id]
    assert task_ids(other.get("/inbox")) == [task.id]

    assert browser.post(f"/inbox/{task.id}/claim").status_code == 302
    db.session.refresh(task)
    assert task.claimed_by_id == first.employee_id
    assert task_ids(browser.get("/inbox")) == [task.id]
    assert task_ids(other.get("/inbox")) == []

    assert browser.post(f"/inbox/{task.id}/release").status_code == 302
    db.session.refresh(task)
    assert task.claimed_by_id is None
    assert task_ids(other.get("/inbox")) == [task.id]


def test_second_claim_is_refused_naming_the_claimer(team, period, browser, new_browser):
    task = to_verification(team, period)
    first, second = team["verifikator"], english(team["verifikator2"])
    browser.login(first.employee.nip)
    other = new_browser()
    other.login(second.employee.nip)
    other.get("/inbox")  # the second verifier sees it unclaimed...
    browser.post(f"/inbox/{task.id}/claim")  # ...the first one claims it...

    response = other.post(f"/inbox/{task.id}/claim", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert f"already claimed by {first.employee.name}" in page
    db.session.refresh(task)
    assert task.claimed_by_id == first.employee_id


def test_claim_checks_the_row_not_the_loaded_task(team, period):
    task = to_verification(team, period)
    first, second = team["verifikator"], team["verifikator2"]
    task = db.session.get(Task, task.id)
    assert task.claimed_by_id is None
    with db.engine.begin() as conn:  # another request claims it meanwhile
        conn.execute(
            sa.update(Task).where(Task.id == task.id).values(claimed_by_id=first.employee_id)
        )
    with pytest.raises(services.ClaimRefused) as refused:
        services.claim(task, second)
    assert refused.value.holder.id == first.employee_id
    assert task.claimed_by_id == first.employee_id


def test_concurrent_claims_have_exactly_one_winner(app, team, period):
    task_id = to_verification(team, period).id
    accounts = [team["verifikator"].id, team["verifikator2"].id]
    db.session.commit()
    barrier, outcome = threading.Barrier(2), {}

    def claim_as(account_id):
        with app.app_context():
            try:
                task, account = db.session.get(Task, task_id), db.session.get(Account, account_id)
                barrier.wait()
                services.claim(task, account)
                time.sleep(0.2)  # hold the row lock while the other one tries
                db.session.commit()
                outcome[account_id] = "won"
            except services.ClaimRefused as refused:
                outcome[account_id] = refused.holder.id
            finally:
                db.session.remove()

    threads = [threading.Thread(target=claim_as, args=(a,)) for a in accounts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    [winner] = [a for a in accounts if outcome.get(a) == "won"]
    [loser] = [a for a in accounts if a != winner]
    winner_employee = db.session.get(Account, winner).employee_id
    assert outcome[loser] == winner_employee
    assert db.session.get(Task, task_id).claimed_by_id == winner_employee


@pytest.mark.parametrize("who", ["kasi", "staf", "admin", "kadis"])
def test_only_a_verifier_can_claim(team, period, browser, who):
    task = to_verification(team, period)
    browser.login(team[who].employee.nip)
    assert browser.post(f"/inbox/{task.id}/claim").status_code == 403
    db.session.refresh(task)
    assert task.claimed_by_id is None


def test_personal_task_cannot_be_claimed(team, period, browser):
    appraisal = open_appraisal(team["staf"].employee, period)
    task = db.session.scalars(sa.select(Task).where(Task.appraisal_id == appraisal.id)).one()
    browser.login(team["verifikator"].employee.nip)
    assert browser.post(f"/inbox/{task.id}/claim").status_code == 404
    db.session.refresh(task)
    assert task.claimed_by_id is None


def test_verifier_neither_sees_nor_claims_own_appraisal(team, period, browser):
    verifier = team["verifikator"]
    [own] = bulk_tasks(
        period,
        1,
        assignee_id=None,
        appraiser_id=team["kasi"].employee_id,
        role="verifikator_bkd",
        state="verification",
    )
    db.session.execute(
        sa.update(Appraisal)
        .where(Appraisal.id == db.session.get(Task, own).appraisal_id)
        .values(employee_id=verifier.employee_id)
    )
    browser.login(verifier.employee.nip)
    assert task_ids(browser.get("/inbox")) == []
    assert browser.post(f"/inbox/{own}/claim").status_code == 403


def test_only_the_claimer_can_release(team, period, browser):
    task = to_verification(team, period)
    task.claimed_by_id = team["verifikator"].employee_id
    browser.login(team["verifikator2"].employee.nip)
    assert browser.post(f"/inbox/{task.id}/release").status_code == 403
    db.session.refresh(task)
    assert task.claimed_by_id == team["verifikator"].employee_id


def test_admin_sees_tasks_that_need_assignment(team, period, browser, new_browser):
    admin = english(team["admin"])
    [orphan] = bulk_tasks(period, 1, assignee_id=None, appraiser_id=team["kasi"].employee_id)
    group = to_verification(team, period)
    browser.login(admin.employee.nip)
    [(tid, row)] = rows(browser.get("/inbox"))
    assert tid == orphan and "needs assignment" in row
    verifier = new_browser()
    verifier.login(team["verifikator"].employee.nip)
    assert task_ids(verifier.get("/inbox")) == [group.id]


@pytest.mark.parametrize("action", ["list", "claim", "release"])
def test_anonymous_is_sent_to_sign_in(team, period, browser, action):
    task = to_verification(team, period)
    send = browser.get if action == "list" else browser.post
    response = send("/inbox" if action == "list" else f"/inbox/{task.id}/{action}")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    db.session.refresh(task)
    assert task.claimed_by_id is None


def count_statements(call):
    """The response of call() and the number of SQL statements it executed."""
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = call()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    return response, len(statements)


def test_inbox_query_count_does_not_grow_with_the_tasks(team, period, browser):
    kasi = team["kasi"]
    browser.login(kasi.employee.nip)
    counts = {}
    created = 0
    for total in (10, 60, 500):
        bulk_tasks(
            period,
            total - created,
            assignee_id=kasi.employee_id,
            opd_id=team["opd"].id,
            due=lambda i: today() + timedelta(i % 30 - 10),
        )
        created = total
        db.session.commit()
        response, counts[total] = count_statements(lambda: browser.get("/inbox"))
        assert len(rows(response)) == min(total, services.PAGE_SIZE)
    # Constant whatever the inbox holds (the navigation's badge and "SKP tim" are one query).
    assert counts[10] == counts[60] == counts[500] <= 10, counts


def nav_count(response) -> int:
    match = re.search(r'data-inbox-count="(\d+)"', response.get_data(as_text=True))
    return int(match.group(1)) if match else 0


def test_navigation_counts_my_open_tasks(team, period, browser, new_browser):
    kasi = team["kasi"].employee_id
    bulk_tasks(period, 3, assignee_id=kasi)
    closed = bulk_tasks(period, 2, assignee_id=kasi)
    db.session.execute(sa.update(Task).where(Task.id.in_(closed)).values(closed_at=utcnow()))
    bulk_tasks(period, 4, assignee_id=team["kabid"].employee_id)
    group = to_verification(team, period)

    browser.login(team["kasi"].employee.nip)
    assert nav_count(browser.get("/")) == 3
    assert nav_count(browser.get("/inbox")) == 3
    verifier = new_browser()
    verifier.login(team["verifikator"].employee.nip)
    assert nav_count(verifier.get("/")) == 1
    group.claimed_by_id = team["verifikator2"].employee_id
    assert nav_count(verifier.get("/")) == 0
    staf = new_browser()
    staf.login(team["staf"].employee.nip)
    assert nav_count(staf.get("/")) == 0


def test_the_navigation_badge_counts_every_open_task_on_one_page_or_more(team, period, browser):
    kasi = team["kasi"].employee_id
    bulk_tasks(period, 3, assignee_id=kasi)
    db.session.commit()
    browser.login(team["kasi"].employee.nip)
    one_page, fits = count_statements(lambda: browser.get("/inbox"))
    bulk_tasks(period, services.PAGE_SIZE, assignee_id=kasi)
    db.session.commit()
    two_pages, more = count_statements(lambda: browser.get("/inbox"))
    assert (nav_count(one_page), nav_count(two_pages)) == (3, 3 + services.PAGE_SIZE)
    assert fits == more
