"""The appraiser rule page (admin BKD): the table in force, one change at a time, the log."""

from flask import flash, redirect, render_template, url_for
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


@bp.route("/appraiser-rules", methods=["GET", "POST"])
@permission_required("appraiser_rules.manage")
def appraiser_rules():
    """Show who appraises whom per position kind and level; change one rule, logged."""
    form = _form()
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
        rows=rules.rule_rows(),
        changes=rules.rule_changes(),
        kind_labels=rules.KIND_LABELS,
        level_labels=rules.LEVEL_LABELS,
        penilai_labels=rules.PENILAI_LABELS,
        atasan_labels=rules.ATASAN_LABELS,
    ), status
