"""The public SKM form over HTTP with no account: what counts, what is refused, what is kept."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.feedback.index import unit_ikm
from app.feedback.public.services import client_hash
from app.models import SkmContact, SkmResponse
from tests import factories
from tests.skm_helpers import (
    answers,
    fill,
    first_service,
    hidden_fields,
    local_today,
    make_service_unit,
    response_count,
)


@pytest.fixture
def unit(app):
    service_unit = make_service_unit(factories.make_opd())
    db.session.commit()
    return service_unit


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_a_valid_submission_without_an_account_counts(unit, client):
    response = fill(client, unit, u4="4", comment="Petugas ramah, antrean cepat.")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/umpan-balik/{unit.code}/terima-kasih")
    assert response_count() == 1
    stored = db.session.scalars(sa.select(SkmResponse)).one()
    assert stored.answers == (3, 3, 3, 4, 3, 3, 3, 3, 3)
    assert (stored.gender, stored.age, stored.education, stored.occupation) == (
        "P", 34, "sma", "swasta",
    )  # fmt: skip
    assert stored.service_kind_id == first_service(unit).id
    assert stored.served_on == local_today()
    assert stored.locale == "id"
    # It counts in the unit's IKM: NRR 3 on eight elements and 4 on biaya: (3*8+4)/9*25.
    result = unit_ikm(unit.id, local_today(), local_today())
    assert (result.respondents, str(result.ikm)) == (1, "77.78")
    thanks = client.get(response.headers["Location"])
    assert thanks.status_code == 200
    assert "Terima kasih!" in _text(thanks)


REFUSALS = {
    "an element missing": ({"u5": None}, 422, "Pilih salah satu dari empat jawaban."),
    "a score of 5": ({"u2": "5"}, 422, "Pilihan tidak valid."),
    "a score of 0": ({"u9": "0"}, 422, "Pilihan tidak valid."),
    "a score that is no number": ({"u1": "sangat"}, 422, "Ada jawaban yang belum diisi"),
    "a 100 KB comment": ({"comment": "x" * 100_000}, 422, "Tulis paling banyak 2000 karakter."),
    "the honeypot filled": ({"website": "http://spam.example"}, 400, "tidak dapat diterima"),
    "a future date": ({"served_on": "2999-01-01"}, 422, "tidak boleh di masa depan"),
    "a service of long ago": ({"served_on": "2020-01-01"}, 422, "dalam 90 hari terakhir"),
    "an age of 5": ({"age": "5"}, 422, "Isi usia dari 10 sampai 110 tahun."),
    "another unit's service": ({"service_kind_id": "999"}, 422, "Pilihan tidak valid."),
    "no service chosen": ({"service_kind_id": "0"}, 422, "Pilih layanan yang Anda terima."),
    "an unknown education": ({"education": "s9"}, 422, "Pilihan tidak valid."),
    "a bad email": ({"is_complaint": "y", "contact_email": "bukan-email"}, 422, "email"),
    "a control character": ({"comment": "ok\x00"}, 422, "karakter kontrol"),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_bad_answers_are_refused_with_a_message_and_nothing_is_stored(unit, client, case):
    overrides, status, message = REFUSALS[case]
    response = fill(client, unit, **overrides)
    assert response.status_code == status
    assert message in _text(response)
    assert 'role="alert"' in _text(response)
    assert response_count() == 0
    # The answers given are kept on the page, with a fresh token to send them again.
    assert hidden_fields(_text(response))["token"]


def test_a_forged_or_foreign_token_is_refused(unit, client, app):
    other = make_service_unit(unit.opd, code="MN7PXW", name="Kantor Lurah")
    db.session.commit()
    page = _text(client.get(f"/umpan-balik/{other.code}"))
    fields = hidden_fields(page)  # a token made for the other unit
    response = client.post(f"/umpan-balik/{unit.code}", data=answers(unit) | fields)
    assert response.status_code == 400
    assert "Formulir tidak dapat diperiksa" in _text(response)
    fields["token"] = fields["token"][:-2] + "xx"
    response = client.post(f"/umpan-balik/{other.code}", data=answers(other) | fields)
    assert response.status_code == 400
    assert response_count() == 0


def test_an_expired_token_is_refused(unit, client, app, monkeypatch):
    page = _text(client.get(f"/umpan-balik/{unit.code}"))
    monkeypatch.setitem(app.config, "SKM_FORM_TOKEN_MAX_AGE", -1)
    response = client.post(f"/umpan-balik/{unit.code}", data=answers(unit) | hidden_fields(page))
    assert response.status_code == 400
    assert "Formulir terlalu lama terbuka" in _text(response)
    assert response_count() == 0


def test_a_replayed_token_is_refused_and_nothing_more_is_stored(unit, client):
    page = _text(client.get(f"/umpan-balik/{unit.code}"))
    fields = hidden_fields(page)
    assert client.post(f"/umpan-balik/{unit.code}", data=answers(unit) | fields).status_code == 303
    # The same token again, even with other answers (not a duplicate of the first).
    again = client.post(f"/umpan-balik/{unit.code}", data=answers(unit, score=1) | fields)
    assert again.status_code == 409
    assert "Formulir ini sudah dikirim" in _text(again)
    assert response_count() == 1


def test_the_same_answers_again_the_same_day_are_a_duplicate(unit, client):
    assert fill(client, unit).status_code == 303
    again = fill(client, unit)  # a fresh token, the same answers
    assert again.status_code == 409
    assert "Jawaban yang sama dari Anda sudah diterima hari ini" in _text(again)
    assert response_count() == 1


def test_the_next_submission_over_the_rate_limit_is_refused(unit, client, app, monkeypatch):
    monkeypatch.setitem(app.config, "SKM_RATE_LIMIT", "3 per minute")
    for age in ("20", "21", "22"):
        assert fill(client, unit, age=age).status_code == 303
    refused = fill(client, unit, age="23")
    assert refused.status_code == 429
    assert "Terlalu banyak percobaan" in _text(refused)
    assert response_count() == 3


@pytest.mark.parametrize(
    "markup",
    ['<script>alert("x")</script>', "Bagus <b>sekali</b>", '<a href="http://x">tautan</a>',
     "<!-- tersembunyi -->", "< img src=x onerror=alert(1) >"],
)  # fmt: skip
def test_markup_in_a_comment_or_name_is_refused_and_nothing_is_stored(unit, client, markup):
    response = fill(client, unit, comment=markup)
    assert response.status_code == 422
    assert "tanpa kode HTML" in _text(response)
    response = fill(client, unit, is_complaint="y", contact_name=markup, comment="Loket tutup")
    assert response.status_code == 422
    assert "tanpa kode HTML" in _text(response)
    assert response_count() == 0


def test_a_plain_less_than_sign_is_text_and_shown_escaped(unit, client, new_browser, app):
    text = 'Antrean < 10 menit & petugas "ramah" > harapan saya'
    assert fill(client, unit, comment=text).status_code == 303
    stored = db.session.scalars(sa.select(SkmResponse)).one()
    assert stored.comment == text
    admin = factories.make_account(
        factories.make_employee("Admin Sitepu", factories.make_position(unit.opd, "Analis")),
        roles=("admin_bkd",),
    )
    db.session.commit()
    browser = new_browser()
    browser.login(admin.employee.nip)
    page = _text(browser.get(f"/unit-layanan/{unit.id}/komentar"))
    assert "Antrean &lt; 10 menit &amp; petugas &#34;ramah&#34; &gt; harapan saya" in page


def test_the_client_address_is_stored_only_as_a_daily_salted_hash(unit, client, app):
    assert fill(client, unit).status_code == 303
    stored = db.session.scalars(sa.select(SkmResponse)).one()
    now = stored.submitted_at.replace(tzinfo=UTC)
    assert stored.client_hash == client_hash("127.0.0.1", now)
    assert "127.0.0.1" not in stored.client_hash
    assert re.fullmatch(r"[0-9a-f]{64}", stored.client_hash)
    tomorrow = now + timedelta(days=1)
    assert client_hash("127.0.0.1", tomorrow) != stored.client_hash
    assert client_hash("127.0.0.2", now) != stored.client_hash


def test_a_complaint_keeps_its_contact_and_a_plain_answer_none(unit, client):
    contact = {"contact_name": "Rina", "contact_email": "rina.sitorus@gmail.com"}
    contact["contact_phone"] = "+62 812-3456-7890"
    assert fill(client, unit, is_complaint="y", comment="Loket tutup", **contact).status_code == 303
    assert fill(client, unit, comment="Bagus", **contact).status_code == 303
    complaint, plain = db.session.scalars(sa.select(SkmResponse).order_by(SkmResponse.id)).all()
    assert complaint.is_complaint and not plain.is_complaint
    kept = db.session.scalars(sa.select(SkmContact)).all()
    assert [(c.response_id, c.name, c.email, c.phone) for c in kept] == [
        (complaint.id, "Rina", "rina.sitorus@gmail.com", "+62 812-3456-7890")
    ]


def test_a_deactivated_service_is_neither_offered_nor_taken(unit, client):
    kept = first_service(unit)
    retired = next(kind for kind in unit.services if kind is not kept)
    retired.active = False
    db.session.commit()
    page = _text(client.get(f"/umpan-balik/{unit.code}"))
    assert kept.name in page and retired.name not in page
    response = fill(client, unit, service_kind_id=str(retired.id))
    assert response.status_code == 422
    assert response_count() == 0


def test_an_unknown_or_inactive_unit_answers_not_found(unit, client):
    assert client.get("/umpan-balik/ZZZZZZ").status_code == 404
    assert "Periksa kode pada poster" in _text(client.get("/umpan-balik/ZZZZZZ"))
    # Typed in small letters from the poster: the same unit.
    assert client.get(f"/umpan-balik/{unit.code.lower()}").status_code == 200
    unit.active = False
    db.session.commit()
    assert client.get(f"/umpan-balik/{unit.code}").status_code == 404


def test_a_post_without_the_csrf_token_is_refused(unit, client):
    page = _text(client.get(f"/umpan-balik/{unit.code}"))
    fields = hidden_fields(page)
    del fields["csrf_token"]
    response = client.post(f"/umpan-balik/{unit.code}", data=answers(unit) | fields)
    assert response.status_code == 400
    assert "Formulir kedaluwarsa" in _text(response)
    assert response_count() == 0


def test_the_form_speaks_english_when_chosen(unit, client):
    page = _text(client.get(f"/umpan-balik/{unit.code}"))
    assert "Tidak sesuai" in page and "Sangat sopan dan ramah" in page
    token = hidden_fields(page)["csrf_token"]
    client.post(
        "/language", data={"lang": "en", "next": f"/umpan-balik/{unit.code}", "csrf_token": token}
    )
    page = _text(client.get(f"/umpan-balik/{unit.code}"))
    assert '<html lang="en">' in page
    assert "Not suitable" in page and "Very polite and friendly" in page
    response = fill(client, unit, u3=None)
    assert "Choose one of the four answers." in _text(response)


def test_each_element_has_its_own_four_answers_in_a_fieldset(unit, client):
    page = _text(client.get(f"/umpan-balik/{unit.code}"))
    expected = {
        "u1": ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
        "u2": ["Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"],
        "u3": ["Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"],
        "u4": ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"],
        "u5": ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
        "u6": ["Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"],
        "u7": ["Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah",
               "Sangat sopan dan ramah"],
        "u8": ["Buruk", "Cukup", "Baik", "Sangat baik"],
        "u9": ["Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal",
               "Dikelola dengan baik"],
    }  # fmt: skip
    for column, labels in expected.items():
        block = re.search(rf'<fieldset class="q" id="f-{column}".*?</fieldset>', page, re.S)
        assert block, column
        assert "<legend>" in block.group(0)
        option = rf'<label class="opt"><input[^>]*name="{column}"[^>]*value="(\d)"[^>]*>'
        found = re.findall(option + r"<span>([^<]+)</span>", block.group(0))
        assert found == [(str(i), label) for i, label in enumerate(labels, 1)], column


def test_the_page_weighs_under_50_kb_with_what_it_loads(unit, client):
    page = client.get(f"/umpan-balik/{unit.code}")
    html = page.get_data()
    assert b"<script" not in html  # works without JavaScript
    loaded = re.findall(rb'<(?:link|script|img)[^>]+(?:href|src)="(/[^"]+)"', html)
    assert loaded == [b"/static/skm.css"]
    total = len(html)
    for url in loaded:
        asset = client.get(url.decode())
        assert asset.status_code == 200
        total += len(asset.get_data())
        asset.close()
    assert total < 50 * 1024, f"{total} bytes"


def test_the_form_costs_a_constant_few_queries(unit, client, app):
    statements = []

    def count(*args):
        statements.append(args[2])

    client.get(f"/umpan-balik/{unit.code}")  # the first request warms caches up
    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        page = _text(client.get(f"/umpan-balik/{unit.code}"))
        get_count = len(statements)
        statements.clear()
        client.post(f"/umpan-balik/{unit.code}", data=answers(unit) | hidden_fields(page))
        post_count = len(statements)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert get_count <= 4, statements
    assert post_count <= 10


def test_the_date_field_offers_the_window_of_days(unit, client, app, monkeypatch):
    monkeypatch.setitem(app.config, "SKM_SERVED_MAX_DAYS", 30)
    page = _text(client.get(f"/umpan-balik/{unit.code}"))
    oldest = (local_today() - timedelta(days=30)).isoformat()
    assert f'min="{oldest}"' in page and f'max="{local_today().isoformat()}"' in page
    older = (local_today() - timedelta(days=31)).isoformat()
    response = fill(client, unit, served_on=older)
    assert "dalam 30 hari terakhir" in _text(response)
    assert response_count() == 0
    assert fill(client, unit, served_on=oldest).status_code == 303


def test_now_is_utc(unit):
    # The hash's day is the UTC day (the salt rotates at 00:00 UTC).
    late = datetime(2026, 12, 1, 23, 59, tzinfo=UTC)
    assert client_hash("10.0.0.1", late) != client_hash("10.0.0.1", late + timedelta(minutes=2))


def test_a_request_of_megabytes_is_refused_before_it_is_read(unit, client):
    response = fill(client, unit, comment="x" * 300_000)
    assert response.status_code == 413
    assert "terlalu besar" in _text(response)
    assert response_count() == 0


def test_a_refused_form_keeps_the_answers_chosen(unit, client):
    """The radio buttons come back checked as sent, so a visitor only adds what is missing."""
    page = _text(fill(client, unit, u4="4", u5=None))
    assert '<input checked id="u4-3" name="u4" required type="radio" value="4">' in page
    assert '<input checked id="gender-1" name="gender" required type="radio" value="P">' in page
    assert re.findall(r"<input checked id=\"(u\d)-", page) == [
        f"u{i}" for i in range(1, 10) if i != 5
    ]
