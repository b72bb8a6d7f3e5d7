"""Unit layanan management: scoped to the OPD, versioned, with posters and hidden comments."""

from __future__ import annotations

import io
import re

import pytest
import segno
import sqlalchemy as sa

from app.extensions import db
from app.feedback import posters
from app.feedback.units.services import CODE_ALPHABET
from app.models import ServiceKind, ServiceUnit, SkmCommentModeration, SkmResponse
from tests import factories
from tests.conftest import CSRF_RE
from tests.skm_helpers import fill, make_service_unit


@pytest.fixture
def org(team):
    """DINKES (team) with a unit layanan, and DISDIK with its own kepala."""
    opd_b = factories.make_opd("DISDIK", "Dinas Pendidikan")
    head_b = factories.make_position(opd_b, "Kepala Dinas Pendidikan", "jpt")
    team["kadis_b"] = factories.make_account(factories.make_employee("Kadis Ginting", head_b))
    team["opd_b"] = opd_b
    team["unit"] = make_service_unit(team["opd"])
    db.session.commit()
    return team


def _signed_in(new_browser, account):
    browser = new_browser()
    assert browser.login(account.employee.nip).status_code == 302
    return browser


def _unit_form(browser, url: str) -> dict:
    page = browser.get(url).get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', page) or re.search(
        r'value="(\d+)"[^>]*name="version"', page
    )
    return {"csrf_token": CSRF_RE.search(page).group(1), "version": version.group(1)}


def _positions(opd_id: int) -> dict[str, int]:
    from app.models import Position

    query = sa.select(Position).where(Position.opd_id == opd_id)
    return {p.name: p.id for p in db.session.scalars(query)}


def test_the_kepala_opd_adds_a_unit_with_a_generated_code(org, new_browser):
    browser = _signed_in(new_browser, org["kadis"])
    positions = _positions(org["opd"].id)
    data = _unit_form(browser, "/unit-layanan/baru")  # the only OPD they head: no choice
    data |= {
        "name": "Loket Pelayanan Kesehatan",
        "address": "Jl. Rumah Sakit Haji",
        "unit_id": "0",
        "head_position_id": str(positions["Kepala Seksi Pelayanan Primer"]),
        "position_ids": [str(positions["Pengadministrasi Perkantoran"])],
        "yearly_users": "5200",
        "active": "y",
    }
    response = browser.post(f"/unit-layanan/baru?opd={org['opd'].id}", data)
    assert response.status_code == 303
    unit = db.session.scalars(
        sa.select(ServiceUnit).where(ServiceUnit.name == "Loket Pelayanan Kesehatan")
    ).one()
    assert re.fullmatch(f"[{CODE_ALPHABET}]{{6}}", unit.code)
    assert not set(unit.code) & set("0O1IL5S8B2Z")
    assert unit.yearly_users == 5200 and [p.name for p in unit.positions] == [
        "Pengadministrasi Perkantoran"
    ]
    assert unit.head_position.name == "Kepala Seksi Pelayanan Primer"
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert unit.code in page and f"/umpan-balik/{unit.code}" in page


def test_a_position_of_another_opd_is_refused(org, new_browser):
    browser = _signed_in(new_browser, org["admin"])
    foreign = _positions(org["opd_b"].id)["Kepala Dinas Pendidikan"]
    data = _unit_form(browser, f"/unit-layanan/{org['unit'].id}")
    data |= {"name": "X", "unit_id": "0", "head_position_id": str(foreign)}
    response = browser.post(f"/unit-layanan/{org['unit'].id}", data)
    assert response.status_code == 422
    assert "Pilihan tidak valid." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ServiceUnit, org["unit"].id).name == "UPT Puskesmas Padang Bulan"


@pytest.mark.parametrize(
    "path",
    ["", "/komentar", "/poster.pdf"],
)
def test_the_kepala_of_another_opd_is_refused(org, new_browser, path):
    browser = _signed_in(new_browser, org["kadis_b"])
    assert browser.get(f"/unit-layanan/{org['unit'].id}{path}").status_code == 403
    assert browser.get(f"/unit-layanan?opd={org['opd'].id}").status_code == 403
    # Their own OPD's list is theirs (empty), without DINKES's unit.
    page = browser.get("/unit-layanan").get_data(as_text=True)
    assert org["unit"].name not in page


def test_a_kepala_of_another_opd_cannot_edit(org, new_browser):
    owner = _signed_in(new_browser, org["kadis"])
    data = _unit_form(owner, f"/unit-layanan/{org['unit'].id}")
    stranger = _signed_in(new_browser, org["kadis_b"])
    data["csrf_token"] = _unit_form(stranger, "/unit-layanan/baru")["csrf_token"]
    data |= {"name": "Diambil alih", "unit_id": "0", "head_position_id": "0"}
    assert stranger.post(f"/unit-layanan/{org['unit'].id}", data).status_code == 403
    db.session.expire_all()
    assert db.session.get(ServiceUnit, org["unit"].id).name == "UPT Puskesmas Padang Bulan"


def test_a_pegawai_has_no_unit_pages(org, new_browser):
    browser = _signed_in(new_browser, org["staf"])
    assert browser.get("/unit-layanan").status_code == 403
    assert browser.get(f"/unit-layanan/{org['unit'].id}").status_code == 403


def test_two_admins_editing_at_once_one_wins_the_other_is_told(org, new_browser):
    first = _signed_in(new_browser, org["admin"])
    second = _signed_in(new_browser, org["kadis"])
    url = f"/unit-layanan/{org['unit'].id}"
    seen_first, seen_second = _unit_form(first, url), _unit_form(second, url)
    assert seen_first["version"] == seen_second["version"] == "1"
    fields = {"unit_id": "0", "head_position_id": "0", "active": "y"}
    saved = first.post(url, seen_first | fields | {"name": "Puskesmas Padang Bulan (baru)"})
    assert saved.status_code == 303
    late = second.post(url, seen_second | fields | {"name": "Puskesmas Lain"})
    assert late.status_code == 303
    page = second.get(late.headers["Location"]).get_data(as_text=True)
    assert "Orang lain sudah menyimpan unit layanan ini lebih dulu" in page
    db.session.expire_all()
    unit = db.session.get(ServiceUnit, org["unit"].id)
    assert (unit.name, unit.version) == ("Puskesmas Padang Bulan (baru)", 2)


def test_jenis_layanan_are_added_renamed_and_taken_off_the_form(org, new_browser, client):
    browser = _signed_in(new_browser, org["kadis"])
    unit_id = org["unit"].id
    data = _unit_form(browser, f"/unit-layanan/{unit_id}")
    added = browser.post(f"/unit-layanan/{unit_id}/jenis-layanan", data | {"name": "Rawat luka"})
    assert added.status_code == 303
    kind = db.session.scalars(sa.select(ServiceKind).where(ServiceKind.name == "Rawat luka")).one()
    # A duplicate name is refused with a message.
    data = _unit_form(browser, f"/unit-layanan/{unit_id}")
    again = browser.post(f"/unit-layanan/{unit_id}/jenis-layanan", data | {"name": "Imunisasi"})
    assert "sudah punya jenis layanan" in browser.get(again.headers["Location"]).get_data(
        as_text=True
    )
    data = _unit_form(browser, f"/unit-layanan/{unit_id}")
    renamed = browser.post(
        f"/unit-layanan/{unit_id}/jenis-layanan/{kind.id}", data | {"name": "Perawatan luka"}
    )  # "active" not sent: taken off the public form
    assert renamed.status_code == 303
    db.session.expire_all()
    kind = db.session.get(ServiceKind, kind.id)
    assert (kind.name, kind.active) == ("Perawatan luka", False)
    public = client.get(f"/umpan-balik/{org['unit'].code}").get_data(as_text=True)
    assert "Perawatan luka" not in public and "Imunisasi" in public


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_poster_carries_the_public_address_and_its_qr_code(org, new_browser, app, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "https://sikap.pemkomedan.go.id")
    unit = org["unit"]
    browser = _signed_in(new_browser, org["kadis"])
    response = browser.get(f"/unit-layanan/{unit.id}/poster.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    text = _pdf_text(response.get_data())
    assert f"sikap.pemkomedan.go.id/umpan-balik/{unit.code}" in text
    assert unit.name in text and "Bagaimana pelayanan kami?" in text
    # The QR code is segno's for exactly the public address (drawn as SVG in the page).
    url = f"https://sikap.pemkomedan.go.id/umpan-balik/{unit.code}"
    assert posters.public_url(unit) == url
    html = posters.render_posters_html([unit])
    expected = segno.make(url, error="m", micro=False).svg_inline(
        scale=3, unit="mm", border=2, dark="#000"
    )
    assert expected in html


def test_the_opd_posters_have_one_page_per_active_unit(org, new_browser):
    from pypdf import PdfReader

    make_service_unit(org["opd"], code="MN7PXW", name="Kantor Lurah Padang Bulan")
    retired = make_service_unit(org["opd"], code="QR4TVW", name="Loket Lama")
    retired.active = False
    db.session.commit()
    browser = _signed_in(new_browser, org["admin"])
    response = browser.get(f"/unit-layanan/opd/{org['opd'].id}/poster.pdf")
    assert response.status_code == 200
    pdf = PdfReader(io.BytesIO(response.get_data()))
    assert len(pdf.pages) == 2
    text = _pdf_text(response.get_data())
    assert "Kantor Lurah Padang Bulan" in text and "Loket Lama" not in text


def test_an_abusive_comment_is_hidden_with_a_reason_and_shown_again(org, new_browser, client):
    assert fill(client, org["unit"], comment="Petugasnya bodoh semua!").status_code == 303
    response_id = db.session.scalar(sa.select(SkmResponse.id))
    admin = _signed_in(new_browser, org["admin"])
    token = CSRF_RE.search(
        admin.get(f"/unit-layanan/{org['unit'].id}/komentar").get_data(as_text=True)
    ).group(1)
    hide = f"/unit-layanan/komentar/{response_id}/sembunyikan"
    # No reason: nothing changes.
    assert admin.post(hide, {"csrf_token": token}).status_code == 303
    db.session.expire_all()
    assert db.session.get(SkmResponse, response_id).comment_hidden_at is None
    # The kepala of another OPD may not.
    stranger = _signed_in(new_browser, org["kadis_b"])
    assert stranger.post(hide, {"reason": "kasar"}).status_code == 403
    assert admin.post(hide, {"csrf_token": token, "reason": "Kata kasar"}).status_code == 303
    # Twice: the second is told someone acted first.
    again = admin.post(hide, {"csrf_token": token, "reason": "Kata kasar"})
    assert "lebih dulu" in admin.get(again.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    hidden = db.session.get(SkmResponse, response_id)
    assert hidden.comment_hidden_reason == "Kata kasar"
    assert hidden.comment_hidden_by_id == org["admin"].employee_id
    assert hidden.comment == "Petugasnya bodoh semua!"  # kept, only hidden
    show = f"/unit-layanan/komentar/{response_id}/tampilkan"
    kepala = _signed_in(new_browser, org["kadis"])
    assert kepala.post(show, {"reason": "Sudah ditinjau ulang"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(SkmResponse, response_id).comment_hidden_at is None
    log = db.session.scalars(sa.select(SkmCommentModeration).order_by(SkmCommentModeration.id))
    assert [(m.action, m.actor_id, m.reason) for m in log] == [
        ("hide", org["admin"].employee_id, "Kata kasar"),
        ("unhide", org["kadis"].employee_id, "Sudah ditinjau ulang"),
    ]


def test_the_admin_finds_the_units_in_the_menu_and_the_kepala_on_beranda(org, new_browser):
    admin = _signed_in(new_browser, org["admin"])
    assert 'href="/unit-layanan"' in admin.get("/").get_data(as_text=True)
    kepala = _signed_in(new_browser, org["kadis"])
    page = kepala.get("/").get_data(as_text=True)
    assert 'href="/unit-layanan"' in page and "data-admin-menu" not in page
    staf = _signed_in(new_browser, org["staf"])
    assert 'href="/unit-layanan"' not in staf.get("/").get_data(as_text=True)


def test_an_empty_jenis_layanan_is_refused_on_its_field(org, new_browser):
    browser = _signed_in(new_browser, org["kadis"])
    unit_id = org["unit"].id
    data = _unit_form(browser, f"/unit-layanan/{unit_id}")
    response = browser.post(f"/unit-layanan/{unit_id}/jenis-layanan", data | {"name": "  "})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Isi nama layanan." in page
    # The unit's own form is shown as the unit stands, its serving positions chosen.
    assert 'value="UPT Puskesmas Padang Bulan"' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ServiceKind)) == 2
