"""The statutory calendar as milestones: which step every SKP should have passed by a date.

A period's calendar (app.models.Period) sets the last day to submit the plan, to
approve it, to assess oneself and to review. Completion "against the calendar" is
the share of SKP at or past the milestone whose date comes next (or the last one,
once every date has passed): in January, the plans approved by 31 January.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from app.models import Period
from app.workflow.names import (
    DRAFT,
    FINAL,
    OBJECTION,
    OBJECTION_EXPLANATION,
    PLAN_REVIEW,
    SELF_ASSESSMENT,
    SUPERVISOR_REVIEW,
    VERIFICATION,
)

# The steps in the order an SKP passes them; a keberatan comes after the final step.
STATE_ORDER = (
    DRAFT,
    PLAN_REVIEW,
    SELF_ASSESSMENT,
    SUPERVISOR_REVIEW,
    VERIFICATION,
    FINAL,
    OBJECTION,
    OBJECTION_EXPLANATION,
)


def _past(state: str) -> frozenset[str]:
    return frozenset(STATE_ORDER[STATE_ORDER.index(state) + 1 :])


@dataclass(frozen=True)
class Milestone:
    """A step every SKP should have passed by `deadline`, and the states past it."""

    name: str
    label: str
    deadline: date
    reached_states: frozenset[str]


def milestones(period: Period) -> list[Milestone]:
    """The period's milestones in date order (a periodic evaluation has no plan step)."""
    found = [
        ("plan_submitted", _l("Plans submitted"), period.plan_deadline, _past(DRAFT)),
        ("plan_approved", _l("Plans approved"), period.plan_approval_deadline, _past(PLAN_REVIEW)),
        (
            "assessed",
            _l("Self-assessments submitted"),
            period.assessment_deadline,
            _past(SELF_ASSESSMENT),
        ),
        ("reviewed", _l("Reviews done"), period.review_deadline, _past(SUPERVISOR_REVIEW)),
    ]
    if period.kind != "annual":
        found = found[2:]
    return [
        Milestone(name, label, deadline, states)
        for name, label, deadline, states in found
        if deadline is not None
    ]


def current_milestone(period: Period, today: date) -> Milestone | None:
    """The milestone whose date comes next, or the last one once all have passed."""
    steps = milestones(period)
    for step in steps:
        if step.deadline >= today:
            return step
    return steps[-1] if steps else None
