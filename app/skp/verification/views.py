"""BKD verification pages and batch finalisation."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.appraisals.queries import get_appraisal
from app.extensions import db
from app.models import Opd, Period
from app.models.skp import BERAKHLAK, BERAKHLAK_LABELS
from app.periods.services import all_periods, working_period
from app.skp import bp
from app.skp.pages import page_context
from app.skp.review.services import behaviours_by_value, evidence_counts, rhks_with_ikis
from app.skp.verification import services as verification
from app.skp.verification.forms import BatchFinaliseForm
from app.workflow.engine import available
from app.workflow.errors import StaleState
from app.workflow.web import moved_on_message


def _period(period_id: int | None, periods: list[Period]) -> Period | None:
    """The period asked for, else the one people work in; 404 for an unknown id."""
    if period_id is not None:
        return next((p for p in periods if p.id == period_id), None) or abort(404)
    return working_period(periods)


@bp.route("/verification")
@policy.permission_required("verification.view")
def verification_index():
    """OPDs with appraisals waiting for verification in a period."""
    periods = all_periods()
    period = _period(request.args.get("period", type=int), periods)
    return render_template(
        "skp/verification_index.html",
        period=period,
        periods=periods,
        opds=verification.opds_awaiting(period.id) if period else [],
    )


@bp.route("/verification/<int:period_id>/opd/<int:opd_id>")
@policy.permission_required("verification.view")
def verification_opd(period_id: int, opd_id: int):
    """An OPD's distribution against its pola distribusi, and its appraisals to finalise."""
    period = db.session.get(Period, period_id) or abort(404)
    opd = db.session.get(Opd, opd_id) or abort(404)
    return _opd_page(period, opd, BatchFinaliseForm())


def _opd_page(period: Period, opd: Opd, form: BatchFinaliseForm):
    org, counts, check = verification.opd_distribution(opd.id, period.id)
    waiting = verification.awaiting_verification(opd.id, period.id)
    return render_template(
        "skp/verification_opd.html",
        period=period,
        opd=opd,
        org=org,
        counts=counts,
        check=check,
        waiting=waiting,
        complete=verification.completeness(waiting),
        form=form,
        may_finalise=policy.can(current_user, "verification.finalise"),
    ), (422 if form.errors else 200)


@bp.route("/verification/<int:period_id>/opd/<int:opd_id>/finalise", methods=["POST"])
@policy.permission_required("verification.finalise")
def verification_finalise(period_id: int, opd_id: int):
    """Finalise the ticked appraisals, each through the engine; report each refusal."""
    period = db.session.get(Period, period_id) or abort(404)
    opd = db.session.get(Opd, opd_id) or abort(404)
    form = BatchFinaliseForm()
    if not form.validate_on_submit():
        return _opd_page(period, opd, form)
    result = verification.finalise_batch(
        opd.id, period.id, form.items(), current_user, form.comment.data
    )
    db.session.commit()
    if result.done:
        names = ", ".join(a.employee.name for a in result.done)
        flash(_("Finalised: %(names)s.", names=names), "success")
    for appraisal, appraisal_id, error in result.refused:
        flash(_refusal(appraisal, appraisal_id, error), "warning")
    return redirect(url_for("skp.verification_opd", period_id=period.id, opd_id=opd.id))


def _refusal(appraisal, appraisal_id: int, error) -> str:
    if appraisal is None:
        return _("SKP #%(id)d is not in this OPD and period; it was skipped.", id=appraisal_id)
    name = appraisal.employee.name
    if isinstance(error, StaleState):
        return " ".join(
            (
                _("The SKP of %(name)s was not finalised.", name=name),
                moved_on_message(appraisal, error.event),
            )
        )
    return _(
        "The SKP of %(name)s was not finalised: %(reason)s",
        name=name,
        reason=error.message or _("it cannot be finalised now."),
    )


@bp.route("/appraisals/<int:appraisal_id>/verification", endpoint="verification")
@login_required
def checklist(appraisal_id: int):
    """The verifier's checklist for one appraisal (the OPD's distribution is on the OPD page)."""
    appraisal = get_appraisal(appraisal_id)
    if not policy.can_verify(current_user, appraisal):
        abort(403)
    rhks, evidence = rhks_with_ikis(appraisal), evidence_counts(appraisal)
    behaviours = behaviours_by_value(appraisal)
    return render_template(
        "skp/verification.html",
        **page_context(appraisal),
        rhks=rhks,
        evidence=evidence,
        berakhlak=[(BERAKHLAK_LABELS[v], behaviours.get(v)) for v in BERAKHLAK],
        # Read as the finalise guard reads it, once for both (see completeness_now).
        summary=verification.completeness_now(appraisal, (rhks, evidence, behaviours)),
        actions=available(appraisal, current_user),
    )
