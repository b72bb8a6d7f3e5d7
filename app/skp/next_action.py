"""The next concrete thing the viewer has to do on an SKP, and the page where it is done.

`next_action` decides it from plain facts (the step, whose turn it is, the
viewer's roles, what the content still lacks), so a table of cases tests it
without a database. `next_action_of` gathers those facts for a page from the
SKP summary the appraisal page reads anyway (no extra query). `decision_url`
says where an emailed step button should land: the page where that decision is
made with everything needed to make it, never a bare confirmation.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _

from app import policy
from app.models import Account, Appraisal
from app.skp.review.services import ratings_problem
from app.skp.summary import SkpSummary
from app.workflow.engine import engine
from app.workflow.names import (
    DRAFT,
    EXPLAIN_OBJECTION,
    OBJECTION,
    OBJECTION_EXPLANATION,
    PLAN_REVIEW,
    SELF_ASSESSMENT,
    SUPERVISOR_REVIEW,
    VERIFICATION,
)
from app.workflow.roles import APPRAISEE, APPRAISER_SUPERIOR, appraisal_roles
from app.workflow.tasks import open_roles

BERAKHLAK_VALUES = 7


@dataclass(frozen=True)
class Facts:
    """What the content of an SKP still lacks, as counts (from app.skp.summary)."""

    plan_ready: bool = True
    ikis: int = 0
    with_realisasi: int = 0
    expectations: int = BERAKHLAK_VALUES
    ikis_without_feedback: int = 0
    behaviours_without_feedback: int = 0
    ratings_given: bool = True
    locked: bool = False  # the appraisee's step deadline has passed


@dataclass(frozen=True)
class NextAction:
    """A button: what to do, and the page (endpoint, or a workflow step) where it is done."""

    label: str
    endpoint: str
    trigger: str | None = None  # for appraisals.act: the step to confirm

    def url(self, appraisal_id: int) -> str:
        if self.trigger:
            return url_for(self.endpoint, appraisal_id=appraisal_id, trigger=self.trigger)
        return url_for(self.endpoint, appraisal_id=appraisal_id)


def next_action(
    state: str, turn: str | None, roles: Collection[str], facts: Facts
) -> NextAction | None:
    """The viewer's next action at `state`, where it is `turn`'s task; None if not theirs."""
    if turn is None or turn not in roles:
        return None
    if turn == APPRAISEE and facts.locked:
        return None  # the page says why (the deadline) and whom to ask
    if state == DRAFT:
        if not facts.plan_ready:
            return NextAction(_("Draft the SKP plan"), "skp.plan")
        return NextAction(_("Submit the SKP plan"), "appraisals.act", "submit_plan")
    if state == PLAN_REVIEW:
        if facts.expectations < BERAKHLAK_VALUES:
            return NextAction(_("Set the ekspektasi"), "skp.expectations")
        return NextAction(_("Check and approve the SKP plan"), "skp.plan")
    if state == SELF_ASSESSMENT:
        missing = facts.ikis - facts.with_realisasi
        if not facts.ikis:
            return NextAction(_("Record the realisasi"), "skp.realisasi")
        if missing > 0:
            label = _("Record the realisasi of %(count)d IKI", count=missing)
            return NextAction(label, "skp.realisasi")
        return NextAction(_("Submit the self-assessment"), "appraisals.act", "submit_assessment")
    if state == SUPERVISOR_REVIEW:
        if facts.ikis_without_feedback:
            count = facts.ikis_without_feedback
            label = _("Complete the umpan balik of %(count)d IKI", count=count)
            return NextAction(label, "skp.review")
        if facts.behaviours_without_feedback:
            label = _(
                "Complete the umpan balik of %(count)d perilaku kerja values",
                count=facts.behaviours_without_feedback,
            )
            return NextAction(label, "skp.review")
        if not facts.ratings_given:
            return NextAction(_("Give the ratings"), "skp.review")
        return NextAction(_("Approve the review"), "appraisals.act", "approve_review")
    if state == VERIFICATION:
        return NextAction(_("Verify this SKP"), "skp.verification")
    if state == OBJECTION and turn == APPRAISER_SUPERIOR:
        return NextAction(_("Decide the objection"), "skp.objection")
    if state == OBJECTION_EXPLANATION:
        return NextAction(_("Give your explanation"), "appraisals.act", EXPLAIN_OBJECTION)
    return None


def facts_of(appraisal: Appraisal, summary: SkpSummary) -> Facts:
    """The facts `next_action` needs, from the summary the appraisal page has read."""
    return Facts(
        plan_ready=not summary.plan_problems,
        ikis=summary.ikis,
        with_realisasi=summary.with_realisasi,
        expectations=summary.expectations,
        ikis_without_feedback=summary.ikis_without_feedback,
        behaviours_without_feedback=summary.behaviours_without_feedback,
        ratings_given=ratings_problem(appraisal) is None,
        locked=appraisal.state in (DRAFT, SELF_ASSESSMENT) and policy.deadline_locked(appraisal),
    )


def next_action_of(
    appraisal: Appraisal, account: Account | None, summary: SkpSummary
) -> NextAction | None:
    """The account's next action on the appraisal, read from the page's summary."""
    state = engine().spec(appraisal.workflow).states[appraisal.state]
    roles = appraisal_roles(account, appraisal)
    turn = next((role for role in state.tasks if role in roles), None)
    if turn is None:
        return None
    if state.joint and turn not in open_roles(appraisal):
        return None  # this party of a joint step has done their part
    return next_action(appraisal.state, turn, roles, facts_of(appraisal, summary))


# Where an emailed step button lands: the page showing what the decision needs, with
# that step's button. Steps not listed open their confirmation page.
DECISION_PAGES = {
    "submit_plan": "skp.plan",
    "approve_plan": "skp.plan",
    "return_plan": "skp.plan",
    "submit_assessment": "skp.realisasi",
    "approve_review": "skp.review",
    "return_review": "skp.review",
    "finalise": "skp.verification",
    "return_verification": "skp.verification",
    "decide_objection": "skp.objection",
}


def decision_url(appraisal_id: int, trigger: str) -> str:
    """The page where the step `trigger` is decided (GET: it changes nothing)."""
    endpoint = DECISION_PAGES.get(trigger)
    if endpoint is None:
        return url_for("appraisals.act", appraisal_id=appraisal_id, trigger=trigger)
    return url_for(endpoint, appraisal_id=appraisal_id)
