"""The navigation and pickers people start from: who sees what, and where pickers begin."""

from datetime import date

from app.extensions import db
from app.periods.services import working_period
from tests.factories import make_period


def _page(browser, who, url="/") -> str:
    browser.login(who.employee.nip)
    return browser.get(url).get_data(as_text=True)


def test_the_kepala_opd_has_the_monitor_in_the_navigation_and_staff_do_not(
    team, browser, new_browser
):
    make_period()
    db.session.commit()
    nav = _page(browser, team["kadis"]).split("</nav>")[0]
    assert 'href="/monitor"' in nav and "Pemantauan" in nav and "Administrasi" not in nav
    assert 'href="/monitor"' not in _page(new_browser(), team["staf"]).split("</nav>")[0]


def test_admin_pages_are_grouped_in_one_menu(team, browser):
    nav = _page(browser, team["admin"]).split("</nav>")[0]
    menu = nav.split("data-admin-menu")[1]
    for url in ("/admin/employees", "/admin/periods/", "/admin/roster/", "/admin/outbox"):
        assert f'href="{url}"' in menu
    assert 'rel="icon"' in _page(browser, team["admin"])


def test_an_open_period_offers_add_opds_not_open(team, browser):
    period = make_period(status="open")
    draft = make_period(2027, status="draft")
    db.session.commit()
    page = _page(browser, team["admin"], "/admin/periods/")
    row = page.split(f'data-period="{period.id}"')[1].split("</tr>")[0]
    assert "data-add-opds" in row and ">Buka<" not in row
    assert ">Buka<" in page.split(f'data-period="{draft.id}"')[1].split("</tr>")[0]


def test_pickers_start_at_the_period_people_work_in(app):
    old = make_period(2025, status="open")
    annual = make_period(2026, status="open")
    quarter = make_period(2026, "tw2", workflow="skp_periodic", status="open")
    quarter.start_date, quarter.end_date = date(2026, 4, 1), date(2026, 6, 30)
    closed = make_period(2027, status="closed")
    periods = [closed, annual, quarter, old]
    assert working_period(periods, date(2026, 5, 2)) == quarter  # it covers today, and is nearer
    assert working_period(periods, date(2026, 8, 2)) == annual
    assert working_period(periods, date(2027, 1, 10)) == quarter  # none covers: latest open
    assert working_period([closed], date(2027, 1, 10)) == closed


def test_the_position_picker_is_grouped_by_opd_and_unit_and_filterable(team, browser):
    page = _page(browser, team["admin"], "/admin/employees/new")
    assert '<optgroup label="Dinas Kesehatan' in page
    assert 'data-filter-options="position_id"' in page and "js/option-filter.js" in page
