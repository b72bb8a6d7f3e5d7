"""Demo appraisals: the current year's annual period, with SKPs at several steps.

Every state change goes through the engine's fire(), like a real user's would,
so the demo's history, tasks and outbox are what the app itself produces.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from app.appraisals.services import NoAppraiser, open_appraisal
from app.extensions import db
from app.models import Account, Appraisal, Employee, Period
from app.workflow.engine import fire

# How far along to move the atasan's team, one appraisal each: (label, steps).
# Each step is (trigger, who) with who in {"appraisee", "appraiser", "verifier"}.
PROGRESS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("plan waiting for approval", (("submit_plan", "appraisee"),)),
    (
        "self-assessment waiting for review",
        (
            ("submit_plan", "appraisee"),
            ("approve_plan", "appraiser"),
            ("submit_assessment", "appraisee"),
        ),
    ),
    (
        "review waiting for BKD",
        (
            ("submit_plan", "appraisee"),
            ("approve_plan", "appraiser"),
            ("submit_assessment", "appraisee"),
            ("approve_review", "appraiser"),
        ),
    ),
)


def annual_period(year: int) -> Period:
    """The annual period of `year`, opened, created if missing."""
    period = db.session.scalars(
        sa.select(Period).where(Period.year == year, Period.kind == "annual")
    ).first()
    if period is None:
        period = Period(
            name=f"SKP Tahunan {year}",
            year=year,
            kind="annual",
            start_date=date(year, 1, 1),
            end_date=date(year, 12, 31),
            plan_deadline=date(year, 1, 31),
            assessment_deadline=date(year + 1, 1, 15),
            status="open",
            workflow="skp_annual",
        )
        db.session.add(period)
        db.session.flush()
    return period


def seed_demo_appraisals(atasan_nip: str, verifier_nip: str, today: date | None = None) -> int:
    """Open an appraisal for every active employee who has an atasan; move a few along.

    Idempotent: employees who already have one are skipped, and only appraisals
    opened by this run are moved. Returns how many were opened.
    """
    period = annual_period((today or date.today()).year)
    have = set(
        db.session.scalars(sa.select(Appraisal.employee_id).where(Appraisal.period_id == period.id))
    )
    opened: list[Appraisal] = []
    for employee in db.session.scalars(
        sa.select(Employee).where(Employee.active.is_(True)).order_by(Employee.id)
    ):
        if employee.id in have:
            continue
        try:
            opened.append(open_appraisal(employee, period))
        except NoAppraiser:
            continue  # the top of the tree is appraised outside SIKAP (by the Wali Kota)

    accounts = {
        a.employee_id: a
        for a in db.session.scalars(
            sa.select(Account)
            .join(Account.employee)
            .where(Employee.nip.in_((atasan_nip, verifier_nip)))
        )
    }
    atasan = next((a for a in accounts.values() if a.employee.nip == atasan_nip), None)
    verifier = next((a for a in accounts.values() if a.employee.nip == verifier_nip), None)
    if atasan is None or verifier is None:
        return len(opened)
    # The atasan's team, except the first member: the demo pegawai keeps a draft.
    team = [a for a in opened if a.appraiser_id == atasan.employee_id][1:]
    for appraisal, (_label, steps) in zip(team, PROGRESS, strict=False):
        appraisee = db.session.scalars(
            sa.select(Account).where(Account.employee_id == appraisal.employee_id)
        ).one()
        actors = {"appraisee": appraisee, "appraiser": atasan, "verifier": verifier}
        for trigger, who in steps:
            fire(appraisal, trigger, actors[who], {})
    return len(opened)
