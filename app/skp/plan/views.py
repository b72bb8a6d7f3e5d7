"""The plan editor (appraisee, while drafting) and copying the last period's plan."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.appraisals.queries import get_appraisal
from app.extensions import db
from app.feedback.evidence import unit_choices
from app.models import Appraisal
from app.policy import can_edit_plan, can_set_expectations
from app.pustaka.rows import FUNCTION_LABELS
from app.skp import bp
from app.skp.pages import is_appraisee, page_context, refuse_edit, stale_redirect
from app.skp.periodic import part_labels
from app.skp.plan.forms import (
    ACCUMULATION_LABELS,
    ASPECT_LABELS,
    GROUP_LABELS,
    PERSPECTIVE_LABELS,
    CopyPlanForm,
    OpRefused,
    PlanForm,
    apply_op,
    parse_op,
    rows_from_plan,
)
from app.skp.plan.library import add_from_library, approved_entry, library_panel
from app.skp.plan.services import (
    NothingToCopy,
    PlanNotEmpty,
    atasan_rhk_options,
    copy_last_plan,
    is_jpt,
    last_plan_source,
    plan_problems,
    plan_rows,
    remember_saved_rows,
    save_plan,
)
from app.workflow.engine import available
from app.workflow.errors import StaleState
from app.workflow.names import SUBMIT_PLAN
from app.workflow.web import fire_and_answer


def _parts(appraisal: Appraisal) -> int:
    """How many periodic targets each IKI of this plan sets: an annual plan's only."""
    return appraisal.period.parts if appraisal.period.kind == "annual" else 0


def _plan_form(appraisal: Appraisal, options, *, rows, version, approach) -> PlanForm:
    form = PlanForm(formdata=None, data={"version": version, "approach": approach, "rhks": rows})
    return _configure(form, appraisal, options)


def _configure(form: PlanForm, appraisal: Appraisal, options) -> PlanForm:
    return form.configure(
        jpt=is_jpt(appraisal),
        atasan_options=options,
        parts=_parts(appraisal),
        service_units=unit_choices(appraisal.opd_id),
    )


def _render_plan(
    appraisal: Appraisal, form: PlanForm | None, options, rows=None, status: int = 200
):
    editable = form is not None
    rows = plan_rows(appraisal.id, evidence=False, parts=True) if rows is None else rows
    valid = {r.id for r in options}
    return render_template(
        "skp/plan.html",
        **page_context(appraisal),
        form=form,
        rows=rows,
        jpt=is_jpt(appraisal),
        atasan_options={r.id: r for r in options},
        # RHK id -> the tim kerja whose shared result it is.
        shared={r.id: r.tim_kerja for r in rows if r.tim_kerja is not None},
        problems=plan_problems(appraisal, rows, valid) if editable else [],
        copy_form=CopyPlanForm(formdata=None, data={"version": appraisal.version}),
        copy_source=last_plan_source(appraisal) if editable else None,
        group_labels=GROUP_LABELS,
        part_labels=part_labels(_parts(appraisal)),
        accumulation_labels=ACCUMULATION_LABELS,
        aspect_labels=ASPECT_LABELS,
        perspective_labels=PERSPECTIVE_LABELS,
        actions=available(appraisal, current_user),
        can_set_expectations=can_set_expectations(current_user, appraisal),
        library=library_panel(
            appraisal, request.args.get("pustaka_q"), request.args.get("pustaka_fungsi")
        )
        if editable
        else None,
        function_labels=FUNCTION_LABELS,
    ), status


@bp.route("/appraisals/<int:appraisal_id>/plan", methods=["GET", "POST"])
@login_required
def plan(appraisal_id: int):
    """The plan: an editor for the appraisee while drafting, read-only for everyone else."""
    appraisal = get_appraisal(appraisal_id)
    editable = can_edit_plan(current_user, appraisal)
    options = [] if is_jpt(appraisal) else atasan_rhk_options(appraisal)
    if request.method == "GET":
        form, rows = None, plan_rows(appraisal.id, evidence=False, parts=True)
        if not is_jpt(appraisal):
            # The submit guard (the page's actions) reads the same saved rows.
            remember_saved_rows(appraisal, rows, {r.id for r in options})
        if editable:
            form = _plan_form(
                appraisal,
                options,
                rows=rows_from_plan(rows, {r.id for r in options}),
                version=appraisal.version,
                approach=appraisal.approach,
            )
        return _render_plan(appraisal, form, options, rows)

    if not editable:
        return refuse_edit(appraisal, own_side=is_appraisee(appraisal), endpoint="skp.plan")
    form = _configure(PlanForm(), appraisal, options)
    op = parse_op(request.form.get("op"))
    if op is None:
        abort(400)
    if op.name not in ("save", "submit"):
        # Rearranging writes nothing: show what was typed, in its new order.
        try:
            rows = _rearranged(form.rows(), op)
        except OpRefused:
            flash(_("That change cannot be made to the plan."), "warning")
            rows = form.rows()
        form = _plan_form(
            appraisal, options, rows=rows, version=form.version.data, approach=form.approach.data
        )
        return _render_plan(appraisal, form, options)
    if form.validate():
        try:
            save_plan(
                appraisal,
                current_user,
                form.approach.data,
                form.plan_input(),
                seen_version=form.version.data,
            )
        except StaleState:
            return stale_redirect(appraisal, "skp.plan")
        if op.name == "submit":
            return _submit_saved(appraisal, form.version.data)
        db.session.commit()
        flash(_("The plan has been saved."), "success")
        return redirect(url_for("skp.plan", appraisal_id=appraisal.id), 303)
    if op.name == "submit":
        flash(_("The plan was neither saved nor submitted: correct the marked fields."), "danger")
        return _render_plan(appraisal, form, options, status=422)
    flash(_("The plan was not saved: please correct the marked fields."), "danger")
    return _render_plan(appraisal, form, options, status=422)


def _rearranged(rows: list[dict], op) -> list[dict]:
    """The typed rows after an editor button; a Pustaka IKI entry is looked up first."""
    if op.name != "pustaka":
        return apply_op(rows, op)
    entry = approved_entry(op.rhk)
    if entry is None:
        raise OpRefused
    flash(_("The IKI from the Pustaka IKI has been added below. Adapt it, then save."), "info")
    return add_from_library(rows, entry)


def _submit_saved(appraisal: Appraisal, version: int):
    """Submit the plan just saved (flushed), in the same transaction as the save.

    What is on screen is what gets submitted. If the plan cannot be submitted
    yet (a guard says what is missing), the save is kept and the page says so.
    """
    here = url_for("skp.plan", appraisal_id=appraisal.id)
    if not any(t.trigger == SUBMIT_PLAN for t in available(appraisal, current_user)):
        db.session.commit()
        flash(_("The plan has been saved but not submitted: see what is missing."), "warning")
        return redirect(here, 303)
    done = url_for("appraisals.detail", appraisal_id=appraisal.id)
    answer = fire_and_answer(
        appraisal, SUBMIT_PLAN, current_user, {}, seen_version=version, done_url=done, back_url=here
    )
    return answer or redirect(here, 303)


@bp.route("/appraisals/<int:appraisal_id>/plan/copy", methods=["POST"])
@login_required
def copy_plan(appraisal_id: int):
    """Start from the appraisee's last plan; over a plan with rows only when confirmed."""
    appraisal = get_appraisal(appraisal_id)
    if not can_edit_plan(current_user, appraisal):
        return refuse_edit(appraisal, own_side=is_appraisee(appraisal), endpoint="skp.plan")
    form = CopyPlanForm()
    if not form.validate():
        abort(400)
    try:
        source = copy_last_plan(
            appraisal, current_user, seen_version=form.version.data, replace=form.replace.data
        )
    except NothingToCopy:
        flash(_("There is no earlier plan to copy."), "warning")
    except PlanNotEmpty:
        flash(
            _("Your plan already has rows. Tick “Replace my current plan” to copy over them."),
            "warning",
        )
    except StaleState:
        return stale_redirect(appraisal, "skp.plan")
    else:
        db.session.commit()
        flash(
            _("The plan of %(period)s was copied. Check it, then save.", period=source.period.name),
            "success",
        )
    return redirect(url_for("skp.plan", appraisal_id=appraisal.id), 303)
