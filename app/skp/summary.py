"""What the appraisal page shows of the SKP content and the viewer's edits (one query)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

import sqlalchemy as sa

from app.extensions import db
from app.models import Account, Appraisal, Behaviour, DialogNote, Evidence, Iki, Rhk
from app.models.skp import BERAKHLAK
from app.policy import (
    can_edit_plan,
    can_edit_realisasi,
    can_set_expectations,
    can_write_dialog,
)
from app.skp.assessment.services import blank, missing_realisasi_clause
from app.skp.plan.services import plan_problems


@dataclass
class SkpSummary:
    """The plan, ekspektasi, realisasi and dialog in numbers, and what the viewer may edit."""

    utama: int
    tambahan: int
    ikis: int
    with_realisasi: int
    evidence: int
    expectations: int
    notes: int
    last_note_at: datetime | None
    ikis_without_feedback: int
    behaviours_with_feedback: int
    can_edit_plan: bool
    can_set_expectations: bool
    can_edit_realisasi: bool
    can_write_dialog: bool
    plan_problems: list[str] = field(default_factory=list)

    @property
    def behaviours_without_feedback(self) -> int:
        return len(BERAKHLAK) - self.behaviours_with_feedback


@cache
def _counts_query() -> sa.Select:
    """The plan, ekspektasi, realisasi and dialog counts of :appraisal_id; built once.

    One aggregate per table, each starting from the appraisal's own rows: the IKI
    counts are filtered aggregates over the plan's RHK, so the planner reads the
    RHK by their appraisal first. (As separate subqueries, "IKI without feedback"
    was guessed to match one row of the whole table and joined to the RHK in a
    nested loop over every IKI of the city.)
    """
    appraisal_id = sa.bindparam("appraisal_id")
    of_plan = Rhk.appraisal_id == appraisal_id
    count = sa.func.count
    rhks = (
        sa.select(
            count().filter(Rhk.group_ == "utama").label("utama"),
            count().filter(Rhk.group_ == "tambahan").label("tambahan"),
        )
        .where(of_plan)
        .subquery()
    )
    ikis = (
        sa.select(
            count(Iki.id).label("ikis"),
            count(Iki.id).filter(sa.not_(missing_realisasi_clause())).label("with_realisasi"),
            count(Iki.id).filter(blank(Iki.feedback)).label("without_feedback"),
        )
        .select_from(Rhk)
        .join(Iki, Iki.rhk_id == Rhk.id)
        .where(of_plan)
        .subquery()
    )
    evidence = (
        sa.select(count(Evidence.id).label("evidence"))
        .join(Iki, Iki.id == Evidence.iki_id)
        .join(Rhk, Rhk.id == Iki.rhk_id)
        .where(of_plan)
        .subquery()
    )
    behaviours = (
        sa.select(
            count().filter(Behaviour.expectation.is_not(None)).label("expectations"),
            count().filter(sa.not_(blank(Behaviour.feedback))).label("with_feedback"),
        )
        .where(Behaviour.appraisal_id == appraisal_id)
        .subquery()
    )
    notes = (
        sa.select(count().label("notes"), sa.func.max(DialogNote.created_at).label("last"))
        .where(DialogNote.appraisal_id == appraisal_id)
        .subquery()
    )
    return sa.select(
        rhks.c.utama,
        rhks.c.tambahan,
        ikis.c.ikis,
        ikis.c.with_realisasi,
        evidence.c.evidence,
        behaviours.c.expectations,
        notes.c.notes,
        notes.c.last,
        ikis.c.without_feedback,
        behaviours.c.with_feedback,
    ).select_from(
        rhks.join(ikis, sa.true())
        .join(evidence, sa.true())
        .join(behaviours, sa.true())
        .join(notes, sa.true())
    )


def skp_summary(appraisal: Appraisal, account: Account | None) -> SkpSummary:
    """Counts for the appraisal page, and what the viewer may edit now."""
    row = db.session.execute(_counts_query(), {"appraisal_id": appraisal.id}).one()
    editable_plan = can_edit_plan(account, appraisal)
    return SkpSummary(
        *row,
        can_edit_plan=editable_plan,
        can_set_expectations=can_set_expectations(account, appraisal),
        can_edit_realisasi=can_edit_realisasi(account, appraisal),
        can_write_dialog=can_write_dialog(account, appraisal),
        plan_problems=plan_problems(appraisal) if editable_plan else [],
    )
