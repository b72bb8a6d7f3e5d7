"""Outbox delivery against a real SMTP server (aiosmtpd on a free local port).

`SmtpServer` and the `smtp` fixture (smtp_fixture) are imported by the other test_mail_*.py.
"""

from __future__ import annotations

import email
import re
import socket
import threading
from datetime import timedelta
from email import policy

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from app.extensions import db
from app.models import OutboxMessage
from app.models.types import utcnow
from app.outbox.worker import run_forever, send_batch
from app.workflow.engine import fire
from tests.factories import make_period, make_team
from tests.workflow_helpers import appraisal_in_state

LINK_RE = re.compile(r"https?://[^/\s]+(/appraisals/\d+/from-mail/\S+)")


def free_port() -> int:
    """A local TCP port nobody listens on (bound once, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """A real SMTP server that keeps every message it accepts, parsed with the email package.

    `answers` are replies given to the next DATA commands instead of accepting
    (e.g. a 451 twice); `refuse` is a reply given to every DATA while it is set.
    """

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.answers: list[str] = []
        self.refuse: str | None = None
        self.refused = 0
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            if self.refuse or self.answers:
                self.refused += 1
                return self.refuse or self.answers.pop(0)
            self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 2.0.0 Accepted"

    def start(self) -> SmtpServer:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def point_mail_at(app, monkeypatch, port: int) -> None:
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 5)


@pytest.fixture(name="smtp")
def smtp_fixture(app, monkeypatch):
    """A running SMTP server the app's worker sends to; stopped cleanly afterwards."""
    server = SmtpServer().start()
    point_mail_at(app, monkeypatch, server.port)
    yield server
    server.stop()


def text_of(message: email.message.EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def links_in(message: email.message.EmailMessage) -> list[str]:
    """The paths of the signed links in the text part, in order."""
    return LINK_RE.findall(text_of(message))


def _queue(n: int = 1) -> list[OutboxMessage]:
    rows = [
        OutboxMessage(
            recipient=f"orang{i}@example.test",
            subject=f"Uji {i}",
            body_text="Isi pesan",
            body_html="<p>Isi pesan</p>",
            template="test",
            locale="id",
        )
        for i in range(n)
    ]
    db.session.add_all(rows)
    db.session.commit()
    return rows


def test_transition_mail_arrives_in_each_recipients_language_with_its_message_id(app, smtp):
    team = make_team()
    team["staf"].locale = "en"
    appraisal = appraisal_in_state(team, make_period(), "draft")
    fire(appraisal, "submit_plan", team["staf"], {"comment": "Mohon diperiksa"})
    db.session.commit()

    assert send_batch().sent == 1
    (to_kasi,) = smtp.messages
    row = db.session.scalars(sa.select(OutboxMessage)).one()
    assert smtp.envelopes[0][1] == [team["kasi"].employee.email]
    assert to_kasi["To"] == team["kasi"].employee.email
    assert to_kasi["Message-ID"] == row.message_id == f"<outbox-{row.id}@sikap.pemkomedan.go.id>"
    assert to_kasi["Content-Language"] == "id"
    assert "Rencana SKP Dian Anggraini telah diajukan kepada Kasi Nasution" in to_kasi["Subject"]
    body = text_of(to_kasi)
    assert team["staf"].employee.nip in body and "Mohon diperiksa" in body
    assert "Persetujuan rencana SKP" in body  # the step, in Indonesian
    # The step link, one action link per step the appraiser may take, and nothing unsigned.
    paths = links_in(to_kasi)
    assert len(paths) == 3
    assert all(f"/appraisals/{appraisal.id}/from-mail/" in path for path in paths)
    assert f"{appraisal.id}/act/" not in body

    fire(appraisal, "approve_plan", team["kasi"], {})
    db.session.commit()
    send_batch()
    (to_staf,) = smtp.to(team["staf"].employee.email)
    assert to_staf["Content-Language"] == "en"
    assert "The SKP plan of Dian Anggraini has been approved" in to_staf["Subject"]
    assert "Self-assessment" in text_of(to_staf)
    assert to_staf.get_body(("html",)) is not None
    assert len({m["Message-ID"] for m in smtp.messages}) == 2


def test_returned_mail_carries_the_reason_and_the_new_deadline(app, smtp):
    team = make_team()
    team["staf"].locale = "en"
    appraisal = appraisal_in_state(team, make_period(), "plan_review")
    fire(appraisal, "return_plan", team["kasi"], {"comment": "RHK 2 belum punya target."})
    db.session.commit()
    send_batch()
    (mail,) = smtp.messages
    body = text_of(mail)
    task_due = appraisal_task_due(appraisal.id)
    assert "RHK 2 belum punya target." in body
    assert task_due.strftime("%Y") in body and "Drafting the plan" in body
    assert "The SKP plan has been returned to Dian Anggraini" in mail["Subject"]


def appraisal_task_due(appraisal_id: int):
    from app.models import Task

    return db.session.scalar(
        sa.select(Task.due_date).where(Task.appraisal_id == appraisal_id, Task.closed_at.is_(None))
    )


def test_smtp_down_the_transition_succeeds_and_mail_waits_then_goes_exactly_once(app, monkeypatch):
    port = free_port()  # nothing listens here
    point_mail_at(app, monkeypatch, port)
    team = make_team()
    appraisal = appraisal_in_state(team, make_period(), "verification")
    fire(appraisal, "finalise", team["verifikator"], {})
    db.session.commit()
    assert appraisal.state == "final"

    now = utcnow()
    result = send_batch(now=now)
    assert result.unreachable and result.sent == 0 and result.deferred == 2
    rows = db.session.scalars(sa.select(OutboxMessage)).all()
    assert {r.recipient for r in rows} == {
        team["staf"].employee.email,
        team["kasi"].employee.email,
    }
    for row in rows:
        assert row.status == "pending" and row.attempts == 0
        assert row.next_attempt_at > now and "Connection" in row.last_error
    assert send_batch(now=now).claimed == 0  # they wait for next_attempt_at

    server = SmtpServer(port).start()
    try:
        later = now + timedelta(minutes=5)
        assert send_batch(now=later).sent == 2
        assert send_batch(now=later + timedelta(hours=1)).claimed == 0
    finally:
        server.stop()
    assert sorted(m["Message-ID"] for m in server.messages) == sorted(r.message_id for r in rows)
    assert len(server.messages) == 2


def test_temporary_refusals_back_off_exponentially_then_deliver(app, smtp):
    (row,) = _queue()
    smtp.answers = ["451 4.3.0 Try again later"] * 3
    now = utcnow()
    waits = []
    for _attempt in range(3):
        result = send_batch(now=now)
        assert result.retried == 1
        db.session.refresh(row)
        waits.append(row.next_attempt_at - now)
        assert send_batch(now=row.next_attempt_at - timedelta(seconds=1)).claimed == 0
        now = row.next_attempt_at
    assert waits == [timedelta(seconds=30), timedelta(seconds=60), timedelta(seconds=120)]
    assert "451" in row.last_error
    assert send_batch(now=now).sent == 1
    db.session.refresh(row)
    assert (row.status, row.attempts) == ("sent", 4)
    assert len(smtp.messages) == 1 and smtp.refused == 3


def test_permanent_refusal_is_dead_after_the_last_attempt_and_an_admin_requeues_it(
    app, smtp, browser
):
    team = make_team()
    (row,) = _queue()
    smtp.refuse = "550 5.1.1 Mailbox unavailable"
    limit = app.config["OUTBOX_MAX_ATTEMPTS"]
    now = utcnow()
    for attempt in range(1, limit + 1):
        send_batch(now=now)
        db.session.refresh(row)
        assert row.attempts == attempt
        assert row.status == ("dead" if attempt == limit else "pending")
        now = row.next_attempt_at
    assert send_batch(now=now + timedelta(days=30)).claimed == 0  # dead stays dead
    assert "550" in row.last_error

    browser.login(team["admin"].employee.nip)
    page = browser.get("/admin/outbox?status=dead").get_data(as_text=True)
    assert f"/admin/outbox/{row.id}" in page and 'data-count="dead">1<' in page
    response = browser.post(f"/admin/outbox/{row.id}/requeue", {})
    assert response.status_code == 302
    db.session.refresh(row)
    assert (row.status, row.attempts) == ("pending", 0)

    smtp.refuse = None
    assert send_batch().sent == 1
    assert len(smtp.messages) == 1 and smtp.messages[0]["Message-ID"] == row.message_id


def test_outbox_run_once_sends_everything_due(app, smtp):
    _queue(250)
    result = app.test_cli_runner().invoke(args=["outbox", "run", "--once", "--batch", "100"])
    assert result.exit_code == 0, result.output
    assert "sent 250" in result.output
    assert len({m["Message-ID"] for m in smtp.messages}) == 250
    assert (
        db.session.scalar(sa.select(sa.func.count()).where(OutboxMessage.status == "sent")) == 250
    )


def test_the_worker_loop_backs_off_while_the_server_is_down(app, monkeypatch):
    point_mail_at(app, monkeypatch, free_port())
    _queue(3)
    pauses: list[float] = []

    class Stop(Exception):
        pass

    def sleep(seconds: float) -> None:
        pauses.append(seconds)
        if len(pauses) == 4:
            raise Stop

    with pytest.raises(Stop):
        run_forever(1, 1.0, lambda result: None, sleep=sleep)
    # One connection attempt per pause, the pause doubling while the server stays away;
    # once every row waits for its next attempt, the loop idles at its interval.
    assert pauses == [2.0, 4.0, 8.0, 1.0]


@pytest.mark.postgres_only
def test_two_workers_send_every_row_exactly_once(app, backend, smtp):
    rows = [
        {
            "recipient": f"pegawai{i}@example.test",
            "subject": f"Pesan {i}",
            "body_text": "isi",
            "template": "bulk",
            "locale": "id",
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": utcnow(),
            "created_at": utcnow(),
        }
        for i in range(1000)
    ]
    db.session.execute(sa.insert(OutboxMessage), rows)
    db.session.commit()
    start = threading.Barrier(2)
    sent: dict[str, int] = {}
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        try:
            with app.app_context():
                start.wait(timeout=10)
                total = 0
                while (result := send_batch(25)).claimed:
                    total += result.sent
                sent[name] = total
                db.session.remove()
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors
    assert sent["a"] > 0 and sent["b"] > 0 and sent["a"] + sent["b"] == 1000
    ids = [m["Message-ID"] for m in smtp.messages]
    assert len(ids) == 1000 and len(set(ids)) == 1000
    db.session.expire_all()
    assert (
        db.session.scalar(sa.select(sa.func.count()).where(OutboxMessage.status == "sent")) == 1000
    )
