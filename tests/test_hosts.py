"""Emailed links point at BASE_URL whatever Host header the request carried."""

import re

import pytest
import sqlalchemy as sa

from app.outbox.links import external_url, task_url
from app.outbox.worker import send_batch
from tests.conftest import CSRF_RE
from tests.factories import make_account, make_employee
from tests.test_mail_delivery import smtp_fixture, text_of  # noqa: F401 - the smtp fixture

HOSTILE = "evil.example"


@pytest.fixture
def budi(app):
    return make_account(make_employee("Budi Santoso", email="budi@pemkomedan.go.id"))


def test_the_reset_mail_links_to_base_url_despite_a_hostile_host(app, budi, browser, smtp):
    app.config["BASE_URL"] = "https://sikap.pemkomedan.go.id"
    try:
        # The whole visit happens under the hostile host (as a tricked browser would).
        page = browser.client.get("/reset", base_url=f"http://{HOSTILE}")
        token = CSRF_RE.search(page.get_data(as_text=True)).group(1)
        response = browser.client.post(
            "/reset",
            base_url=f"http://{HOSTILE}",
            data={"csrf_token": token, "login": budi.employee.nip},
            headers={"X-Forwarded-Host": HOSTILE},
        )
        assert response.status_code == 302
        assert send_batch().sent == 1
    finally:
        app.config["BASE_URL"] = "http://127.0.0.1:5000"
    (mail,) = smtp.to("budi@pemkomedan.go.id")
    links = re.findall(r"https?://\S+", text_of(mail))
    assert links, text_of(mail)
    assert all(link.startswith("https://sikap.pemkomedan.go.id/reset/") for link in links)
    assert HOSTILE not in mail.as_string()
    db_link = links[0].removeprefix("https://sikap.pemkomedan.go.id")
    assert browser.get(db_link).status_code == 200  # the link works


def test_links_built_inside_a_request_ignore_its_host(app):
    with app.test_request_context("/", base_url=f"http://{HOSTILE}"):
        link = task_url(1, 2, 3)
        reset = external_url("auth.reset", token="t")
    base = app.config["BASE_URL"]
    assert link.startswith(f"{base}/appraisals/2/from-mail/")
    assert reset == f"{base}/reset/t"


def test_an_account_opened_by_admin_mails_a_base_url_link(app, browser):
    from app.admin import services
    from app.models import OutboxMessage

    admin = make_account(make_employee("Admin BKD"), roles=("admin_bkd",))
    sari = make_employee("Sari Lubis", email="sari@pemkomedan.go.id")
    with app.test_request_context("/", base_url=f"http://{HOSTILE}"):
        services.create_account(sari, admin)
    from app.extensions import db

    body = db.session.scalars(sa.select(OutboxMessage.body_text)).one()
    assert HOSTILE not in body
    assert f"{app.config['BASE_URL']}/reset/" in body
