"""Demo appraisals: the current year's annual period, with SKPs at every step.

Every state change goes through the engine's fire(), like a real user's would,
so the demo's history, tasks, documents and outbox are what the app produces.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from app.appraisals.services import NoAppraiser, open_appraisal
from app.extensions import db
from app.models import Account, Appraisal, Employee, Iki, OrgAchievement, Period, Rhk
from app.seed import content
from app.skp.feedback.services import post_feedback
from app.workflow.engine import fire
from app.workflow.roles import APPRAISEE, APPRAISER

OBJECTION = (
    "Realisasi saya sudah mencapai seluruh target dan bukti dukung sudah diunggah, "
    "sehingga mohon penilaian hasil kerja ditinjau kembali."
)

# Where the demo atasan's team stands: the demo pegawai stays in draft (their own
# task); the others are spread over every later step.
TEAM_STEPS = (
    "plan_review",
    "self_assessment",
    "supervisor_review",
    "verification",
    "final",
    "objection",
)
ORDER = ("draft", *TEAM_STEPS)
# Ratings given along the way, so the verifier sees a real distribution.
DEMO_RATINGS = (("di_atas", "di_atas"), ("sesuai", "sesuai"), ("sesuai", "di_bawah"))


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
            # Generous deadlines, so that the demo's drafts stay editable all year.
            plan_deadline=date(year, 12, 31),
            assessment_deadline=date(year + 1, 1, 31),
            status="open",
            workflow="skp_annual",
        )
        db.session.add(period)
        db.session.flush()
    return period


def _account(employee_id: int) -> Account:
    return db.session.scalars(sa.select(Account).where(Account.employee_id == employee_id)).one()


def advance(appraisal: Appraisal, to: str, verifier: Account, ratings: tuple[str, str]) -> None:
    """Take a draft appraisal to `to` through fire(), filling what each step needs."""
    appraisee, appraiser = _account(appraisal.employee_id), _account(appraisal.appraiser_id)
    target = ORDER.index(to)
    if target >= 1:
        fire(appraisal, "submit_plan", appraisee, {})
    if target >= 2:
        content.set_expectations(appraisal)
        fire(appraisal, "approve_plan", appraiser, {"comment": "Rencana sudah selaras."})
    if target >= 3:
        _feedback_thread(appraisal, appraiser, appraisee)
        content.fill_realisasi(appraisal, Decimal("1.05") if ratings[0] == "di_atas" else 1)
        fire(appraisal, "submit_assessment", appraisee, {})
    if target >= 4:
        content.rate(appraisal, *ratings)
        fire(appraisal, "approve_review", appraiser, {})
    if target >= 5:
        fire(appraisal, "finalise", verifier, {})
    if target >= 6:
        fire(appraisal, "file_objection", appraisee, {"comment": OBJECTION})


# Umpan balik berkelanjutan on the first IKI: the atasan writes, the pegawai answers.
FEEDBACK = (
    "Progres triwulan I sudah sesuai rencana. Pastikan rekap bulanan diunggah sebagai bukti "
    "dukung setiap akhir bulan.",
    "Baik, rekap Januari sampai Maret sudah saya siapkan dan saya unggah minggu ini.",
)


def _feedback_thread(appraisal: Appraisal, appraiser: Account, appraisee: Account) -> None:
    iki = db.session.scalars(
        sa.select(Iki).join(Rhk).where(Rhk.appraisal_id == appraisal.id).order_by(Iki.id)
    ).first()
    if iki is not None:
        post_feedback(appraisal, iki, appraiser, APPRAISER, FEEDBACK[0])
        post_feedback(appraisal, iki, appraisee, APPRAISEE, FEEDBACK[1])


def seed_demo_appraisals(atasan_nip: str, verifier_nip: str, today: date | None = None) -> int:
    """Open an appraisal for every active employee who has an atasan; move some along.

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
    if not opened:
        return 0
    for appraisal in opened:
        content.fill_plan(appraisal)
    content.fill_quarters(opened)
    content.link_to_atasan(
        list(db.session.scalars(sa.select(Appraisal).where(Appraisal.period_id == period.id)))
    )

    atasan = db.session.scalars(
        sa.select(Account).join(Account.employee).where(Employee.nip == atasan_nip)
    ).first()
    verifier = db.session.scalars(
        sa.select(Account).join(Account.employee).where(Employee.nip == verifier_nip)
    ).first()
    if atasan is None or verifier is None:
        return len(opened)
    team = [a for a in opened if a.appraiser_id == atasan.employee_id]
    # The first of the team is the demo pegawai: their plan waits for them in draft.
    # The rest of the team takes the later steps in order (so the atasan has work),
    # then colleagues elsewhere in the OPD take what is left, and a batch more
    # waits for BKD verification.
    skip = {atasan.employee_id, *(a.employee_id for a in team[:1])}
    others = [
        a
        for a in opened
        if a.opd_id == atasan.employee.position.opd_id
        and a not in team
        and a.employee_id not in skip
    ]
    # The OPD's capaian kinerja organisasi (Baik by the default table), so that the
    # verifier sees the pola distribusi.
    db.session.add(
        OrgAchievement(
            opd_id=atasan.employee.position.opd_id,
            period_id=period.id,
            capaian=Decimal("95.00"),
            reason="Data demo: capaian Perjanjian Kinerja OPD.",
        )
    )
    steps = list(TEAM_STEPS)
    batch = 0
    for i, appraisal in enumerate(team[1:] + others):
        if steps:
            advance(appraisal, steps.pop(0), verifier, DEMO_RATINGS[i % len(DEMO_RATINGS)])
        elif batch < 6:
            advance(appraisal, "verification", verifier, DEMO_RATINGS[i % len(DEMO_RATINGS)])
            batch += 1
    return len(opened)
