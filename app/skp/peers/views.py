"""The peer survey pages: the appraiser asks and reads the aggregate; a colleague answers."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from app.appraisals.queries import get_appraisal
from app.extensions import db
from app.models.peers import PeerSurvey
from app.models.skp import BERAKHLAK, BERAKHLAK_LABELS
from app.models.types import utcnow
from app.skp import bp
from app.skp.pages import page_context
from app.skp.peers import services
from app.skp.peers.forms import PeerAnswerForm, PeerSurveyForm


def _is_appraiser(appraisal) -> bool:
    return appraisal.appraiser_id is not None and appraisal.appraiser_id == current_user.employee_id


@bp.route("/appraisals/<int:appraisal_id>/peer-survey", methods=["GET", "POST"])
@login_required
def peer_survey(appraisal_id: int):
    """Only the appraiser: ask colleagues for anonymous BerAKHLAK feedback, then read it."""
    appraisal = get_appraisal(appraisal_id)
    if not _is_appraiser(appraisal):
        abort(403)
    survey = services.survey_of(appraisal)
    form = PeerSurveyForm()
    if survey is None:
        form.colleagues.choices = [
            SelectChoice(e.id, f"{e.name} ({e.nip})") for e in services.colleagues(appraisal)
        ]
        if form.validate_on_submit():
            try:
                services.start_survey(
                    appraisal, current_user.employee, form.colleagues.data, utcnow()
                )
            except services.SurveyError as error:
                db.session.rollback()
                form.colleagues.errors.append(error.message)
            else:
                db.session.commit()
                flash(_("The colleagues have been asked; their answers are anonymous."), "success")
                return redirect(url_for("skp.peer_survey", appraisal_id=appraisal.id))
    return render_template(
        "skp/peer_survey.html",
        **page_context(appraisal),
        survey=survey,
        result=services.result(survey) if survey else None,
        form=form,
        values=BERAKHLAK,
        value_labels=BERAKHLAK_LABELS,
        minimum=services.MIN_RESPONDENTS,
    ), (422 if form.is_submitted() else 200)  # a POST that lands here was refused


@bp.route("/peer-surveys/<int:survey_id>/answer", methods=["GET", "POST"])
@login_required
def peer_answer(survey_id: int):
    """A colleague's anonymous answer; only while their invite is open (404 otherwise)."""
    invite = services.open_invite(survey_id, current_user.employee_id)
    if invite is None:
        abort(404)
    survey: PeerSurvey = invite.survey
    form = PeerAnswerForm()
    if form.validate_on_submit():
        ratings = {value: int(form[value].data) for value in BERAKHLAK}
        try:
            services.submit_answer(invite, ratings, form.comment.data)
        except services.SurveyError as error:
            db.session.rollback()
            flash(error.message, "warning")
            return redirect(url_for("inbox.index"))
        db.session.commit()
        flash(_("Thank you: your answer has been recorded anonymously."), "success")
        return redirect(url_for("inbox.index"))
    return render_template(
        "skp/peer_answer.html",
        survey=survey,
        employee=survey.appraisal.employee,
        form=form,
        values=BERAKHLAK,
    ), (422 if form.is_submitted() else 200)  # a POST that lands here was refused
