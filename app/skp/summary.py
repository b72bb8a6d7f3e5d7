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
from app.skp.assessment.services import missing_realisasi_clause
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


def blank(column) -> sa.ColumnElement[bool]:
    """SQL for a text column that is empty or only spaces."""
    return sa.func.coalesce(sa.func.trim(column), "") == ""


@cache
def _counts_query() -> sa.Select:
    """The plan, ekspektasi, realisasi and dialog counts of :appraisal_id; built once.

    Ten subqueries: building the statement cost more than running it.
    """
    appraisal_id = sa.bindparam("appraisal_id")
    of_plan = Rhk.appraisal_id == appraisal_id
    ikis = sa.select(Iki.id).join(Rhk, Rhk.id == Iki.rhk_id).where(of_plan)
    count = sa.func.count
    return sa.select(
        sa.select(count()).where(of_plan, Rhk.group_ == "utama").scalar_subquery(),
        sa.select(count()).where(of_plan, Rhk.group_ == "tambahan").scalar_subquery(),
        sa.select(count(Iki.id)).join(Rhk, Rhk.id == Iki.rhk_id).where(of_plan).scalar_subquery(),
        sa.select(count(Iki.id))
        .join(Rhk, Rhk.id == Iki.rhk_id)
        .where(of_plan, sa.not_(missing_realisasi_clause()))
        .scalar_subquery(),
        sa.select(count()).where(Evidence.iki_id.in_(ikis)).scalar_subquery(),
        sa.select(count())
        .where(Behaviour.appraisal_id == appraisal_id, Behaviour.expectation.is_not(None))
        .scalar_subquery(),
        sa.select(count()).where(DialogNote.appraisal_id == appraisal_id).scalar_subquery(),
        sa.select(sa.func.max(DialogNote.created_at))
        .where(DialogNote.appraisal_id == appraisal_id)
        .scalar_subquery(),
        sa.select(count(Iki.id))
        .join(Rhk, Rhk.id == Iki.rhk_id)
        .where(of_plan, blank(Iki.feedback))
        .scalar_subquery(),
        sa.select(count())
        .where(Behaviour.appraisal_id == appraisal_id, sa.not_(blank(Behaviour.feedback)))
        .scalar_subquery(),
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
