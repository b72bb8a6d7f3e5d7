"""The admin outbox pages and the development mailbox (/dev/mail)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from markupsafe import escape

from app.extensions import db
from app.models import OutboxMessage
from app.outbox.worker import send_batch
from app.workflow.engine import fire
from config import DevelopmentConfig, ProductionConfig, TestingConfig
from tests.factories import make_period, make_team
from tests.workflow_helpers import appraisal_in_state


def _row(status: str = "pending", template: str = "test", **fields) -> OutboxMessage:
    row = OutboxMessage(
        recipient=fields.pop("recipient", "orang@example.test"),
        subject=fields.pop("subject", "Pesan uji"),
        body_text=fields.pop("body_text", "Isi pesan uji"),
        body_html="<p>Isi pesan uji</p>",
        template=template,
        locale="id",
        status=status,
        **fields,
    )
    db.session.add(row)
    db.session.commit()
    return row


def test_only_admin_bkd_sees_the_outbox(app, browser, new_browser):
    team = make_team()
    row = _row("dead", last_error="SMTPRecipientsRefused: 550")
    for who in ("staf", "verifikator", "kasi"):
        other = new_browser()
        other.login(team[who].employee.nip)
        assert other.get("/admin/outbox").status_code == 403
        assert other.get(f"/admin/outbox/{row.id}").status_code == 403
        assert other.post(f"/admin/outbox/{row.id}/requeue", {}).status_code == 403
        assert 'href="/admin/outbox"' not in other.get("/").get_data(as_text=True)
    assert browser.get("/admin/outbox").status_code == 302  # anonymous: sign in first
    db.session.refresh(row)
    assert row.status == "dead"


def test_the_outbox_lists_by_status_with_counts_and_shows_a_message(app, browser):
    team = make_team()
    for _ in range(3):
        _row("sent")
    pending = _row("pending", subject="Menunggu giliran")
    dead = _row("dead", subject="Ditolak server", last_error="SMTPDataError: (550, b'No')")
    browser.login(team["admin"].employee.nip)
    index = browser.get("/admin/outbox?status=pending").get_data(as_text=True)
    for status, count in (("pending", 1), ("sent", 3), ("dead", 1)):
        assert f'data-count="{status}">{count}<' in index
    assert "Menunggu giliran" in index and "Ditolak server" not in index
    assert browser.get("/admin/outbox?status=nonsense").status_code == 200
    assert 'href="/admin/outbox"' in browser.get("/").get_data(as_text=True)  # the nav item

    page = browser.get(f"/admin/outbox/{dead.id}").get_data(as_text=True)
    assert (
        "Isi pesan uji" in page and "SMTPDataError" in page and str(escape(dead.message_id)) in page
    )
    assert f"/admin/outbox/{dead.id}/requeue" in page
    assert browser.get(f"/admin/outbox/{pending.id}").status_code == 200
    assert browser.get("/admin/outbox/999999").status_code == 404


def test_sign_in_links_are_not_shown_to_administrators(app, browser):
    team = make_team()
    reset = _row("sent", template="password_reset", body_text="Buka /reset/rahasia-token")
    browser.login(team["admin"].employee.nip)
    page = browser.get(f"/admin/outbox/{reset.id}").get_data(as_text=True)
    assert "rahasia-token" not in page


def test_requeue_accepts_only_dead_messages_and_only_by_post(app, browser):
    team = make_team()
    sent = _row("sent", attempts=1)
    dead = [_row("dead", attempts=8) for _ in range(2)]
    browser.login(team["admin"].employee.nip)
    assert browser.get(f"/admin/outbox/{dead[0].id}/requeue").status_code == 405
    browser.post(f"/admin/outbox/{sent.id}/requeue", {})
    db.session.refresh(sent)
    assert (sent.status, sent.attempts) == ("sent", 1)
    # Without the CSRF token nothing happens.
    browser.client.post(f"/admin/outbox/{dead[0].id}/requeue", data={})
    db.session.refresh(dead[0])
    assert dead[0].status == "dead"

    browser.post("/admin/outbox/requeue-dead", {})
    assert db.session.scalars(
        sa.select(OutboxMessage.status).where(OutboxMessage.id.in_([d.id for d in dead]))
    ).all() == ["pending", "pending"]


def test_dev_mailbox_is_not_found_outside_development(app, client):
    row = _row("sent")
    assert client.get("/dev/mail").status_code == 404
    assert client.get(f"/dev/mail/{row.id}").status_code == 404


@pytest.mark.parametrize(
    ("config", "enabled"),
    [(DevelopmentConfig, True), (TestingConfig, False), (ProductionConfig, False)],
)
def test_only_development_has_the_mail_catch_all(config, enabled):
    assert config.DEV_MAILBOX is enabled


def test_in_development_without_a_mail_server_mail_lands_in_dev_mail(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "DEV_MAILBOX", True)
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    team = make_team()
    appraisal = appraisal_in_state(team, make_period(), "draft")
    fire(appraisal, "submit_plan", team["staf"], {})
    db.session.commit()

    result = send_batch()
    assert (result.sent, result.unreachable) == (1, False)
    row = db.session.scalars(sa.select(OutboxMessage)).one()
    assert row.status == "sent" and row.sent_at is not None

    listing = client.get("/dev/mail").get_data(as_text=True)
    assert row.subject in listing and f'data-message-id="{row.id}"' in listing
    page = client.get(f"/dev/mail/{row.id}").get_data(as_text=True)
    assert f"/appraisals/{appraisal.id}/from-mail/" in page
    assert team["kasi"].employee.email in page


@pytest.mark.parametrize(
    ("address", "found"),
    [("127.0.0.1", True), ("127.8.9.10", True), ("::1", True), ("10.0.0.5", False),
     ("192.168.1.20", False), ("2001:db8::1", False)],
)  # fmt: skip
def test_dev_mail_answers_only_the_machine_itself(app, client, monkeypatch, address, found):
    monkeypatch.setitem(app.config, "DEV_MAILBOX", True)
    row = _row("sent")
    for url in ("/dev/mail", f"/dev/mail/{row.id}"):
        response = client.get(url, environ_base={"REMOTE_ADDR": address})
        assert (response.status_code == 200) is found, url
