"""The appraiser rule page (admin BKD): the table in force, one change at a time, the log."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from app.admin import bp, rules
from app.admin.forms import AppraiserRuleForm
from app.extensions import db
from app.policy import permission_required


def _form() -> AppraiserRuleForm:
    form = AppraiserRuleForm()
    form.rule.choices = [
        SelectChoice(row.key, f"{rules.KIND_LABELS[row.kind]} — {rules.LEVEL_LABELS[row.level]}")
        for row in rules.rule_rows()
    ]
    form.penilai.choices = [SelectChoice(k, v) for k, v in rules.PENILAI_LABELS.items()]
    form.atasan_penilai.choices = [SelectChoice(k, v) for k, v in rules.ATASAN_LABELS.items()]
    return form


def _prefill(form: AppraiserRuleForm, rows: list, key: str | None) -> None:
    """Start the change form from the chosen row's rule in force (the first row by default).

    Without this the form showed the first choice of each list, which reads as the
    rule in force when it is not.
    """
    row = next((row for row in rows if row.key == key), rows[0] if rows else None)
    if row is not None:
        form.rule.data = row.key
        form.penilai.data = row.rule.penilai
        form.atasan_penilai.data = row.rule.atasan_penilai


@bp.route("/appraiser-rules", methods=["GET", "POST"])
@permission_required("appraiser_rules.manage")
def appraiser_rules():
    """Show who appraises whom per position kind and level; change one rule, logged."""
    form = _form()
    rows = rules.rule_rows()
    if request.method == "GET":
        _prefill(form, rows, request.args.get("rule"))
    status = 200
    if form.validate_on_submit():
        data = form.data
        try:
            changed = rules.change_rule(
                data["rule"], data["penilai"], data["atasan_penilai"], data["reason"], current_user
            )
        except rules.RuleError as error:
            db.session.rollback()
            form[error.field].errors.append(error.message)
            status = 422
        else:
            db.session.commit()
            flash(
                _("The rule has been changed.") if changed else _("The rule was already so."),
                "success",
            )
            return redirect(url_for("admin.appraiser_rules"))
    elif form.errors:
        status = 422
    return render_template(
        "admin/appraiser_rules.html",
        form=form,
        rows=rows,
        changes=rules.rule_changes(),
        kind_labels=rules.KIND_LABELS,
        level_labels=rules.LEVEL_LABELS,
        penilai_labels=rules.PENILAI_LABELS,
        atasan_labels=rules.ATASAN_LABELS,
    ), status
