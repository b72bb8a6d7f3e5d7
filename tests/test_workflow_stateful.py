"""Random sequences of actors and triggers, stale versions included, against the invariants."""

import itertools

import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from app.extensions import db
from app.models import Appraisal, AuditEvent, Task
from app.models.audit import GENESIS_HASH
from app.workflow.engine import engine, fire
from app.workflow.errors import TransitionRefused
from app.workflow.spec import ROLES
from tests.factories import make_period, make_team
from tests.workflow_helpers import ACTORS, appraisal_in_state

WORKFLOW = "skp_annual"


def test_random_sequences_keep_the_invariants(app):
    team = make_team()
    db.session.commit()
    spec = engine().spec(WORKFLOW)
    years = itertools.count(2100)

    class AppraisalMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.appraisal = appraisal_in_state(
                team, make_period(next(years), workflow=WORKFLOW), "draft"
            )
            db.session.commit()
            self.state, self.version, self.successes = "draft", 1, 0
            self.objected = False  # keberatan can be filed once
            self.answered: set[str] = set()  # who has explained, at the joint step

        @rule(
            trigger=st.sampled_from(spec.triggers),
            who=st.sampled_from(sorted(ACTORS)),
            stale=st.booleans(),
            comment=st.sampled_from(["", "Alasan yang jelas dan cukup panjang untuk dicatat."]),
        )
        def fire_a_step(self, trigger, who, stale, comment):
            transition = spec.transition(self.state, trigger)
            seen = self.version - 1 if stale and self.version > 1 else self.version
            expected = (
                transition is not None
                and who in ROLES
                and who in transition.roles
                and seen == self.version
                and (comment or not transition.comment_required)
                and not (trigger == "file_objection" and self.objected)
                and who not in self.answered
                # the explanations are due in a week: nobody may go on without them yet
                and "explanation_time_up" not in transition.guards
            )
            try:
                fire(
                    self.appraisal,
                    trigger,
                    team[ACTORS[who]],
                    {"comment": comment},
                    seen_version=seen,
                )
            except TransitionRefused:
                db.session.rollback()
                assert not expected, f"{who} {trigger} from {self.state} was refused"
            else:
                db.session.commit()
                assert expected, f"{who} {trigger} from {self.state} (seen {seen}) went through"
                source = spec.states[self.state]
                if source.joint and who in source.tasks:
                    self.answered.add(who)
                if source.joint and set(source.tasks) - self.answered:
                    pass  # the other party still owes their answer: the step stays
                else:
                    self.state, self.answered = transition.dest, set()
                self.version += 1
                self.successes += 1
                self.objected |= trigger == "file_objection"

        @invariant()
        def state_and_version_match_the_model(self):
            row = db.session.execute(
                sa.select(Appraisal.state, Appraisal.version).where(
                    Appraisal.id == self.appraisal.id
                )
            ).one()
            assert row.state in spec.states
            assert (row.state, row.version) == (self.state, self.version)

        @invariant()
        def one_audit_event_per_successful_transition(self):
            count = db.session.scalar(
                sa.select(sa.func.count()).where(AuditEvent.appraisal_id == self.appraisal.id)
            )
            assert count == self.successes

        @invariant()
        def one_open_task_per_role_still_owing_work(self):
            open_tasks = db.session.scalar(
                sa.select(sa.func.count()).where(
                    Task.appraisal_id == self.appraisal.id, Task.closed_at.is_(None)
                )
            )
            assert open_tasks == len(spec.states[self.state].tasks) - len(self.answered)

        @invariant()
        def hash_chain_verifies(self):
            events = db.session.scalars(
                sa.select(AuditEvent)
                .where(AuditEvent.appraisal_id == self.appraisal.id)
                .order_by(AuditEvent.seq)
            ).all()
            previous = GENESIS_HASH
            for event in events:
                assert event.prev_hash == previous
                assert event.compute_hash() == event.hash
                previous = event.hash

    run_state_machine_as_test(
        AppraisalMachine,
        settings=settings(
            max_examples=25,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
