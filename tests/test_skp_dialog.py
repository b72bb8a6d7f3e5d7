"""Dialog kinerja: notes by both sides, each mailed to the other, read-only for other viewers."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import DialogNote, OutboxMessage
from tests.factories import (
    make_account,
    make_employee,
    make_opd,
    make_period,
    make_position,
)
from tests.workflow_helpers import appraisal_in_state


def in_state(team, state):
    appraisal = appraisal_in_state(team, make_period(), state)
    db.session.commit()
    return appraisal


def url(appraisal) -> str:
    return f"/appraisals/{appraisal.id}/dialog"


def notes(appraisal) -> list[tuple[int, str]]:
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(DialogNote.author_id, DialogNote.body)
        .where(DialogNote.appraisal_id == appraisal.id)
        .order_by(DialogNote.id)
    )
    return [tuple(row) for row in rows]


def mails() -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.template == "dialog_note")
            .order_by(OutboxMessage.id)
        )
    )


@pytest.mark.parametrize("state", ["draft", "plan_review", "self_assessment", "supervisor_review"])
def test_both_sides_write_and_the_other_side_is_mailed(team, browser, new_browser, state):
    appraisal = in_state(team, state)
    staf, kasi = team["staf"], team["kasi"]
    kasi.locale = "en"
    db.session.commit()
    browser.login(staf.employee.nip)
    boss = new_browser()
    boss.login(kasi.employee.nip)

    assert (
        browser.post(url(appraisal), {"body": "Mohon arahan untuk IKI kedua."}).status_code == 302
    )
    assert boss.post(url(appraisal), {"body": "Gunakan jumlah laporan."}).status_code == 302

    assert notes(appraisal) == [
        (staf.employee_id, "Mohon arahan untuk IKI kedua."),
        (kasi.employee_id, "Gunakan jumlah laporan."),
    ]
    to_kasi, to_staf = mails()
    assert (to_kasi.recipient, to_kasi.locale) == (kasi.employee.email, "en")
    assert "dialog kinerja" in to_kasi.subject and staf.employee.name in to_kasi.subject
    assert "Mohon arahan untuk IKI kedua." in to_kasi.body_text
    assert f"/appraisals/{appraisal.id}/from-mail/" in to_kasi.body_text  # a signed link
    assert to_staf.recipient == staf.employee.email and to_staf.status == "pending"
    page = boss.get(url(appraisal)).get_data(as_text=True)
    assert page.index("Mohon arahan") < page.index("Gunakan jumlah laporan")  # oldest first
    assert 'name="body"' in page


def test_empty_or_too_long_note_is_refused_on_the_field(team, browser):
    appraisal = in_state(team, "draft")
    browser.login(team["staf"].employee.nip)
    for body in ("   ", "x" * 5001):
        response = browser.post(url(appraisal), {"body": body})
        assert response.status_code == 422
        assert 'id="body-error"' in response.get_data(as_text=True)
    assert notes(appraisal) == [] and mails() == []


@pytest.mark.parametrize("who", ["staf", "kasi"])
def test_no_notes_once_final(team, browser, who):
    appraisal = in_state(team, "final")
    browser.login(team[who].employee.nip)
    assert browser.post(url(appraisal), {"body": "Terlambat."}).status_code == 403
    assert notes(appraisal) == [] and mails() == []
    page = browser.get(url(appraisal))
    assert page.status_code == 200 and 'name="body"' not in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("who", "status"),
    [("kabid", 403), ("verifikator", 403), ("admin", 403), ("staf2", 404), ("other_atasan", 404)],
)
def test_others_cannot_write(team, browser, new_browser, who, status):
    appraisal = in_state(team, "self_assessment")
    owner = new_browser()
    owner.login(team["staf"].employee.nip)
    assert owner.get(url(appraisal)).status_code == 200
    if who == "other_atasan":
        opd = make_opd("DISDIK", "Dinas Pendidikan", "dinas")
        team[who] = make_account(make_employee("Kasi Lain", make_position(opd, "Kasi", "pengawas")))
        db.session.commit()
    browser.login(team[who].employee.nip)
    # Those who may see the appraisal read the thread; the others do not even see that.
    assert browser.get(url(appraisal)).status_code == (200 if status == 403 else 404)
    assert browser.post(url(appraisal), {"body": "Saya ikut menulis."}).status_code == status
    assert notes(appraisal) == [] and mails() == []


def test_other_viewers_read_the_thread_without_a_form(team, browser, new_browser):
    appraisal = in_state(team, "self_assessment")
    writer = new_browser()
    writer.login(team["staf"].employee.nip)
    writer.post(url(appraisal), {"body": "Realisasi bulan Mei sudah saya unggah."})
    browser.login(team["verifikator"].employee.nip)
    page = browser.get(url(appraisal)).get_data(as_text=True)
    assert "Realisasi bulan Mei sudah saya unggah." in page
    assert 'name="body"' not in page


def test_anonymous_and_outsiders_cannot_read_the_thread(team, client, browser):
    appraisal = in_state(team, "self_assessment")
    assert client.get(url(appraisal)).status_code == 302  # to the sign-in page
    browser.login(team["staf2"].employee.nip)
    assert browser.get(url(appraisal)).status_code == 404


def test_no_mail_when_the_other_side_has_no_email(team, browser):
    appraisal = in_state(team, "draft")
    team["kasi"].employee.email = None
    db.session.commit()
    browser.login(team["staf"].employee.nip)
    assert browser.post(url(appraisal), {"body": "Catatan."}).status_code == 302
    assert len(notes(appraisal)) == 1 and mails() == []
