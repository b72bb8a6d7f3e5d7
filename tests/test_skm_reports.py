"""The survey reports (XLSX of anonymised responses, PDF report), who may read them, and
the public IKM pages (no account, no employee named)."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.extensions import db
from app.models import ServiceKind, ServiceUnit, SkmContact, SkmResponse
from app.models.types import utcnow
from tests import factories
from tests.test_skm_index import HAND, add_responses

MARKUP = "<b>Antrian</b> panjang & lama"
HIDDEN = "Komentar kasar yang disembunyikan"
SECRET_HASH = "f" * 64


@pytest.fixture
def unit(team):
    """A Puskesmas of DINKES headed by the kasi, with the hand-worked answers of TW I 2026:
    one with a comment in markup, one with a hidden comment, one with a contact."""
    kasi_position = team["kasi"].employee.position
    service_unit = ServiceUnit(
        opd=team["opd"], code="PKM-X", name="Puskesmas Contoh", address="Jl. Contoh 1",
        head_position=kasi_position, yearly_users=450,
        services=[ServiceKind(name="Pemeriksaan umum")],
    )  # fmt: skip
    add_responses(service_unit, date(2026, 2, 10), HAND[:1], comment=MARKUP)
    add_responses(service_unit, date(2026, 2, 11), HAND[1:2], comment=HIDDEN,
                  comment_hidden_at=utcnow(), comment_hidden_reason="kasar")  # fmt: skip
    add_responses(service_unit, date(2026, 3, 1), HAND[2:])
    db.session.flush()
    complainant = db.session.query(SkmResponse).filter_by(served_on=date(2026, 3, 1)).first()
    complainant.client_hash = SECRET_HASH
    complainant.is_complaint = True
    db.session.add(SkmContact(response=complainant, name="Budi Pelapor", phone="08123456789"))
    # Another unit of the same OPD, headed by someone else.
    other = ServiceUnit(opd=team["opd"], code="PKM-Y", name="Puskesmas Lain",
                        head_position=team["kabid"].employee.position)  # fmt: skip
    db.session.add(other)
    db.session.commit()
    return {"id": service_unit.id, "other": other.id}


def _signed_in(new_browser, account):
    browser = new_browser()
    assert browser.login(account.employee.nip).status_code == 302
    return browser


def test_the_xlsx_has_the_anonymised_responses(team, unit, new_browser):
    admin = _signed_in(new_browser, team["admin"])
    response = admin.get(f"/skm/ikm/{unit['id']}/responden.xlsx?periode=2026-tw1")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 4
    assert rows[1][1:12] == ("2026-02-10", None, *HAND[0])  # no service chosen: empty
    cells = {str(cell) for row in rows for cell in row if cell is not None}
    assert MARKUP in cells  # stored as text, never as a formula or markup
    assert HIDDEN not in cells
    assert not any(SECRET_HASH in c or "print-" in c or "client-" in c for c in cells)
    assert not any("Budi Pelapor" in c or "08123456789" in c for c in cells)


def test_the_pdf_report_has_the_index_profile_and_visible_comments(team, unit, new_browser):
    head = _signed_in(new_browser, team["kasi"])
    response = head.get(f"/skm/ikm/{unit['id']}/laporan.pdf?periode=2026-tw1")
    assert response.status_code == 200
    assert response.content_type == "application/pdf"
    text = re.sub(
        r"\s+", " ", "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    )
    assert "LAPORAN SURVEI KEPUASAN MASYARAKAT" in text
    assert "Puskesmas Contoh" in text
    assert "77,08" in text  # the hand-worked IKM, in the Indonesian notation
    for nrr in ("3,25", "3,00", "4,00", "2,75", "3,75", "2,00"):
        assert nrr in text
    # 450 users a year: a quarter's 113 need 92 respondents; 4 are too few.
    assert "113" in text and "92" in text and "tidak memadai" in text
    assert "U9" in text  # the weakest element is named
    assert "Laki-laki" in text and "Perempuan" in text
    assert MARKUP in text  # printed as the text it is
    assert HIDDEN not in text
    assert "Budi Pelapor" not in text


@pytest.mark.parametrize(
    ("who", "own", "other"),
    [
        ("admin", 200, 200),
        ("kadis", 200, 200),  # the kepala OPD: every unit of their OPD
        ("kasi", 200, 403),  # the unit head: their unit only
        ("staf", 403, 403),
        ("verifikator", 403, 403),
    ],
)
def test_reports_are_scoped(team, unit, new_browser, who, own, other):
    browser = _signed_in(new_browser, team[who])
    for unit_id, expected in ((unit["id"], own), (unit["other"], other)):
        for path in ("laporan.pdf", "responden.xlsx"):
            assert browser.get(f"/skm/ikm/{unit_id}/{path}").status_code == expected


def test_a_kepala_opd_of_another_opd_is_refused(team, unit, new_browser):
    opd_b = factories.make_opd("DISDIK", "Dinas Pendidikan")
    kadis_b = factories.make_account(
        factories.make_employee("Kadis Ginting", factories.make_position(opd_b, "Kadis", "jpt"))
    )
    db.session.commit()
    browser = _signed_in(new_browser, kadis_b)
    assert browser.get(f"/skm/ikm/{unit['id']}/laporan.pdf").status_code == 403
    assert browser.get(f"/skm/ikm/{unit['id']}/responden.xlsx").status_code == 403
    listing = browser.get("/skm/ikm?periode=2026-tw1").get_data(as_text=True)
    assert "Puskesmas Contoh" not in listing


def test_the_listing_shows_each_unit_ikm_for_the_period(team, unit, new_browser):
    head = _signed_in(new_browser, team["kasi"])
    page = head.get("/skm/ikm?periode=2026-tw1").get_data(as_text=True)
    assert "Puskesmas Contoh" in page and "77,08" in page
    assert "Puskesmas Lain" not in page  # not theirs
    kadis = _signed_in(new_browser, team["kadis"]).get("/skm/ikm?periode=2026-tw1")
    assert "Puskesmas Lain" in kadis.get_data(as_text=True)


def test_the_public_pages_need_no_account_and_name_no_employee(team, unit, client):
    names = [account.employee.name for key, account in team.items() if key != "opd"]
    for path in ("/ikm?tahun=2026", "/ikm/PKM-X?tahun=2026"):
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        assert "77,08" in page and "Puskesmas Contoh" in page
        assert not [name for name in names if name in page]
        assert "Budi Pelapor" not in page and MARKUP not in page
    chosen = client.get(f"/ikm?tahun=2026&opd={team['opd'].id}").get_data(as_text=True)
    assert 'data-unit="PKM-X"' in chosen  # the units of the OPD chosen
    unit_page = client.get("/ikm/PKM-X?tahun=2026").get_data(as_text=True)
    # The chart and its table: TW I has the four respondents; the weakest element is U9.
    assert 'id="chart-quarters"' in unit_page and 'data-period="2026-tw1"' in unit_page
    assert "U9" in unit_page


def test_an_inactive_or_unknown_unit_has_no_public_page(team, unit, client):
    db.session.get(ServiceUnit, unit["id"]).active = False
    db.session.commit()
    assert client.get("/ikm/PKM-X").status_code == 404
    assert client.get("/ikm/NOPE").status_code == 404
    assert "Puskesmas Contoh" not in client.get("/ikm").get_data(as_text=True)


def test_the_public_figures_are_kept_for_the_configured_time(app, team, unit, client, monkeypatch):
    from app.feedback.transparency import cache

    monkeypatch.setattr(cache, "_entries", {})
    monkeypatch.setitem(app.config, "SKM_PUBLIC_CACHE_SECONDS", 300)
    assert "77,08" in client.get("/ikm/PKM-X?tahun=2026").get_data(as_text=True)
    add_responses(db.session.get(ServiceUnit, unit["id"]), date(2026, 2, 12), [(4,) * 9])
    db.session.commit()
    # Within the five minutes the page shows what it computed; without the cache, the new one.
    assert "77,08" in client.get("/ikm/PKM-X?tahun=2026").get_data(as_text=True)
    monkeypatch.setitem(app.config, "SKM_PUBLIC_CACHE_SECONDS", 0)
    assert "81,67" in client.get("/ikm/PKM-X?tahun=2026").get_data(as_text=True)
