"""Pengumuman: audience, marking read, the read rate per OPD and who may manage them."""

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.announcements.services import reach_by_opd, reach_totals
from app.extensions import db
from app.models import Account, Announcement, AnnouncementRead
from tests.factories import make_account, make_employee, make_opd, make_position
from tests.test_query_budget import BUDGET, _statements


@pytest.fixture
def city(team):
    """The team's OPD (DINKES, with the team) and a second OPD, DISDIK, with two teachers."""
    disdik = make_opd("DISDIK", "Dinas Pendidikan", "dinas")
    guru = make_position(disdik, "Guru Ahli Pertama", "fungsional")
    team["guru"] = make_account(make_employee("Guru Simanjuntak", guru))
    team["guru2"] = make_account(make_employee("Guru Purba", guru))
    team["disdik"] = disdik
    return team


def _post(browser, team, **fields):
    browser.login(team["admin"].employee.nip)
    data = {"title": "Tenggat SKP", "body": "Rencana SKP paling lambat 31 Januari.",
            "body_format": "text", "audience": "city", "expires_on": ""} | fields  # fmt: skip
    response = browser.post("/admin/announcements/new", data, token_from="/admin/announcements/new")
    browser.logout()
    return response


def _home(browser, account) -> str:
    browser.login(account.employee.nip)
    page = browser.get("/").get_data(as_text=True)
    browser.logout()
    return page


def test_an_announcement_to_one_opd_shows_to_its_pegawai_only(city, browser):
    response = _post(browser, city, title="Sosialisasi SKP Dinkes", audience="opds",
                     opds=[str(city["opd"].id)])  # fmt: skip
    assert response.status_code == 302
    assert "Sosialisasi SKP Dinkes" in _home(browser, city["staf"])
    assert "Sosialisasi SKP Dinkes" in _home(browser, city["kadis"])
    assert "Sosialisasi SKP Dinkes" not in _home(browser, city["guru"])


def test_a_city_announcement_shows_to_everyone_and_not_after_it_expired(city, browser):
    _post(browser, city, title="Untuk semua")
    assert "Untuk semua" in _home(browser, city["guru"])
    db.session.scalars(sa.select(Announcement)).one().expires_on = date.today() - timedelta(days=1)
    assert "Untuk semua" not in _home(browser, city["guru"])


def test_marking_read_removes_it_from_beranda_for_that_reader_only(city, browser):
    _post(browser, city, title="Baca saya")
    announcement = db.session.scalars(sa.select(Announcement)).one()
    browser.login(city["staf"].employee.nip)
    page = browser.get("/").get_data(as_text=True)
    assert f'action="/announcements/{announcement.id}/read"' in page
    response = browser.post(f"/announcements/{announcement.id}/read", token_from="/")
    assert response.status_code == 302
    assert "Baca saya" not in browser.get("/").get_data(as_text=True)
    # Twice (another tab): still one read mark, no error.
    assert browser.post(f"/announcements/{announcement.id}/read", token_from="/").status_code == 302
    browser.logout()
    assert "Baca saya" in _home(browser, city["staf2"])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AnnouncementRead)) == 1


def test_only_a_recipient_may_mark_it_read_and_only_with_the_csrf_token(city, browser):
    _post(browser, city, audience="opds", opds=[str(city["opd"].id)])
    announcement = db.session.scalars(sa.select(Announcement)).one()
    browser.login(city["guru"].employee.nip)
    assert browser.post(f"/announcements/{announcement.id}/read", token_from="/").status_code == 404
    browser.logout()
    browser.login(city["staf"].employee.nip)
    assert browser.client.post(f"/announcements/{announcement.id}/read").status_code == 400
    assert browser.get(f"/announcements/{announcement.id}/read").status_code == 405
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AnnouncementRead)) == 0


def test_the_read_rate_equals_a_hand_count(city, browser):
    _post(browser, city, title="Hitung")
    announcement = db.session.scalars(sa.select(Announcement)).one()
    # Read by two of DINKES (staf, kasi) and one of DISDIK (guru); a disabled account
    # of DINKES is no recipient.
    for key in ("staf", "kasi", "guru"):
        db.session.add(AnnouncementRead(announcement_id=announcement.id, account_id=city[key].id))
    db.session.get(Account, city["staf2"].id).is_enabled = False
    db.session.flush()
    # By hand: DINKES has kadis, kabid, kasi, staf (staf2 disabled) = 4, read 2;
    # DISDIK has guru, guru2 = 2, read 1; BKPSDM has verifikator, verifikator2, admin = 3, read 0.
    expected = {"Dinas Kesehatan": (4, 2), "Dinas Pendidikan": (2, 1),
                "Badan Kepegawaian dan Pengembangan SDM": (3, 0)}  # fmt: skip
    rows = {r.opd_name: (r.recipients, r.read) for r in reach_by_opd(announcement)}
    assert rows == expected
    assert reach_totals([announcement]) == {announcement.id: (9, 3)}

    browser.login(city["admin"].employee.nip)
    page = browser.get(f"/admin/announcements/{announcement.id}").get_data(as_text=True)
    table = page.split('id="reach"')[1]
    found = re.findall(
        r'<th scope="row" class="fw-normal">([^<]+)</th>\s*'
        r"<td[^>]*data-recipients>(\d+)</td>\s*<td[^>]*data-read>(\d+)</td>\s*<td[^>]*>([\d.]+)</td>",
        table,
    )
    assert {name: (int(n), int(r)) for name, n, r, _pct in found} == expected
    assert ("Dinas Kesehatan", "4", "2", "50.0") in found
    assert 'data-read="3" data-recipients="9"' in page
    assert "<svg" in page and 'data-percent="50.0"' in page
    index = browser.get("/admin/announcements").get_data(as_text=True)
    assert 'data-read="3" data-recipients="9"' in index


def test_an_opd_announcement_counts_only_its_opds(city, browser):
    _post(browser, city, audience="opds", opds=[str(city["disdik"].id)])
    announcement = db.session.scalars(sa.select(Announcement)).one()
    db.session.add(AnnouncementRead(announcement_id=announcement.id, account_id=city["guru2"].id))
    db.session.flush()
    rows = [(r.opd_name, r.recipients, r.read) for r in reach_by_opd(announcement)]
    assert rows == [("Dinas Pendidikan", 2, 1)]
    assert reach_totals([announcement]) == {announcement.id: (2, 1)}


def test_the_form_refuses_an_opd_audience_without_opds_and_a_past_date(city, browser):
    response = _post(browser, city, audience="opds",
                     expires_on=(date.today() - timedelta(days=1)).isoformat())  # fmt: skip
    page = response.get_data(as_text=True)
    assert response.status_code == 422  # refused input, as every form of the app answers
    assert "Pilih paling sedikit satu OPD." in page
    assert "Tanggal tidak boleh sebelum hari ini." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Announcement)) == 0


def test_markdown_bodies_are_rendered_without_raw_html(city, browser):
    _post(browser, city, body_format="markdown",
          body="**Penting**: lihat [Panduan](/panduan/)\n\n<script>alert(1)</script>")  # fmt: skip
    page = _home(browser, city["staf"])
    assert "<strong>Penting</strong>" in page and '<a href="/panduan/">Panduan</a>' in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize(
    "path", ["/admin/announcements", "/admin/announcements/new", "/admin/announcements/{id}"]
)
@pytest.mark.parametrize("who", ["staf", "kasi", "kadis", "verifikator"])
def test_non_admins_get_403_on_the_admin_pages(city, browser, who, path):
    _post(browser, city)
    announcement = db.session.scalars(sa.select(Announcement)).one()
    browser.login(city[who].employee.nip)
    assert browser.get(path.format(id=announcement.id)).status_code == 403
    if path.endswith("/new"):
        response = browser.post(path, {"title": "x", "body": "y", "audience": "city"})
        assert response.status_code == 403


def test_the_read_rate_page_stays_within_budget_whatever_the_numbers(app, city, browser):
    _post(browser, city)
    announcement = db.session.scalars(sa.select(Announcement)).one()
    nip = city["admin"].employee.nip
    _status, few = _statements(app, nip, f"/admin/announcements/{announcement.id}")
    for n in range(12):
        opd = make_opd(f"KEC{n}", f"Kecamatan {n}", "kecamatan")
        position = make_position(opd, "Pengadministrasi Perkantoran")
        for _ in range(3):
            account = make_account(make_employee("Pegawai Kecamatan", position))
            db.session.add(AnnouncementRead(announcement_id=announcement.id, account_id=account.id))
    status, many = _statements(app, nip, f"/admin/announcements/{announcement.id}")
    assert status == 200
    assert few == many <= BUDGET
    _status, index = _statements(app, nip, "/admin/announcements")
    assert index <= BUDGET


def test_beranda_with_announcements_stays_within_budget(app, city, browser):
    for n in range(3):
        _post(browser, city, title=f"Pengumuman {n}", audience="opds", opds=[str(city["opd"].id)])
    status, count = _statements(app, city["staf"].employee.nip, "/")
    assert status == 200 and count <= BUDGET
