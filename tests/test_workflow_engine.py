"""The one write path: every (state, trigger, role) combination, generated from the definitions."""

import itertools
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent, OutboxMessage, Task
from app.outbox.render import render
from app.workflow.engine import available, fire
from app.workflow.errors import GuardFailed, InvalidInput, NotAllowed, StaleState
from app.workflow.registry import load_definitions
from tests.factories import make_period, make_team
from tests.test_workflow_spec import WORKFLOWS
from tests.workflow_helpers import ACTORS, appraisal_in_state, snapshot

SPECS = load_definitions(WORKFLOWS)
# The SKP definitions; a complaint's (subject: complaint) are generated in test_complaint_workflow.
CASES = [
    (name, state, trigger)
    for name, spec in SPECS.items()
    if spec.subject == "appraisal"
    for state in spec.states
    for trigger in spec.triggers
]
COMMENT = {"comment": "Catatan yang cukup panjang untuk setiap langkah."}


def overdue(appraisal) -> None:
    """The appraisal's open tasks were due yesterday (for steps allowed only after that)."""
    db.session.execute(
        sa.update(Task)
        .where(Task.appraisal_id == appraisal.id, Task.closed_at.is_(None))
        .values(due_date=date.today() - timedelta(days=2))
    )


@pytest.mark.parametrize(("workflow", "state", "trigger"), CASES, ids=["-".join(c) for c in CASES])
def test_every_combination_is_allowed_exactly_when_the_definition_says(
    app, workflow, state, trigger
):
    spec = SPECS[workflow]
    team = make_team()
    transition = spec.transition(state, trigger)
    refused_on = appraisal_in_state(team, make_period(2030, workflow=workflow), state)
    for year, (role, actor_key) in enumerate(ACTORS.items(), start=2031):
        actor = team[actor_key]
        allowed = transition is not None and role in transition.roles
        if allowed:
            appraisal = appraisal_in_state(team, make_period(year, workflow=workflow), state)
            if "explanation_time_up" in transition.guards:
                overdue(appraisal)
            source = spec.states[state]
            # One party of a joint step answering: only their task closes, the step stays.
            partial = source.joint and role in source.tasks
            dest = source if partial else spec.states[transition.dest]
            before = snapshot(appraisal.id)
            event = fire(appraisal, trigger, actor, COMMENT)
            after = snapshot(appraisal.id)
            assert after["state"] == dest.name
            assert after["version"] == before["version"] + 1
            assert after["events"] == before["events"] + 1
            expected_open = len(source.tasks) - 1 if partial else len(dest.tasks)
            assert after["open_tasks"] == expected_open
            assert (event.role, event.from_state, event.to_state) == (role, state, dest.name)
        else:
            before = snapshot(refused_on.id)
            with pytest.raises(NotAllowed):
                fire(refused_on, trigger, actor, COMMENT)
            assert snapshot(refused_on.id) == before, f"{role} changed something"


@pytest.mark.parametrize(
    "trigger", [t.trigger for t in SPECS["skp_annual"].transitions if t.comment_required]
)
def test_required_comment_is_enforced(app, trigger):
    team = make_team()
    transition = next(t for t in SPECS["skp_annual"].transitions if t.trigger == trigger)
    appraisal = appraisal_in_state(team, make_period(), transition.source)
    actor = team[ACTORS[transition.roles[0]]]
    before = snapshot(appraisal.id)
    for empty in ({}, {"comment": ""}, {"comment": "   \n "}):
        with pytest.raises(InvalidInput) as raised:
            fire(appraisal, trigger, actor, empty)
        assert list(raised.value.errors) == ["comment"]
    assert snapshot(appraisal.id) == before


def test_objection_after_fourteen_days_is_refused(app):
    from datetime import timedelta

    from app.models.types import utcnow

    team = make_team()
    appraisal = appraisal_in_state(team, make_period(), "final")
    appraisal.result_received_at = utcnow() - timedelta(days=16)
    db.session.flush()
    assert "file_objection" not in [t.trigger for t in available(appraisal, team["staf"])]
    before = snapshot(appraisal.id)
    with pytest.raises(GuardFailed):
        fire(appraisal, "file_objection", team["staf"], COMMENT)
    assert snapshot(appraisal.id) == before


def test_stale_version_changes_nothing_and_names_who_moved_it(app):
    team = make_team()
    appraisal = appraisal_in_state(team, make_period(), "plan_review")
    seen = appraisal.version
    fire(appraisal, "approve_plan", team["kasi"], {})
    before = snapshot(appraisal.id)
    with pytest.raises(StaleState) as raised:
        fire(appraisal, "return_plan", team["kasi"], COMMENT, seen_version=seen)
    assert raised.value.event.trigger == "approve_plan"
    assert raised.value.event.actor_id == team["kasi"].employee_id
    assert snapshot(appraisal.id) == before


def test_whole_annual_flow_with_every_return_path(app):
    team = make_team()
    appraisal = appraisal_in_state(team, make_period(), "draft")
    steps = [
        ("submit_plan", "staf"),
        ("return_plan", "kasi"),
        ("submit_plan", "staf"),
        ("approve_plan", "kasi"),
        ("submit_assessment", "staf"),
        ("return_review", "kasi"),
        ("submit_assessment", "staf"),
        ("approve_review", "kasi"),
        ("return_verification", "verifikator"),
        ("approve_review", "kasi"),
        ("finalise", "verifikator"),
        ("file_objection", "staf"),
        ("decide_objection", "kabid"),
    ]
    for trigger, who in steps:
        fire(appraisal, trigger, team[who], COMMENT)
    db.session.commit()
    assert appraisal.state == "final"
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.appraisal_id == appraisal.id)
        .order_by(AuditEvent.seq)
    ).all()
    assert [e.trigger for e in events] == [t for t, _ in steps]
    assert [e.seq for e in events] == list(range(1, len(steps) + 1))
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))
    open_tasks = db.session.scalar(
        sa.select(sa.func.count()).where(
            Task.appraisal_id == appraisal.id, Task.closed_at.is_(None)
        )
    )
    assert open_tasks == 0


def test_tasks_go_to_the_role_the_state_names(app):
    team = make_team()
    appraisal = appraisal_in_state(team, make_period(), "draft")

    def open_task():
        return db.session.scalars(
            sa.select(Task).where(Task.appraisal_id == appraisal.id, Task.closed_at.is_(None))
        ).one()

    assert open_task().assignee_id == team["staf"].employee_id
    fire(appraisal, "submit_plan", team["staf"], {})
    assert open_task().assignee_id == team["kasi"].employee_id
    for trigger, who in [
        ("approve_plan", "kasi"),
        ("submit_assessment", "staf"),
        ("approve_review", "kasi"),
    ]:
        fire(appraisal, trigger, team[who], {})
    task = open_task()
    assert (task.role, task.assignee_id) == ("verifikator_bkd", None)  # a group task
    fire(appraisal, "finalise", team["verifikator"], {})
    fire(appraisal, "file_objection", team["staf"], COMMENT)
    assert open_task().assignee_id == team["kabid"].employee_id  # the appraiser's superior


def test_notifications_are_queued_in_the_transaction_and_in_the_recipients_language(app):
    team = make_team()
    team["kasi"].locale = "en"
    appraisal = appraisal_in_state(team, make_period(), "draft")
    event = fire(appraisal, "submit_plan", team["staf"], {})
    messages = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.audit_event_id == event.id)
    ).all()
    assert [m.recipient for m in messages] == [team["kasi"].employee.email]
    assert messages[0].locale == "en"
    # The step writes what to render; the worker renders it when it sends it.
    assert messages[0].body_text is None and messages[0].context["kind"] == "transition"
    mail = render(messages[0])
    assert "The SKP plan of Dian Anggraini has been submitted to" in mail.subject
    assert f"/appraisals/{appraisal.id}" in mail.text
    db.session.rollback()  # nothing was committed: the mail goes with the transition
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0


def test_a_plt_appraiser_is_recorded_as_acting(app):
    from datetime import date

    from app.models import Employee
    from tests.factories import make_acting

    team = make_team()
    kasi_position = team["kasi"].employee.position
    db.session.get(Employee, team["kasi"].employee_id).position = None  # the post falls vacant
    make_acting(kasi_position, team["kabid"].employee, date(2026, 1, 1), date(2030, 12, 31))
    appraisal = appraisal_in_state(team, make_period(), "plan_review")
    assert (appraisal.appraiser_id, appraisal.appraiser_acting) == (
        team["kabid"].employee_id,
        "plt",
    )
    event = fire(appraisal, "approve_plan", team["kabid"], {})
    assert (event.role, event.acting_as) == ("appraiser", "plt")


def test_a_decided_objection_is_final(app):
    team = make_team()
    appraisal = appraisal_in_state(team, make_period(), "final")
    first_final = appraisal.finalised_at
    fire(appraisal, "file_objection", team["staf"], COMMENT)
    fire(appraisal, "decide_objection", team["kabid"], COMMENT)
    assert appraisal.state == "final"
    assert appraisal.finalised_at == first_final  # the 14 days do not start again
    assert "file_objection" not in [t.trigger for t in available(appraisal, team["staf"])]
    before = snapshot(appraisal.id)
    with pytest.raises(GuardFailed):
        fire(appraisal, "file_objection", team["staf"], COMMENT)
    assert snapshot(appraisal.id) == before
