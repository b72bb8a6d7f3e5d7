"""Signed links in emails: they open the task for their recipient only, and say when it moved."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import Appraisal, OutboxMessage
from app.outbox.links import MailLink, task_url
from app.outbox.worker import send_batch
from app.workflow.engine import fire
from tests.factories import make_period, make_team
from tests.queue_helpers import render_outbox
from tests.test_mail_delivery import links_in, smtp_fixture  # noqa: F401 (fixture `smtp`)
from tests.workflow_helpers import appraisal_in_state


def _submitted_plan(team):
    """The staff's plan submitted; returns the appraisal and the kasi's mail (from the server)."""
    appraisal = appraisal_in_state(team, make_period(), "draft")
    fire(appraisal, "submit_plan", team["staf"], {})
    db.session.commit()
    return appraisal


def _state(appraisal_id: int) -> tuple[str, int]:
    db.session.expire_all()
    row = db.session.get(Appraisal, appraisal_id)
    return row.state, row.version


def test_the_recipient_lands_on_the_task_and_action_links_only_confirm(app, smtp, browser):
    team = make_team()
    appraisal = _submitted_plan(team)
    send_batch()
    approve, _return, open_link = links_in(smtp.messages[0])
    browser.login(team["kasi"].employee.nip)

    landed = browser.get(open_link)
    assert landed.status_code == 302
    assert landed.headers["Location"].endswith(f"/appraisals/{appraisal.id}")
    assert browser.get(landed.headers["Location"]).status_code == 200

    before = _state(appraisal.id)
    step = browser.get(approve)
    # The plan page, where the plan is read and the step's button opens its confirmation.
    assert step.headers["Location"].endswith(f"/appraisals/{appraisal.id}/plan")
    plan = browser.get(step.headers["Location"]).get_data(as_text=True)
    confirm_url = f"/appraisals/{appraisal.id}/act/approve_plan"
    assert f'href="{confirm_url}"' in plan
    confirm = browser.get(confirm_url)
    assert confirm.status_code == 200 and 'method="post"' in confirm.get_data(as_text=True)
    assert _state(appraisal.id) == before  # following a link changes nothing

    browser.post(confirm_url, {"version": before[1], "comment": ""}, token_from=confirm_url)
    assert _state(appraisal.id)[0] == "self_assessment"


def test_a_link_followed_by_someone_else_is_refused(app, smtp, browser, new_browser):
    team = make_team()
    appraisal = _submitted_plan(team)
    send_batch()
    approve, _return, open_link = links_in(smtp.messages[0])
    for someone in ("staf2", "kabid", "staf"):
        other = new_browser()
        other.login(team[someone].employee.nip)
        for link in (open_link, approve):
            response = other.get(link)
            assert response.status_code == 403
            assert "data-link-message" in response.get_data(as_text=True)
    assert _state(appraisal.id)[0] == "plan_review"


def test_a_signed_out_recipient_signs_in_first_and_then_lands_on_the_task(app, smtp, browser):
    team = make_team()
    appraisal = _submitted_plan(team)
    send_batch()
    open_link = links_in(smtp.messages[0])[-1]
    response = browser.get(open_link)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    signed_in = browser.post(
        "/login",
        {"login": team["kasi"].employee.nip, "password": "rahasia-123", "next": open_link},
    )
    assert signed_in.headers["Location"] == open_link
    assert browser.get(open_link).headers["Location"].endswith(f"/appraisals/{appraisal.id}")


def test_a_link_whose_task_has_moved_says_who_moved_it_and_when(app, browser):
    team = make_team()
    team["kasi"].locale = "en"
    appraisal = _submitted_plan(team)
    render_outbox()  # as the worker does when it sends it
    link = db.session.scalars(sa.select(OutboxMessage.body_text)).one()
    approve = next(line for line in link.splitlines() if "from-mail" in line).split(": ", 1)[1]
    fire(appraisal, "approve_plan", team["kasi"], {})
    db.session.commit()

    browser.login(team["kasi"].employee.nip)
    response = browser.get(approve.split("127.0.0.1:5000", 1)[1])
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert team["kasi"].employee.name in page
    assert "Self-assessment" in page  # the step it was moved to
    assert "/act/" not in response.headers.get("Location", "")
    assert _state(appraisal.id)[0] == "self_assessment"


def test_expired_forged_and_misplaced_tokens_get_a_clear_page(app, browser, monkeypatch):
    team = make_team()
    appraisal = appraisal_in_state(team, make_period(), "plan_review")
    kasi = team["kasi"].employee_id
    url = task_url(kasi, appraisal.id).split("127.0.0.1:5000", 1)[1]
    browser.login(team["kasi"].employee.nip)
    assert browser.get(url).status_code == 302

    forged = url[:-4] + ("AAAA" if not url.endswith("AAAA") else "BBBB")
    assert browser.get(forged).status_code == 404
    # A genuine token moved onto another appraisal's address is not accepted either.
    other = appraisal_in_state(team, make_period(2027), "plan_review", "staf2")
    moved = url.replace(f"/appraisals/{appraisal.id}/", f"/appraisals/{other.id}/")
    assert browser.get(moved).status_code == 404
    # Someone editing the visible payload breaks the signature.
    tampered = MailLink(team["staf2"].employee_id, appraisal.id).dumps()
    token = url.rsplit("/", 1)[1]
    mixed = tampered.split(".")[0] + "." + ".".join(token.split(".")[1:])
    assert browser.get(f"/appraisals/{appraisal.id}/from-mail/{mixed}").status_code == 404

    monkeypatch.setitem(app.config, "MAIL_LINK_MAX_AGE", -1)
    expired = browser.get(url)
    assert expired.status_code == 410
    assert "data-link-message" in expired.get_data(as_text=True)
