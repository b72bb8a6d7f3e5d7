"""The supervisor review page: umpan balik, ratings, the predikat, the team's distribution."""

import json

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.appraisals.queries import get_appraisal
from app.extensions import db
from app.models.skp import BERAKHLAK, BERAKHLAK_LABELS
from app.skp import bp, scoring
from app.skp.assessment.skm import report_path
from app.skp.orgkinerja.distribution import panels_json, review_panels
from app.skp.orgkinerja.services import unit_rating_suggestion
from app.skp.pages import page_context, refuse_edit, stale_redirect
from app.skp.periodic import part_labels, quarters_of
from app.skp.review.forms import review_form
from app.skp.review.services import (
    RatingRefused,
    ReviewInput,
    behaviours_by_value,
    evidence_from,
    is_qualitative,
    review_problems,
    rhks_with_ikis,
    save_review,
)
from app.skp.review.skm import team_and_service_units
from app.workflow.engine import available
from app.workflow.errors import StaleState


def _stored(appraisal, rhks, ikis, behaviours, unit_suggested: str | None) -> dict:
    """The form's starting values: what is stored now; a unit's head starts from the
    rating the unit's capaian gives (SE MenPANRB 3/2023)."""
    data = {
        "rating_hk": appraisal.rating_hk or unit_suggested or "",
        "rating_pk": appraisal.rating_pk or "",
        "rating_comment": appraisal.rating_comment,
        "rating_hk_reason": appraisal.rating_hk_reason,
        "version": appraisal.version,
    }
    data.update({f"rhk_{rhk.id}": rhk.rating or "" for rhk in rhks})
    data.update({f"mark_{iki.id}": iki.quality_mark or "" for iki in ikis if is_qualitative(iki)})
    data.update({f"iki_{iki.id}": iki.feedback for iki in ikis})
    data.update({f"pk_{v}": behaviours[v].feedback if v in behaviours else None for v in BERAKHLAK})
    return data


@bp.route("/appraisals/<int:appraisal_id>/review", methods=["GET", "POST"])
@login_required
def review(appraisal_id: int):
    """The appraiser's review; each save reads the predikat from the matrix (no script needed).

    Outside the review step the appraiser still reads it (read-only); nobody else sees it.
    """
    appraisal = get_appraisal(appraisal_id)
    editable = policy.can_review(current_user, appraisal)
    if not editable and not policy.can_view_review(current_user, appraisal):
        abort(403)
    rhks = rhks_with_ikis(appraisal, evidence=True)
    ikis = [iki for rhk in rhks for iki in rhk.ikis]
    behaviours = behaviours_by_value(appraisal)
    quality = [iki.id for iki in ikis if is_qualitative(iki)]
    unit_suggested = unit_rating_suggestion(appraisal)
    form = review_form(
        [iki.id for iki in ikis],
        [(rhk.id, rhk.group_) for rhk in rhks],
        quality,
        unit_suggested=unit_suggested,
        data=_stored(appraisal, rhks, ikis, behaviours, unit_suggested),
    )
    if form.is_submitted() and not editable:
        return refuse_edit(appraisal, own_side=True, endpoint="skp.review")
    if form.validate_on_submit():
        data = ReviewInput(
            rating_hk=form.rating_hk.data,
            rating_pk=form.rating_pk.data,
            rating_comment=form.rating_comment.data,
            iki_feedback=form.iki_feedback(iki.id for iki in ikis),
            behaviour_feedback=form.behaviour_feedback(),
            rhk_ratings=form.rhk_ratings(),
            quality_marks=form.quality_marks(quality),
            rating_hk_reason=form.rating_hk_reason.data,
        )
        try:
            save_review(appraisal, current_user, data, seen_version=form.version.data)
        except StaleState:
            return stale_redirect(appraisal, "appraisals.detail")
        except RatingRefused as refused:
            # Refused before anything was written.
            form.rating_hk_reason.errors = [refused.message]
            return _page(appraisal, form, rhks, ikis, behaviours, editable), 422
        db.session.commit()
        flash(_("The review has been saved."), "success")
        return redirect(url_for("skp.review", appraisal_id=appraisal_id))
    return _page(appraisal, form, rhks, ikis, behaviours, editable), (422 if form.errors else 200)


def _page(appraisal, form, rhks, ikis, behaviours, editable: bool) -> str:
    """The review page with this form (its errors, if any)."""
    chosen = scoring.PREDIKAT_MATRIX.get((form.rating_hk.data, form.rating_pk.data))
    # The team's predikat and the appraisee's units layanan: one statement.
    team, service_units = team_and_service_units(appraisal)
    panels = review_panels(appraisal, team)
    return render_template(
        "skp/review.html",
        **page_context(appraisal),
        form=form,
        readonly=not editable,
        rhks=rhks,
        evidence=evidence_from(rhks),
        # An annual SKP: each IKI's quarters side by side (none for a quarter's own).
        quarters=quarters_of(appraisal),
        quarter_labels=part_labels(4),
        # What the RHK ratings on the form suggest for the hasil kerja (None until all rated).
        suggested=form.suggested_hk(),
        behaviours=behaviours,
        berakhlak=[(v, BERAKHLAK_LABELS[v]) for v in BERAKHLAK],
        # The SKM of the units layanan the appraisee serves in or heads: evidence for
        # "Berorientasi Pelayanan", never a rating.
        service_units=service_units,
        ikm_path=report_path,
        # The ratings on the form (stored, or just posted): shown even if the form was refused.
        predikat=chosen,
        team=team,
        # The pola distribusi of the team and the unit with the chosen predikat (review.js
        # redoes it as the ratings change).
        panels=[(panel, panel.check(chosen)) for panel in panels],
        panels_json=panels_json(panels),
        unit_suggested=form.unit_suggested,
        matrix=json.dumps({f"{hk}|{pk}": p for (hk, pk), p in scoring.PREDIKAT_MATRIX.items()}),
        # The steps from here (approve, return) and, while approving is refused, why.
        actions=available(appraisal, current_user) if editable else [],
        missing=_missing(appraisal, rhks, ikis, behaviours) if editable else [],
    )


def _missing(appraisal, rhks, ikis, behaviours) -> list[str]:
    """What approving the review still needs, from the rows the page has loaded (no query)."""
    given = sum(bool((behaviours[v].feedback or "").strip()) for v in BERAKHLAK if v in behaviours)
    return review_problems(
        appraisal,
        len(ikis),
        sum(not (iki.feedback or "").strip() for iki in ikis),
        len(BERAKHLAK) - given,
        rhks=tuple((rhk.group_, rhk.rating) for rhk in rhks),
        unmarked=sum(is_qualitative(iki) and iki.quality_mark is None for iki in ikis),
        unit_suggested=unit_rating_suggestion(appraisal),
    )
