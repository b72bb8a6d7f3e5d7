"""The monitor's pages (issue 15): hand-counted figures, scope, exports, ETag, query budget.

The seeded Dinas Kesehatan (period 2026, milestone "plans submitted" ahead):

    unit Bidang Pelayanan   staf (draft, task 5 days old and overdue), staf2 (plan review),
                            kasi (self-assessment)
    no unit                 kabid (final, predikat Baik), kadis (self-assessment, no task:
                            made for the kabid's plan to cascade from)

and Dinas Pendidikan with a guru's SKP in draft and its kepala's in self-assessment.
Appraisers: the kasi appraises staf and staf2, the kabid the kasi, the kadis the kabid.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Task, Unit
from app.models.types import utcnow
from tests.factories import make_account, make_employee, make_opd, make_period, make_position
from tests.test_query_budget import BUDGET, _statements
from tests.workflow_helpers import appraisal_in_state


def _seed(team: dict, year: int = 2026) -> dict:
    unit = Unit(opd_id=team["opd"].id, name="Bidang Pelayanan")
    db.session.add(unit)
    db.session.flush()
    for key in ("kasi", "staf"):
        team[key].employee.position.unit_id = unit.id
    period = make_period(year)
    # From the top down: an SKP's plan is cascaded from its atasan's.
    final = appraisal_in_state(team, period, "final", "kabid")
    final.predikat = "baik"
    appraisal_in_state(team, period, "self_assessment", "kasi")
    draft = appraisal_in_state(team, period, "draft")
    appraisal_in_state(team, period, "plan_review", "staf2")
    # Only the staf's draft is overdue, and has waited five days.
    db.session.execute(
        sa.update(Task)
        .where(Task.appraisal_id == draft.id, Task.closed_at.is_(None))
        .values(due_date=date.today() - timedelta(days=2), opened_at=utcnow() - timedelta(days=5))
    )
    db.session.flush()
    return {"period": period, "unit": unit, "draft": draft}


@pytest.fixture
def city(team):
    seeded = _seed(team)
    other = make_opd("DISDIK", "Dinas Pendidikan", "dinas")
    head = make_position(other, "Kepala Dinas Pendidikan", "jpt")
    team["other_head"] = make_account(make_employee("Kadis Pendidikan", head))
    guru = make_position(other, "Guru Ahli Pertama", "fungsional", head)
    team["guru"] = make_account(make_employee("Guru Hutapea", guru))
    appraisal_in_state(team, seeded["period"], "draft", "guru")
    db.session.commit()
    return team, other, seeded


def _cells(page: str, row: str) -> dict[str, str]:
    """The data-* figures of one table row (data-row="<key>")."""
    match = re.search(rf'<tr data-row="{row}"[^>]*>(.*?)</tr>', page, re.S)
    assert match, f"no row {row}"
    body = match.group(1)
    found = dict(re.findall(r'data-state="(\w+)" data-count="(\d+)"', body))
    for name in ("total", "completion", "reached", "overdue-count", "days"):
        value = re.search(rf'data-{name}="([^"]*)"', body)
        found[name] = value.group(1) if value else None
    return found


def _order(page: str) -> list[str]:
    return re.findall(r'<tr data-row="([^"]+)"', page)


def test_city_view_counts_each_opd_by_hand_and_ranks_the_worst_first(city, browser):
    team, other, _ = city
    browser.login(team["admin"].employee.nip)
    page = browser.get("/monitor").get_data(as_text=True)
    assert _order(page) == [str(other.id), str(team["opd"].id), "total"]
    dinkes = _cells(page, str(team["opd"].id))
    assert (dinkes["draft"], dinkes["plan_review"], dinkes["self_assessment"]) == ("1", "1", "2")
    assert (dinkes["final"], dinkes["supervisor_review"]) == ("1", "0")
    assert dinkes["total"] == "5" and dinkes["reached"] == "4" and dinkes["completion"] == "80.0"
    assert dinkes["overdue-count"] == "1" and dinkes["days"] == "5"
    disdik = _cells(page, str(other.id))
    assert (disdik["draft"], disdik["self_assessment"], disdik["total"]) == ("1", "1", "2")
    assert disdik["completion"] == "50.0"
    assert disdik["overdue-count"] == "0" and disdik["days"] == "0"
    total = _cells(page, "total")
    assert total["total"] == "7" and total["reached"] == "5" and total["draft"] == "2"
    assert total["completion"] == "71.4" and total["overdue-count"] == "1"
    assert 'data-milestone="plan_submitted"' in page
    # Each number leads to the list of the SKP behind it.
    assert f'href="/monitor/list?period={city[2]["period"].id}&amp;opd={team["opd"].id}' in page


def test_the_first_screen_shows_the_worst_rows_and_a_link_to_all(city, browser, monkeypatch):
    """A long table opens on its worst rows; the total still counts every row."""
    from app.monitoring import services

    monkeypatch.setattr(services, "FIRST_ROWS", 1)
    team, other, _ = city
    browser.login(team["admin"].employee.nip)
    page = browser.get("/monitor").get_data(as_text=True)
    assert _order(page) == [str(other.id), "total"]  # the worst OPD only
    assert _cells(page, "total")["total"] == "7"
    assert 'data-more-rows="1"' in page and "Tampilkan semua 2 baris" in page
    period = city[2]["period"].id
    assert f'href="/monitor?period={period}&amp;all=1"' in page
    every = browser.get(f"/monitor?period={period}&all=1").get_data(as_text=True)
    assert _order(every) == [str(other.id), str(team["opd"].id), "total"]
    assert "data-more-rows" not in every
    # The live refresh keeps asking for every row.
    assert "live=1&amp;all=1" in every or "all=1&amp;live=1" in every


def test_opd_view_counts_each_unit_and_the_predikat_by_hand(city, browser):
    team, _, seeded = city
    browser.login(team["kadis"].employee.nip)
    page = browser.get(f"/monitor/opd/{team['opd'].id}").get_data(as_text=True)
    assert _order(page) == [str(seeded["unit"].id), "none", "total"]
    unit = _cells(page, str(seeded["unit"].id))
    assert (unit["draft"], unit["plan_review"], unit["self_assessment"]) == ("1", "1", "1")
    assert unit["total"] == "3" and unit["completion"] == "66.7" and unit["overdue-count"] == "1"
    no_unit = _cells(page, "none")
    assert (no_unit["final"], no_unit["self_assessment"], no_unit["total"]) == ("1", "1", "2")
    assert no_unit["completion"] == "100.0" and no_unit["overdue-count"] == "0"
    assert '<tr data-predikat="baik"><td>Baik</td><td class="text-end">1</td>' in page
    assert '<tr data-predikat="sangat_baik">' in page
    # What the dashboard offered the kepala OPD stays: the tools and the tim kerja.
    assert "/tim-kerja" in page and "/exports/" in page
    # The kepala's tabs lead to the OPD's bottlenecks and performance.
    opd = team["opd"].id
    assert f"/monitor/bottlenecks?opd={opd}" in page and f"/monitor/kinerja?opd={opd}" in page
    # Unit rows lead to the unit's list (unit 0: the positions in no unit).
    assert f"unit={seeded['unit'].id}" in page and "unit=0" in page


def test_team_view_counts_each_appraiser_of_the_team_by_hand(city, browser):
    team, _, _ = city
    browser.login(team["kabid"].employee.nip)
    response = browser.get("/monitor")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/monitor/team/{team['kabid'].employee_id}")
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    kasi, kabid = str(team["kasi"].employee_id), str(team["kabid"].employee_id)
    assert _order(page) == [kasi, kabid, "total"]
    row = _cells(page, kasi)
    assert (row["draft"], row["plan_review"], row["total"]) == ("1", "1", "2")
    assert row["completion"] == "50.0" and row["overdue-count"] == "1" and row["days"] == "5"
    row = _cells(page, kabid)
    assert (row["self_assessment"], row["total"], row["completion"]) == ("1", "1", "100.0")


def test_the_list_shows_the_skp_behind_a_number(city, browser):
    team, _, seeded = city
    browser.login(team["kadis"].employee.nip)
    period = seeded["period"].id
    page = browser.get(f"/monitor/list?period={period}&overdue=1").get_data(as_text=True)
    assert re.findall(r'data-appraisal="(\d+)"', page) == [str(seeded["draft"].id)]
    assert "Dian Anggraini" in page and f"/appraisals/{seeded['draft'].id}" in page
    page = browser.get(f"/monitor/list?period={period}&unit=0").get_data(as_text=True)
    assert "Kabid Lubis" in page and "Kadis Siregar" in page and "Dian Anggraini" not in page
    page = browser.get(f"/monitor/list?period={period}&reached=0").get_data(as_text=True)
    assert len(re.findall(r"data-appraisal=", page)) == 1  # the one draft of the OPD
    # The longest-waiting first, whose turn it is, and its days in the step.
    page = browser.get(f"/monitor/list?period={period}").get_data(as_text=True)
    assert re.findall(r'data-appraisal="(\d+)"', page)[0] == str(seeded["draft"].id)
    assert "Dian Anggraini" in page and 'data-days="5"' in page
    assert browser.get(f"/monitor/list?period={period}&state=nonsense").status_code == 200
    # The bottlenecks page's link: the SKP waiting on one holder (the kasi: staf2's plan
    # to approve, and their own self-assessment).
    kasi = team["kasi"].employee_id
    page = browser.get(f"/monitor/list?holder={kasi}&period={period}").get_data(as_text=True)
    assert len(re.findall(r"data-appraisal=", page)) == 2 and "Rizky Pratama" in page
    assert "menunggu Kasi Nasution" in page


def test_the_list_pages_by_fifty(team, browser):
    period = make_period()
    appraisal_in_state(team, period, "draft")
    db.session.commit()
    from app.monitoring import listing

    browser.login(team["admin"].employee.nip)
    assert listing.PER_PAGE == 50
    page = browser.get(f"/monitor/list?period={period.id}&page=2").get_data(as_text=True)
    assert "data-appraisal=" not in page


# --- scope ----------------------------------------------------------------------------


def test_kepala_opd_cannot_open_another_opds_view_or_its_lists(city, browser):
    team, other, seeded = city
    browser.login(team["kadis"].employee.nip)
    response = browser.get("/monitor")
    assert response.headers["Location"].endswith(f"/monitor/opd/{team['opd'].id}")
    assert browser.get(f"/monitor/opd/{other.id}").status_code == 404
    assert browser.get(f"/monitor/list?opd={other.id}").status_code == 404
    # Without an OPD the list is the kepala's own OPD: the other OPD's guru is not in it.
    page = browser.get(f"/monitor/list?period={seeded['period'].id}").get_data(as_text=True)
    assert "Guru Hutapea" not in page and "Dian Anggraini" in page
    assert browser.get(f"/dashboard?opd={other.id}").status_code == 404
    # Nor through a unit or an appraiser of the other OPD (their names would show).
    unit = Unit(opd_id=other.id, name="Bidang Kurikulum")
    db.session.add(unit)
    db.session.commit()
    assert browser.get(f"/monitor/list?unit={unit.id}").status_code == 404
    outside = team["other_head"].employee_id
    assert browser.get(f"/monitor/list?appraiser={outside}").status_code == 404
    assert browser.get(f"/monitor/list?unit={seeded['unit'].id}").status_code == 200


def test_an_atasan_sees_only_their_team(city, browser):
    team, _, seeded = city
    browser.login(team["kasi"].employee.nip)
    kasi = team["kasi"].employee_id
    assert browser.get("/monitor").headers["Location"].endswith(f"/monitor/team/{kasi}")
    own = browser.get(f"/monitor/team/{kasi}")
    assert own.status_code == 200
    # No tab to pages an atasan may not open (bottlenecks, performance: OPD and city).
    assert "/monitor/bottlenecks" not in own.get_data(as_text=True)
    assert "/monitor/kinerja" not in own.get_data(as_text=True)
    assert browser.get(f"/monitor/team/{team['kabid'].employee_id}").status_code == 404
    assert browser.get(f"/monitor/opd/{team['opd'].id}").status_code == 404
    assert browser.get(f"/monitor/list?opd={team['opd'].id}").status_code == 404
    # A list filtered to an appraiser outside the team is refused.
    outside = team["kabid"].employee_id
    assert browser.get(f"/monitor/list?appraiser={outside}").status_code == 404
    page = browser.get(f"/monitor/list?period={seeded['period'].id}").get_data(as_text=True)
    listed = page.split("data-skp-list", 1)[1]
    assert len(re.findall(r"data-appraisal=", listed)) == 2  # staf's and staf2's
    assert "Dian Anggraini" in listed and "Kabid Lubis" not in listed and "Guru" not in listed


@pytest.mark.parametrize("path", ["/monitor", "/monitor/list", "/dashboard"])
def test_a_pegawai_may_not_monitor(city, browser, path):
    team, _, _ = city
    browser.login(team["staf"].employee.nip)
    assert browser.get(path).status_code == 403


@pytest.mark.parametrize(
    ("who", "ends"),
    [
        ("verifikator", "/monitor"),
        ("kadis", "/monitor/opd/{opd}"),
        ("kasi", "/monitor/team/{kasi}"),
    ],
)
def test_the_old_dashboard_url_leads_to_the_viewers_monitor(city, browser, who, ends):
    team, _, _ = city
    browser.login(team[who].employee.nip)
    response = browser.get("/dashboard")
    assert response.status_code == 302
    expected = ends.format(opd=team["opd"].id, kasi=team["kasi"].employee_id)
    assert response.headers["Location"].endswith(expected)


def test_bkd_may_open_any_opd(city, browser):
    team, other, _ = city
    browser.login(team["verifikator"].employee.nip)
    assert browser.get(f"/monitor/opd/{other.id}").status_code == 200
    assert browser.get(f"/monitor/opd/{team['opd'].id}").status_code == 200
    assert browser.get(f"/monitor/team/{team['kasi'].employee_id}").status_code == 200


def test_the_navigation_offers_the_monitor_to_those_who_watch(city, browser):
    team, _, _ = city
    for who, shown in [("admin", True), ("kadis", True), ("kasi", True), ("staf", False)]:
        browser.login(team[who].employee.nip)
        page = browser.get("/my-skp").get_data(as_text=True)
        assert ('href="/monitor"' in page) is shown, who
        browser.logout()


# --- live: ETag and fragment ----------------------------------------------------------


def test_an_unchanged_view_answers_304_and_a_change_gives_new_figures(city, browser):
    team, _, seeded = city
    browser.login(team["kadis"].employee.nip)
    url = f"/monitor/opd/{team['opd'].id}"
    page = browser.get(url).get_data(as_text=True)
    tag = re.search(r'data-etag="&#34;(\w+)&#34;"|data-etag="&quot;(\w+)&quot;"', page)
    etag = next(g for g in tag.groups() if g)
    live = re.search(r'data-live-url="([^"]+)"', page).group(1).replace("&amp;", "&")
    unchanged = browser.get(live, headers={"If-None-Match": f'"{etag}"'})
    assert unchanged.status_code == 304 and unchanged.get_data() == b""
    # Another SKP moves on: the same ETag now gets the new figures, and a new ETag.
    from app.workflow.engine import fire

    fire(seeded["draft"], "submit_plan", team["staf"], {})
    db.session.commit()
    changed = browser.get(live, headers={"If-None-Match": f'"{etag}"'})
    assert changed.status_code == 200 and changed.headers["ETag"] != f'"{etag}"'
    fragment = changed.get_data(as_text=True)
    assert "<html" not in fragment
    assert _cells(fragment, str(seeded["unit"].id))["plan_review"] == "2"


def test_the_etag_is_the_viewers_own(city, browser, new_browser):
    team, _, _ = city
    browser.login(team["kadis"].employee.nip)
    other = new_browser()
    other.login(team["admin"].employee.nip)
    url = f"/monitor/opd/{team['opd'].id}?live=1"
    assert browser.get(url).headers["ETag"] != other.get(url).headers["ETag"]


# --- exports --------------------------------------------------------------------------


def test_the_views_export_the_pages_numbers(city, browser):
    from openpyxl import load_workbook

    team, _, seeded = city
    browser.login(team["kadis"].employee.nip)
    url = f"/monitor/opd/{team['opd'].id}?period={seeded['period'].id}"
    book = load_workbook(io.BytesIO(browser.get(url + "&format=xlsx").get_data()))
    rows = [list(r) for r in book.active.iter_rows(values_only=True)]
    head = rows[0]
    unit = next(r for r in rows if r[0] == "Bidang Pelayanan")
    assert unit[head.index("SKP")] == 3
    assert unit[head.index("Tugas lewat tenggat")] == 1
    assert float(unit[head.index("Ketuntasan (%)")]) == 66.7
    total = next(r for r in rows if r[0] == "Total OPD")
    assert total[head.index("SKP")] == 5
    assert ["Baik", 1] in [list(r[:2]) for r in rows]  # the predikat so far, after the table
    text = browser.get(url + "&format=csv").get_data().decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    unit = next(r for r in lines if r[0] == "Bidang Pelayanan")
    assert unit[lines[0].index("SKP")] == "3" and unit[lines[0].index("Ketuntasan (%)")] == "66,7"


def test_the_list_exports_every_matching_skp(city, browser):
    team, _, seeded = city
    browser.login(team["admin"].employee.nip)
    text = browser.get(f"/monitor/list?period={seeded['period'].id}&format=csv").get_data()
    lines = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert len(lines) == 1 + 7
    assert any(line[0] == "Guru Hutapea" for line in lines)


# --- query budget ---------------------------------------------------------------------


def _grow(team: dict, period) -> None:
    """Three times the organisation: more staff under the kasi, two more OPDs with units."""
    position = team["staf"].employee.position
    for n in range(10):
        key = f"extra{n}"
        team[key] = make_account(make_employee(f"Pegawai Tambahan {n}", position))
        appraisal_in_state(team, period, "plan_review", key)
    for code in ("DISHUB", "DISPORA"):
        opd = make_opd(code, f"Dinas {code.title()}", "dinas")
        unit = Unit(opd_id=opd.id, name=f"Bidang {code.title()}")
        db.session.add(unit)
        db.session.flush()
        head = make_position(opd, f"Kepala {code}", "jpt")
        team[f"head{code}"] = make_account(make_employee(f"Kepala {code}", head))
        for n in range(4):
            post = make_position(opd, f"Staf {code} {n}", "pelaksana", head)
            post.unit_id = unit.id
            key = f"{code}{n}"
            team[key] = make_account(make_employee(f"Staf {code} {n}", post))
            appraisal_in_state(team, period, ("draft", "plan_review")[n % 2], key)


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("admin", "/monitor"),
        ("kadis", "/monitor/opd/{opd}"),
        ("kasi", "/monitor/team/{kasi}"),
        ("admin", "/monitor/list?period={period}"),
        ("kadis", "/monitor/opd/{opd}?live=1"),
    ],
)
def test_the_monitors_pages_are_within_budget_and_constant(app, city, who, path):
    team, _, seeded = city
    url = path.format(opd=team["opd"].id, kasi=team["kasi"].employee_id, period=seeded["period"].id)
    nip = team[who].employee.nip
    status, small = _statements(app, nip, url)
    assert status == 200
    _grow(team, seeded["period"])
    db.session.commit()
    status, large = _statements(app, nip, url)
    assert status == 200
    assert small == large <= BUDGET


def test_the_navigation_costs_other_pages_nothing(app, city):
    team, _, _ = city
    for who in ("kasi", "staf", "admin"):
        status, count = _statements(app, team[who].employee.nip, "/my-skp")
        assert status == 200 and count <= BUDGET
