"""The 14 days for a keberatan run from receipt of the result (PP 30/2019 Pasal 59 ayat 2).

Receipt is the earlier of the final mail's delivery and the appraisee's first
look at the final SKP. The clock is fixed by passing `now` (the engine, the
worker) and by replacing the views' `utcnow`; days are counted in Asia/Jakarta.
"""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Appraisal, OutboxMessage
from app.outbox.receipt import mark_result_received
from app.outbox.worker import send_batch
from app.workflow.engine import available, fire
from app.workflow.errors import GuardFailed
from tests.factories import make_period
from tests.test_mail_delivery import smtp_fixture  # noqa: F401 (the smtp fixture)
from tests.workflow_helpers import appraisal_in_state, snapshot

REASONS = {"comment": "Realisasi saya melebihi target dan bukti dukung sudah lengkap."}
FINALISED = datetime(2027, 1, 2, 2, 0, tzinfo=UTC)
# 10:00 on 10 January in Medan (UTC+7): day 0. Day 14 ends at 24 January 23:59 WIB.
RECEIVED = datetime(2027, 1, 10, 3, 0, tzinfo=UTC)
DAY_14_LATE = datetime(2027, 1, 24, 16, 0, tzinfo=UTC)  # 23:00 WIB, 24 January
DAY_15_EARLY = datetime(2027, 1, 24, 17, 30, tzinfo=UTC)  # 00:30 WIB, 25 January


def fresh(appraisal_id: int) -> Appraisal:
    db.session.expire_all()
    return db.session.get(Appraisal, appraisal_id)


@pytest.fixture
def finalised(team):
    """An appraisal finalised by BKD on 2 January; its mails wait in the outbox."""
    appraisal = appraisal_in_state(team, make_period(), "verification")
    fire(appraisal, "finalise", team["verifikator"], {}, now=FINALISED)
    db.session.commit()
    assert appraisal.result_received_at is None
    return appraisal


def can_file(appraisal: Appraisal, team, now: datetime) -> bool:
    return "file_objection" in [t.trigger for t in available(appraisal, team["staf"], now=now)]


def assert_window_from_received(appraisal: Appraisal, team) -> None:
    """Day 14 after receipt is still open, day 15 is refused and changes nothing."""
    assert can_file(appraisal, team, DAY_14_LATE)
    assert not can_file(appraisal, team, DAY_15_EARLY)
    before = snapshot(appraisal.id)
    with pytest.raises(GuardFailed) as refused:
        fire(appraisal, "file_objection", team["staf"], REASONS, now=DAY_15_EARLY)
    assert "14" in str(refused.value)
    assert snapshot(appraisal.id) == before
    fire(appraisal, "file_objection", team["staf"], REASONS, now=DAY_14_LATE)
    assert appraisal.state == "objection"


def test_the_delivery_of_the_final_mail_starts_the_window(team, finalised, smtp):
    mail = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.receipt_appraisal_id == finalised.id)
    ).one()
    assert mail.recipient == team["staf"].employee.email  # the appraisee's mail only
    assert send_batch(now=RECEIVED).sent >= 1
    appraisal = fresh(finalised.id)
    assert appraisal.result_received_at == RECEIVED
    assert_window_from_received(appraisal, team)


def test_the_first_view_starts_the_window_and_a_later_delivery_does_not_move_it(
    team, finalised, browser, monkeypatch, smtp
):
    monkeypatch.setattr("app.appraisals.views.utcnow", lambda: RECEIVED)
    browser.login(team["staf"].employee.nip)
    page = browser.get(f"/appraisals/{finalised.id}").get_data(as_text=True)
    assert "data-objection-window" in page
    assert fresh(finalised.id).result_received_at == RECEIVED
    # The mail arrives three days later: the first receipt stands.
    send_batch(now=RECEIVED + timedelta(days=3))
    monkeypatch.setattr("app.appraisals.views.utcnow", lambda: RECEIVED + timedelta(days=4))
    browser.get(f"/appraisals/{finalised.id}")
    appraisal = fresh(finalised.id)
    assert appraisal.result_received_at == RECEIVED
    assert_window_from_received(appraisal, team)


def test_the_first_look_at_the_document_is_receipt_too(team, finalised, browser, monkeypatch):
    monkeypatch.setattr("app.skp.document.views.utcnow", lambda: RECEIVED)
    browser.login(team["staf"].employee.nip)
    assert browser.get(f"/appraisals/{finalised.id}/document").status_code == 200
    assert fresh(finalised.id).result_received_at == RECEIVED


def test_only_the_appraisees_own_view_counts(team, finalised, browser):
    team["kasi"].locale = "en"
    db.session.commit()
    browser.login(team["kasi"].employee.nip)
    page = browser.get(f"/appraisals/{finalised.id}").get_data(as_text=True)
    assert fresh(finalised.id).result_received_at is None
    # Until then the 14 days have not started, and the page says so.
    assert "data-objection-window" in page
    assert "have not started" in page


def test_before_receipt_the_window_has_not_started_so_filing_is_open(team, finalised):
    appraisal = fresh(finalised.id)
    long_after = FINALISED + timedelta(days=60)
    assert can_file(appraisal, team, long_after)


def test_receipt_is_recorded_once_whoever_comes_second(team, finalised):
    assert mark_result_received(finalised.id, RECEIVED)
    assert not mark_result_received(finalised.id, RECEIVED - timedelta(hours=1))
    assert fresh(finalised.id).result_received_at == RECEIVED


def test_an_appraisal_not_yet_final_is_never_received(team):
    appraisal = appraisal_in_state(team, make_period(), "verification")
    assert not mark_result_received(appraisal.id, RECEIVED)
