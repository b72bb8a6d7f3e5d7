"""Supervisor review: umpan balik per IKI and per BerAKHLAK value, the two ratings, the predikat.

Services flush, never commit. The predikat is always read from the matrix in
app/skp/scoring.py, here on every save and again when the document is recorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Account, Appraisal, Behaviour, Evidence, Iki, Rhk
from app.models.skp import BERAKHLAK
from app.models.types import utcnow
from app.skp import scoring
from app.skp.assessment.services import blank
from app.skp.capaian import suggest_rating_hk
from app.skp.orgkinerja.services import unit_rating_suggestion
from app.skp.plan.services import PLAN_ORDER
from app.workflow.locking import hold_version


@dataclass
class ReviewInput:
    """What the appraiser wrote on the review page; blank texts are stored as None."""

    rating_hk: str | None
    rating_pk: str | None
    rating_comment: str | None
    iki_feedback: Mapping[int, str | None] = field(default_factory=dict)
    behaviour_feedback: Mapping[str, str | None] = field(default_factory=dict)
    # The rating of each RHK and the mark of each qualitative IKI, by id.
    rhk_ratings: Mapping[int, str | None] = field(default_factory=dict)
    quality_marks: Mapping[int, str | None] = field(default_factory=dict)
    # Why the hasil kerja rating is not the one suggested by the RHK ratings.
    rating_hk_reason: str | None = None


class RatingRefused(ValueError):
    """A hasil kerja rating other than the suggested one, without a written reason.

    `from_unit`: the suggestion is the unit's capaian kinerja organisasi (the
    appraisee heads the unit), not the RHK ratings.
    """

    def __init__(self, suggested: str, from_unit: bool = False):
        super().__init__(suggested)
        self.suggested = suggested
        self.from_unit = from_unit

    @property
    def message(self) -> str:
        return refusal_message(self.suggested, self.from_unit)


def refusal_message(suggested: str, from_unit: bool = False) -> str:
    """Why another hasil kerja rating than the suggested one needs a written reason."""
    if from_unit:
        return str(
            _l(
                "From the capaian kinerja organisasi of the unit this pegawai heads, SIKAP "
                "suggests “%(suggested)s”; to choose another hasil kerja rating, write the reason.",
                suggested=scoring.RATING_LABELS[suggested],
            )
        )
    return str(
        _l(
            "From the RHK ratings SIKAP suggests “%(suggested)s”; to choose another "
            "hasil kerja rating, write the reason.",
            suggested=scoring.RATING_LABELS[suggested],
        )
    )


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None


def rhks_with_ikis(
    appraisal: Appraisal, *, parts: bool = False, evidence: bool = False
) -> list[Rhk]:
    """The appraisal's RHK in plan order (UTAMA first), each with its IKI loaded.

    One statement (the IKI joined to their RHK, and with `evidence` their bukti
    dukung too: see evidence_from); `parts` loads the IKI's periodic targets and
    rencana aksi too (one more).
    """
    ikis = joinedload(Rhk.ikis)
    if evidence:
        ikis = ikis.joinedload(Iki.evidence)
    return list(
        db.session.scalars(
            sa.select(Rhk)
            .where(Rhk.appraisal_id == appraisal.id)
            .options(ikis.selectinload(Iki.parts) if parts else ikis)
            .order_by(*PLAN_ORDER)
        ).unique()
    )


def evidence_counts(appraisal: Appraisal) -> dict[int, int]:
    """IKI id -> how many bukti dukung it has."""
    rows = db.session.execute(
        sa.select(Evidence.iki_id, sa.func.count(Evidence.id))
        .join(Iki, Iki.id == Evidence.iki_id)
        .join(Rhk, Rhk.id == Iki.rhk_id)
        .where(Rhk.appraisal_id == appraisal.id)
        .group_by(Evidence.iki_id)
    )
    return dict(rows.all())


def evidence_from(rhks: list[Rhk]) -> dict[int, list[Evidence]]:
    """IKI id -> its bukti dukung, from RHK read with rhks_with_ikis(evidence=True)."""
    return {iki.id: list(iki.evidence) for rhk in rhks for iki in rhk.ikis if iki.evidence}


def evidence_of(appraisal: Appraisal) -> dict[int, list[Evidence]]:
    """IKI id -> its bukti dukung rows, in upload order (one query)."""
    rows = db.session.scalars(
        sa.select(Evidence)
        .join(Iki, Iki.id == Evidence.iki_id)
        .join(Rhk, Rhk.id == Iki.rhk_id)
        .where(Rhk.appraisal_id == appraisal.id)
        .order_by(Evidence.id)
    )
    found: dict[int, list[Evidence]] = {}
    for row in rows:
        found.setdefault(row.iki_id, []).append(row)
    return found


def behaviours_by_value(appraisal: Appraisal) -> dict[str, Behaviour]:
    """The appraisal's perilaku rows by BerAKHLAK value (some may not exist yet)."""
    rows = db.session.scalars(sa.select(Behaviour).where(Behaviour.appraisal_id == appraisal.id))
    return {row.value: row for row in rows}


def ensure_behaviours(appraisal: Appraisal) -> dict[str, Behaviour]:
    """All seven perilaku rows of the appraisal, creating those that are missing."""
    rows = behaviours_by_value(appraisal)
    for value in BERAKHLAK:
        if value not in rows:
            rows[value] = Behaviour(appraisal_id=appraisal.id, value=value)
            db.session.add(rows[value])
    return rows


def save_review(
    appraisal: Appraisal,
    actor: Account,
    data: ReviewInput,
    *,
    seen_version: int,
    now: datetime | None = None,
) -> None:
    """Store the appraiser's umpan balik and ratings, and the predikat they give.

    The caller has checked `policy.can_review`; a form rendered before the
    appraisal last moved is refused (StaleState) with nothing written. Feedback
    for an IKI of another appraisal is ignored. Ratings must be valid or None.
    The hasil kerja rating suggested by the RHK ratings is recorded; another
    rating without a reason is refused (RatingRefused) with nothing written.
    """
    now = now or utcnow()
    rhks = rhks_with_ikis(appraisal)
    hk, pk = data.rating_hk or None, data.rating_pk or None
    reason = _text(data.rating_hk_reason)
    # A unit's head gets the unit's result (SE MenPANRB 3/2023); others their RHK's.
    from_unit = unit_rating_suggestion(appraisal)
    suggested = from_unit or suggest_rating_hk(
        (rhk.group_, data.rhk_ratings.get(rhk.id, rhk.rating) or None) for rhk in rhks
    )
    if suggested and hk and hk != suggested and not reason:
        raise RatingRefused(suggested, bool(from_unit))
    hold_version(appraisal, seen_version, now)
    appraisal.rating_hk, appraisal.rating_pk = hk, pk
    appraisal.rating_comment = _text(data.rating_comment)
    appraisal.rating_hk_suggested = suggested
    # Stored as typed; pages show it only while the rating departs from the suggestion.
    appraisal.rating_hk_reason = reason
    if hk or pk:
        appraisal.rated_by_id = actor.employee_id
    appraisal.predikat = scoring.predikat_or_none(hk, pk)
    for rhk in rhks:
        if rhk.id in data.rhk_ratings:
            rhk.rating = data.rhk_ratings[rhk.id] or None
        for iki in rhk.ikis:
            if iki.id in data.iki_feedback:
                iki.feedback = _text(data.iki_feedback[iki.id])
            if iki.id in data.quality_marks:
                iki.quality_mark = data.quality_marks[iki.id] or None
    rows = ensure_behaviours(appraisal)
    for value, text in data.behaviour_feedback.items():
        if value in rows:
            rows[value].feedback = _text(text)
    db.session.flush()


def ratings_problem(appraisal: Appraisal) -> str | None:
    """Which part of the ratings is missing, as a code: None when they are complete.

    'ratings' (one or both not chosen) or 'comment' (a Di Bawah rating without comment).
    """
    if not appraisal.rating_hk or not appraisal.rating_pk:
        return "ratings"
    if "di_bawah" in (appraisal.rating_hk, appraisal.rating_pk) and not _text(
        appraisal.rating_comment
    ):
        return "comment"
    return None


def review_problems(
    appraisal: Appraisal,
    ikis: int,
    ikis_without_feedback: int,
    behaviours_without_feedback: int,
    *,
    rhks: tuple[tuple[str, str | None], ...] = (),
    unmarked: int = 0,
    unit_suggested: str | None = None,
) -> list[str]:
    """What the review still lacks before it can be approved, in words; empty when complete.

    `rhks` are the (group, rating) of every RHK; `unmarked` counts the qualitative
    IKI the atasan has not marked yet; `unit_suggested` is the rating a unit's head
    gets from the unit's capaian (it replaces the RHK's suggestion).
    """
    found = []
    unrated = sum(rating is None for _, rating in rhks)
    if unrated:
        found.append(
            str(
                _l(
                    "Rate each RHK: %(count)d of %(total)d are not rated yet.",
                    count=unrated,
                    total=len(rhks),
                )
            )
        )
    if unmarked:
        found.append(str(_l("Mark the capaian of %(count)d qualitative IKI.", count=unmarked)))
    suggested = unit_suggested or suggest_rating_hk(rhks)
    if (
        suggested
        and appraisal.rating_hk
        and appraisal.rating_hk != suggested
        and not _text(appraisal.rating_hk_reason)
    ):
        found.append(refusal_message(suggested, bool(unit_suggested)))
    if ikis_without_feedback:
        found.append(
            str(
                _l(
                    "Umpan balik is missing for %(count)d of %(total)d IKI.",
                    count=ikis_without_feedback,
                    total=ikis,
                )
            )
        )
    if behaviours_without_feedback:
        found.append(
            str(
                _l(
                    "Umpan balik is missing for %(count)d of %(total)d perilaku kerja values.",
                    count=behaviours_without_feedback,
                    total=len(BERAKHLAK),
                )
            )
        )
    problem = ratings_problem(appraisal)
    if problem == "ratings":
        found.append(str(_l("Choose both ratings, hasil kerja and perilaku kerja, first.")))
    elif problem == "comment":
        found.append(str(_l("A Di Bawah Ekspektasi rating needs a comment.")))
    return found


def review_gaps(appraisal: Appraisal) -> list[str]:
    """`review_problems` with the umpan balik and RHK ratings counted in SQL (one query)."""
    row = db.session.execute(_gaps_query(), {"id": appraisal.id}).one()
    ikis, without, given, unmarked, unrated, above, on, utama_below, tambahan_below = row
    # The RHK as (group, rating) pairs again: the suggestion needs only these counts.
    rhks = (
        (("utama", None),) * unrated
        + (("utama", "di_atas"),) * above
        + (("utama", "sesuai"),) * on
        + (("utama", "di_bawah"),) * utama_below
        + (("tambahan", "di_bawah"),) * tambahan_below
    )
    return review_problems(
        appraisal,
        ikis,
        without,
        len(BERAKHLAK) - given,
        rhks=rhks,
        unmarked=unmarked,
        unit_suggested=unit_rating_suggestion(appraisal),
    )


@cache
def _gaps_query() -> sa.Select:
    """The counts `review_gaps` needs, of appraisal :id, in one statement built once.

    The appraisal page asks on every view (its actions' guard). One filtered
    aggregate per table, each from the appraisal's own rows (as separate
    subqueries, "IKI without umpan balik" was planned as a nested loop over
    every IKI of the city).
    """
    of_plan = Rhk.appraisal_id == sa.bindparam("id")
    count = sa.func.count
    ikis = (
        sa.select(
            count(Iki.id).label("ikis"),
            count(Iki.id).filter(blank(Iki.feedback)).label("without"),
            count(Iki.id).filter(_qualitative(), Iki.quality_mark.is_(None)).label("unmarked"),
        )
        .select_from(Rhk)
        .join(Iki, Iki.rhk_id == Rhk.id)
        .where(of_plan)
        .subquery()
    )
    rhks = (
        sa.select(
            count(Rhk.id).filter(Rhk.rating.is_(None)).label("unrated"),
            count(Rhk.id).filter(Rhk.rating == "di_atas").label("above"),
            count(Rhk.id).filter(Rhk.rating == "sesuai").label("on"),
            count(Rhk.id)
            .filter(Rhk.rating == "di_bawah", Rhk.group_ == "utama")
            .label("utama_below"),
            count(Rhk.id)
            .filter(Rhk.rating == "di_bawah", Rhk.group_ == "tambahan")
            .label("tambahan_below"),
        )
        .where(of_plan)
        .subquery()
    )
    given = (
        sa.select(count(Behaviour.id).label("given"))
        .where(Behaviour.appraisal_id == sa.bindparam("id"), ~blank(Behaviour.feedback))
        .subquery()
    )
    return sa.select(
        ikis.c.ikis,
        ikis.c.without,
        given.c.given,
        ikis.c.unmarked,
        rhks.c.unrated,
        rhks.c.above,
        rhks.c.on,
        rhks.c.utama_below,
        rhks.c.tambahan_below,
    ).select_from(ikis.join(rhks, sa.true()).join(given, sa.true()))


def _qualitative() -> sa.ColumnElement[bool]:
    """SQL for an IKI whose capaian is the atasan's mark (app.skp.capaian.iki_capaian)."""
    return sa.or_(Iki.direction == "quality", Iki.target_kind != "number")


def is_qualitative(iki: Iki) -> bool:
    return iki.direction == "quality" or iki.target_kind != "number"
