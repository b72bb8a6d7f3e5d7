"""Transition mails are rendered by the delivery worker, not by the request that queued them."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import OutboxMessage
from app.outbox.worker import send_batch
from app.workflow.engine import fire
from tests.factories import make_period, make_team
from tests.test_mail_delivery import links_in, smtp_fixture, text_of  # noqa: F401
from tests.test_query_budget import StatementCounter
from tests.workflow_helpers import appraisal_in_state


def _only_row() -> OutboxMessage:
    return db.session.scalars(sa.select(OutboxMessage)).one()


def test_a_step_queues_what_to_render_and_the_worker_renders_it_in_the_recipients_language(
    app, smtp
):
    team = make_team()
    team["kasi"].locale = "en"
    appraisal = appraisal_in_state(team, make_period(), "draft")
    fire(appraisal, "submit_plan", team["staf"], {"comment": "Mohon diperiksa"})
    db.session.commit()
    row = _only_row()
    assert (row.subject, row.body_text, row.body_html) == (None, None, None)
    assert row.template == "submit_plan" and row.locale == "en"
    assert row.context["appraisal"] == appraisal.id and row.context["kind"] == "transition"

    assert send_batch().sent == 1
    (mail,) = smtp.messages
    assert mail["Subject"].startswith("[SIKAP] ")
    assert "The SKP plan of Dian Anggraini has been submitted to" in mail["Subject"]
    assert "Hello" in text_of(mail) and "Mohon diperiksa" in text_of(mail)
    assert links_in(mail)  # signed links, made when it was sent
    db.session.expire_all()
    row = _only_row()
    # What was sent stays on the row: the admin sees it, a resend is the same mail.
    assert row.status == "sent" and row.subject == mail["Subject"]
    assert row.body_text.split() == text_of(mail).split()


def test_the_result_mail_states_the_predikat_of_the_step_not_a_later_one(app, smtp):
    team = make_team()
    appraisal = appraisal_in_state(team, make_period(), "verification")
    fire(appraisal, "finalise", team["verifikator"], {})
    db.session.commit()
    assert appraisal.predikat == "baik"
    appraisal.predikat = "sangat_baik"  # changed before the worker came round
    db.session.commit()

    assert send_batch().sent >= 1
    (mail,) = smtp.to(team["staf"].employee.email)
    assert "Predikat: Baik" in text_of(mail) and "Sangat Baik" not in text_of(mail)
    assert "predikat Baik." in mail["Subject"]
    db.session.refresh(appraisal)
    assert appraisal.result_received_at is not None  # its delivery is still the receipt


def test_a_row_that_cannot_be_rendered_is_dead_and_the_batch_goes_on(app, smtp):
    db.session.add_all(
        [
            OutboxMessage(
                recipient="hilang@example.test",
                template="transition",
                locale="id",
                context={"kind": "transition", "appraisal": 999999, "event": 1, "person": 1},
            ),
            OutboxMessage(
                recipient="ada@example.test", subject="Uji", body_text="Isi", template="test"
            ),
        ]
    )
    db.session.commit()
    result = send_batch()
    assert (result.sent, result.dead) == (1, 1)
    assert [m["To"] for m in smtp.messages] == ["ada@example.test"]
    dead = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.recipient == "hilang@example.test")
    ).one()
    assert dead.status == "dead" and "NotRenderable" in dead.last_error


def test_the_admin_reads_a_queued_mail_as_it_would_be_sent(app, browser):
    team = make_team()
    appraisal = appraisal_in_state(team, make_period(), "draft")
    fire(appraisal, "submit_plan", team["staf"], {"comment": "Mohon diperiksa"})
    db.session.commit()
    row = _only_row()
    browser.login(team["admin"].employee.nip)
    index = browser.get("/admin/outbox?status=pending").get_data(as_text=True)
    assert "(ditulis saat dikirim)" in index
    page = browser.get(f"/admin/outbox/{row.id}").get_data(as_text=True)
    assert "data-preview" in page and "Mohon diperiksa" in page
    assert "Dian Anggraini" in page
    db.session.expire_all()
    assert _only_row().body_text is None  # looking at it wrote nothing


def test_rendering_a_batch_asks_the_database_as_often_for_three_mails_as_for_one(app, smtp):
    team = make_team()
    counter = StatementCounter(db.engine)
    counts, years = [], iter(range(2026, 2030))
    for steps in (1, 3):
        for _ in range(steps):
            appraisal = appraisal_in_state(team, make_period(year=next(years)), "draft")
            fire(appraisal, "submit_plan", team["staf"], {})
        db.session.commit()
        # A session of its own, as a worker has: nothing of the steps is loaded in it.
        with app.app_context(), counter:
            assert send_batch().sent == steps
            db.session.remove()
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
    assert len(smtp.messages) == 4
