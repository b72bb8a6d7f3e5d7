"""BKD verification: completeness of an appraisal, an OPD's distribution, batch finalisation.

Services flush, never commit. Every finalisation, one or a batch, goes through
the engine's fire(); a batch gives each appraisal its own SAVEPOINT, so one that
is refused (moved meanwhile, say) is reported and the others still go through.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import (
    Account,
    Appraisal,
    Behaviour,
    Employee,
    Evidence,
    Iki,
    Opd,
    Rhk,
)
from app.models.appraisal import latest_segment
from app.models.skp import BERAKHLAK
from app.models.types import utcnow
from app.skp import scoring
from app.skp.assessment.services import blank, missing_realisasi_clause
from app.skp.orgkinerja import services as orgkinerja
from app.skp.review.services import ratings_problem
from app.workflow.engine import fire
from app.workflow.errors import TransitionRefused
from app.workflow.names import FINALISE, VERIFICATION
from app.workflow.roles import per_request


@dataclass
class Completeness:
    """What the verifier checks on one appraisal before finalising it."""

    ikis: int = 0
    without_realisasi: int = 0
    without_evidence: int = 0
    evidence: int = 0
    ikis_without_feedback: int = 0
    behaviours_without_feedback: int = len(BERAKHLAK)
    ratings: str | None = "ratings"  # review.ratings_problem(): None, 'ratings' or 'comment'

    @property
    def problems(self) -> list[str]:
        """Codes of what is missing; the templates word them."""
        found = []
        if not self.ikis:
            found.append("no_iki")
        if self.without_realisasi:
            found.append("realisasi")
        if self.ratings:
            found.append(self.ratings)
        if self.ikis_without_feedback or self.behaviours_without_feedback:
            found.append("feedback")
        return found

    @property
    def complete(self) -> bool:
        return not self.problems


def completeness_of(
    appraisal: Appraisal, rhks: list[Rhk], evidence: Mapping[int, int], behaviours: Mapping
) -> Completeness:
    """The completeness of one appraisal whose rows are loaded already (no query)."""
    ikis = [iki for rhk in rhks for iki in rhk.ikis]
    return Completeness(
        ikis=len(ikis),
        without_realisasi=sum(not iki.has_realisasi for iki in ikis),
        without_evidence=sum(not evidence.get(iki.id) for iki in ikis),
        evidence=sum(evidence.get(iki.id, 0) for iki in ikis),
        ikis_without_feedback=sum(not (iki.feedback or "").strip() for iki in ikis),
        behaviours_without_feedback=sum(
            not (behaviours[v].feedback or "").strip() if v in behaviours else True
            for v in BERAKHLAK
        ),
        ratings=ratings_problem(appraisal),
    )


def completeness_now(appraisal: Appraisal, loaded: tuple | None = None) -> Completeness:
    """The appraisal's completeness, read once per request (the checklist and its guard ask).

    `loaded` is (RHK with IKI, evidence counts, perilaku rows) when the page has read
    them already: then no query is run.
    """
    if loaded is not None:
        compute = lambda: completeness_of(appraisal, *loaded)  # noqa: E731
    else:
        compute = lambda: completeness([appraisal])[appraisal.id]  # noqa: E731
    return per_request(("completeness", appraisal.id, appraisal.version), compute)


def completeness(appraisals: Iterable[Appraisal]) -> dict[int, Completeness]:
    """Appraisal id -> its completeness, in two queries whatever the number of appraisals.

    The same counts as `completeness_of`, taken in SQL for a whole list.
    """
    by_id = {a.id: a for a in appraisals}
    result = {i: Completeness(ratings=ratings_problem(a)) for i, a in by_id.items()}
    if not by_id:
        return result
    evidence = (
        sa.select(Evidence.iki_id, sa.func.count(Evidence.id).label("n"))
        .group_by(Evidence.iki_id)
        .subquery()
    )
    n = sa.func.coalesce(evidence.c.n, 0)
    rows = db.session.execute(
        sa.select(
            Rhk.appraisal_id,
            sa.func.count(Iki.id),
            sa.func.count(Iki.id).filter(missing_realisasi_clause()),
            sa.func.count(Iki.id).filter(n == 0),
            sa.func.coalesce(sa.func.sum(n), 0),
            sa.func.count(Iki.id).filter(blank(Iki.feedback)),
        )
        .join(Iki, Iki.rhk_id == Rhk.id)
        .outerjoin(evidence, evidence.c.iki_id == Iki.id)
        .where(Rhk.appraisal_id.in_(by_id))
        .group_by(Rhk.appraisal_id)
    )
    for appraisal_id, ikis, no_realisasi, no_evidence, total, no_feedback in rows:
        item = result[appraisal_id]
        item.ikis, item.without_realisasi, item.without_evidence = ikis, no_realisasi, no_evidence
        item.evidence, item.ikis_without_feedback = int(total), no_feedback
    given = db.session.execute(
        sa.select(Behaviour.appraisal_id, sa.func.count(Behaviour.id))
        .where(Behaviour.appraisal_id.in_(by_id), ~blank(Behaviour.feedback))
        .group_by(Behaviour.appraisal_id)
    )
    for appraisal_id, count in given:
        result[appraisal_id].behaviours_without_feedback = len(BERAKHLAK) - count
    return result


def opd_counts(opd_id: int, period_id: int) -> dict[str, int]:
    """Employee predikat -> count, over the OPD's appraisals of the period that have one.

    The pola distribusi is about employees: each counts once, by their latest SKP
    segment (an employee who moved mid-period counts where they are now).
    """
    rows = db.session.execute(
        sa.select(Appraisal.predikat, sa.func.count(Appraisal.id))
        .where(
            Appraisal.opd_id == opd_id,
            Appraisal.period_id == period_id,
            Appraisal.predikat.is_not(None),
            latest_segment(),
        )
        .group_by(Appraisal.predikat)
    )
    counts = dict.fromkeys(scoring.PREDIKAT, 0)
    counts.update(dict(rows.all()))
    return counts


def org_predikat(opd_id: int, period_id: int) -> str | None:
    """The OPD's organisation predikat for the period, from its capaian kinerja organisasi."""
    return orgkinerja.org_predikat(opd_id, period_id)


def opd_distribution(
    opd_id: int, period_id: int
) -> tuple[str | None, dict[str, int], scoring.DistributionCheck | None]:
    """The organisation predikat, the counts, and the check (None while no predikat is set)."""
    org, counts = org_predikat(opd_id, period_id), opd_counts(opd_id, period_id)
    return org, counts, (scoring.check_distribution(org, counts) if org else None)


def awaiting_verification(opd_id: int, period_id: int) -> list[Appraisal]:
    """The OPD's appraisals of the period waiting at the verification step, by name."""
    return list(
        db.session.scalars(
            sa.select(Appraisal)
            .join(Employee, Employee.id == Appraisal.employee_id)
            .where(
                Appraisal.opd_id == opd_id,
                Appraisal.period_id == period_id,
                Appraisal.state == VERIFICATION,
            )
            .options(joinedload(Appraisal.employee), joinedload(Appraisal.appraiser))
            .order_by(Employee.name, Appraisal.id)
        )
    )


def opds_awaiting(period_id: int) -> list[tuple[Opd, int]]:
    """OPDs with appraisals of the period at the verification step, and how many."""
    rows = db.session.execute(
        sa.select(Opd, sa.func.count(Appraisal.id))
        .join(Appraisal, Appraisal.opd_id == Opd.id)
        .where(Appraisal.period_id == period_id, Appraisal.state == VERIFICATION)
        .group_by(Opd.id)
        .order_by(Opd.name)
    )
    return [(opd, count) for opd, count in rows]


@dataclass
class BatchResult:
    """Which appraisals a batch moved on, and which were refused with the reason."""

    done: list[Appraisal] = field(default_factory=list)
    refused: list[tuple[Appraisal | None, int, TransitionRefused | None]] = field(
        default_factory=list
    )


def fire_batch(
    opd_id: int,
    period_id: int,
    items: Iterable[tuple[int, int]],
    trigger: str,
    actor: Account,
    comment: str | None = None,
    now: datetime | None = None,
) -> BatchResult:
    """Fire `trigger` on each (appraisal id, version seen) of the OPD and period.

    Each appraisal gets a SAVEPOINT: one that fire() refuses (stale, moved on,
    not the actor's to move) is rolled back alone and reported; an id outside
    the OPD and period is reported with no reason. Flushes only.
    """
    now = now or utcnow()
    wanted = dict(items)
    found = {
        a.id: a
        for a in db.session.scalars(
            sa.select(Appraisal).where(
                Appraisal.id.in_(wanted),
                Appraisal.opd_id == opd_id,
                Appraisal.period_id == period_id,
            )
        )
    }
    result = BatchResult()
    for appraisal_id, seen in wanted.items():
        appraisal = found.get(appraisal_id)
        if appraisal is None:
            result.refused.append((None, appraisal_id, None))
            continue
        try:
            with db.session.begin_nested():
                fire(appraisal, trigger, actor, {"comment": comment}, seen_version=seen, now=now)
        except TransitionRefused as error:
            result.refused.append((appraisal, appraisal_id, error))
        else:
            result.done.append(appraisal)
    return result


def finalise_batch(
    opd_id: int,
    period_id: int,
    items: Iterable[tuple[int, int]],
    actor: Account,
    comment: str | None = None,
    now: datetime | None = None,
) -> BatchResult:
    """Finalise each (appraisal id, version seen) of the OPD and period (fire_batch)."""
    return fire_batch(opd_id, period_id, items, FINALISE, actor, comment, now)
