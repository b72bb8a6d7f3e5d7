"""The rencana pengembangan page of an SKP, its progress, and the yearly JP figures."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.appraisals.queries import get_appraisal
from app.exports.services import to_csv, to_xlsx
from app.extensions import db
from app.files import file_name
from app.followup.development import bp
from app.followup.development.forms import ActionForm, AnswerForm, DoneForm, NeedForm, RemoveForm
from app.followup.development.hours import (
    employee_actions,
    jp_goal,
    needs_by_opd,
    opd_coverage,
    yearly_hours,
)
from app.followup.development.services import (
    ACTION_LABELS,
    COMPETENCY_LABELS,
    STATUS_LABELS,
    PlanStale,
    Progress,
    add_action,
    add_need,
    answer_plan,
    certificate_path,
    content_type_of,
    discard_certificate,
    mark_done,
    plan_action,
    plan_of,
    remove_item,
    review_choices,
)
from app.models.development import COMPETENCY_KINDS
from app.models.skp import BERAKHLAK_LABELS
from app.skp.pages import page_context

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _forms(appraisal, plan, choices, need_form=None, action_form=None):
    need_form = need_form or NeedForm(prefix="need")
    need_form.set_choices(*choices)
    action_form = action_form or ActionForm(
        prefix="action", data={"target_year": appraisal.period.year + 1}
    )
    action_form.set_needs(plan.needs if plan else [])
    return need_form, action_form


def _render(appraisal, *, need_form=None, action_form=None, answer_form=None, status=200):
    """The plan page: editable by the appraiser at review; the pegawai answers and records."""
    plan = plan_of(appraisal)
    editable = policy.can_edit_development(current_user, appraisal)
    choices = review_choices(appraisal) if editable else ([], [])
    need_form, action_form = _forms(appraisal, plan, choices, need_form, action_form)
    may_answer = policy.can_answer_development(current_user, appraisal, plan)
    if answer_form is None and may_answer:
        answer_form = AnswerForm(data={"version": plan.version})
    return render_template(
        "development/plan.html",
        **page_context(appraisal),
        plan=plan,
        editable=editable,
        need_form=need_form,
        action_form=action_form,
        answer_form=answer_form if may_answer else None,
        may_record=policy.can_record_progress(current_user, appraisal),
        remove_form=RemoveForm(),
        done_form=DoneForm,
        iki_texts=dict(choices[1]),
        competency_labels=COMPETENCY_LABELS,
        action_labels=ACTION_LABELS,
        status_labels=STATUS_LABELS,
        berakhlak_labels=BERAKHLAK_LABELS,
    ), status


def _plan_url(appraisal_id: int) -> str:
    return url_for("development.plan", appraisal_id=appraisal_id)


@bp.route("/skp/<int:appraisal_id>/pengembangan")
@login_required
def plan(appraisal_id: int):
    """The SKP's development plan (read-only outside the appraiser's review)."""
    appraisal = get_appraisal(appraisal_id)
    if not policy.can_view_development(current_user, appraisal):
        abort(404)
    return _render(appraisal)


def _editing(appraisal_id: int):
    appraisal = get_appraisal(appraisal_id)
    if not policy.can_edit_development(current_user, appraisal):
        abort(403)
    return appraisal


@bp.route("/skp/<int:appraisal_id>/pengembangan/kebutuhan", methods=["POST"])
@login_required
def add_need_view(appraisal_id: int):
    """Record a competency gap."""
    appraisal = _editing(appraisal_id)
    form = NeedForm(prefix="need")
    form.set_choices(*review_choices(appraisal))
    if not form.validate_on_submit():
        return _render(appraisal, need_form=form, status=422)
    behaviour, iki_id = form.link()
    add_need(
        appraisal,
        current_user,
        competency=form.competency.data,
        description=form.description.data,
        behaviour=behaviour,
        iki_id=iki_id,
    )
    db.session.commit()
    flash(_("The development need has been recorded."), "success")
    return redirect(_plan_url(appraisal_id), 303)


@bp.route("/skp/<int:appraisal_id>/pengembangan/aksi", methods=["POST"])
@login_required
def add_action_view(appraisal_id: int):
    """Propose a development action."""
    appraisal = _editing(appraisal_id)
    form = ActionForm(prefix="action")
    existing = plan_of(appraisal)
    form.set_needs(existing.needs if existing else [])
    if not form.validate_on_submit():
        return _render(appraisal, action_form=form, status=422)
    add_action(
        appraisal,
        current_user,
        kind=form.kind.data,
        title=form.title.data,
        target_year=form.target_year.data,
        target_quarter=int(form.target_quarter.data),
        need_id=int(form.need.data) if form.need.data else None,
    )
    db.session.commit()
    flash(_("The development action has been added."), "success")
    return redirect(_plan_url(appraisal_id), 303)


@bp.route(
    "/skp/<int:appraisal_id>/pengembangan/<any(need, action):kind>/<int:item_id>/hapus",
    methods=["POST"],
)
@login_required
def remove(appraisal_id: int, kind: str, item_id: int):
    """Remove a need or a planned action."""
    appraisal = _editing(appraisal_id)
    if not RemoveForm().validate_on_submit():
        abort(400)
    if not remove_item(appraisal, current_user, kind, item_id):
        # Removed (or done) in the meantime.
        flash(_("That item is no longer in the plan."), "warning")
        return redirect(_plan_url(appraisal_id), 303)
    db.session.commit()
    flash(_("Removed."), "success")
    return redirect(_plan_url(appraisal_id), 303)


@bp.route("/skp/<int:appraisal_id>/pengembangan/jawaban", methods=["POST"])
@login_required
def answer(appraisal_id: int):
    """The pegawai's one answer to the plan."""
    appraisal = get_appraisal(appraisal_id)
    plan_ = plan_of(appraisal)
    if not policy.can_answer_development(current_user, appraisal, plan_):
        if appraisal.employee_id == current_user.employee_id:
            # The other answer came first (or the plan has no action yet): say so.
            flash(
                _("The plan was answered or changed in the meantime; nothing was saved."), "warning"
            )
            return redirect(_plan_url(appraisal_id), 303)
        abort(403)
    form = AnswerForm()
    if not form.validate_on_submit():
        return _render(appraisal, answer_form=form, status=422)
    try:
        answer_plan(
            plan_,
            agree=form.answer.data == "agree",
            comment=form.comment.data,
            seen=form.version.data,
        )
    except PlanStale:
        db.session.rollback()
        flash(_("The plan was answered or changed in the meantime; nothing was saved."), "warning")
        return redirect(_plan_url(appraisal_id), 303)
    db.session.commit()
    flash(_("Your answer has been recorded."), "success")
    return redirect(_plan_url(appraisal_id), 303)


@bp.route("/skp/<int:appraisal_id>/pengembangan/aksi/<int:action_id>/selesai", methods=["POST"])
@login_required
def done(appraisal_id: int, action_id: int):
    """Record an action done: date, JP and a certificate."""
    appraisal = get_appraisal(appraisal_id)
    if not policy.can_record_progress(current_user, appraisal):
        abort(403)
    action = plan_action(appraisal, action_id)
    if action is None:
        flash(_("That item is no longer in the plan."), "warning")
        return redirect(_plan_url(appraisal_id), 303)
    form = DoneForm(prefix=f"done{action.id}")
    if not form.validate_on_submit():
        flash(
            _("The action was not recorded: %(errors)s", errors=" ".join(_errors(form))), "danger"
        )
        return _render(appraisal, status=422)
    progress = Progress(form.done_on.data, form.jp.data, form.checked)
    try:
        stored = mark_done(action, progress, seen=form.version.data)
    except PlanStale:
        db.session.rollback()
        flash(_("The action was changed in the meantime; nothing was saved."), "warning")
        return redirect(_plan_url(appraisal_id), 303)
    try:
        db.session.commit()
    except Exception:
        discard_certificate(stored)
        raise
    flash(_("The action has been recorded as done."), "success")
    return redirect(_plan_url(appraisal_id), 303)


def _errors(form) -> list[str]:
    return [str(message) for messages in form.errors.values() for message in messages]


@bp.route("/skp/<int:appraisal_id>/pengembangan/aksi/<int:action_id>/sertifikat")
@login_required
def certificate(appraisal_id: int, action_id: int):
    """An action's certificate, to those who may see the plan (404 to others)."""
    appraisal = get_appraisal(appraisal_id)
    if not policy.can_view_development(current_user, appraisal):
        abort(404)
    action = plan_action(appraisal, action_id) or abort(404)
    return send_certificate(action.certificate_stored, action.certificate_name)


def send_certificate(stored: str | None, name: str | None) -> Response:
    """A stored certificate as an attachment that cannot run as this site."""
    path = certificate_path(stored) or abort(404)
    response = send_file(
        path,
        mimetype=content_type_of(stored),
        as_attachment=True,
        download_name=name or stored,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _year() -> int:
    return request.args.get("year", type=int) or date.today().year


@bp.route("/pengembangan")
@login_required
def mine():
    """My development: this year's JP against the goal, and my actions (planned first)."""
    year = _year()
    return render_template(
        "development/mine.html",
        year=year,
        hours=yearly_hours(current_user.employee_id, year),
        goal=jp_goal(),
        actions=employee_actions(current_user.employee_id),
        action_labels=ACTION_LABELS,
        status_labels=STATUS_LABELS,
    )


@bp.route("/pengembangan/opd")
@login_required
def coverage():
    """Each OPD's share of active employees who reached the yearly JP goal (kepala OPD, BKD)."""
    opds = policy.development_opds(current_user)
    if opds == []:
        abort(403)
    year, goal = _year(), jp_goal()
    return render_template(
        "development/coverage.html", year=year, goal=goal, rows=opd_coverage(year, goal, opds)
    )


@bp.route("/pengembangan/kebutuhan")
@login_required
def needs():
    """The development needs of the year's SKP per competency kind and OPD (BKD)."""
    if not policy.can_view_city_development(current_user):
        abort(403)
    year = _year()
    return render_template(
        "development/needs.html",
        year=year,
        rows=needs_by_opd(year),
        kinds=COMPETENCY_KINDS,
        competency_labels=COMPETENCY_LABELS,
    )


@bp.route("/pengembangan/kebutuhan.<any(csv, xlsx):fmt>")
@login_required
def needs_export(fmt: str):
    """The same table as a file."""
    if not policy.can_view_city_development(current_user):
        abort(403)
    year = _year()
    header = [_("OPD")] + [str(COMPETENCY_LABELS[k]) for k in COMPETENCY_KINDS] + [_("Total")]
    table = [header] + [
        [opd] + [counts[k] for k in COMPETENCY_KINDS] + [sum(counts.values())]
        for opd, counts in needs_by_opd(year)
    ]
    body = to_csv(table, str(get_locale())) if fmt == "csv" else to_xlsx(table, _("Needs"))
    name = file_name("kebutuhan-pengembangan", str(year))
    return Response(
        body,
        mimetype=MIMETYPES[fmt],
        headers={"Content-Disposition": f"attachment; filename={name}.{fmt}"},
    )
