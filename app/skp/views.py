"""The SKP content pages (blueprint `skp`): plan, ekspektasi, realisasi and evidence, dialog.

Views are thin: load (which 404s for those who may not see the appraisal),
authorise with app.policy, validate, call one service, commit, redirect. An
edit from a form rendered before the appraisal moved on is refused with a
message, never written into the later step.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.models import Appraisal
from app.periods.deadlines import lock_message
from app.policy import deadline_locked
from app.skp.editing import format_number
from app.workflow.engine import engine

bp = Blueprint("skp", __name__)


def page_context(appraisal: Appraisal) -> dict:
    """What every SKP page needs for the shared header (templates/appraisals/_header.html)."""
    spec = engine().spec(appraisal.workflow)
    return {
        "appraisal": appraisal,
        "spec": spec,
        "state": spec.states[appraisal.state],
        "locale": str(get_locale()),
        # Only the appraisee is told that their step's deadline has locked their entries.
        "deadline_lock": lock_message(appraisal)
        if appraisal.employee_id == current_user.employee_id and deadline_locked(appraisal)
        else None,
    }


def stale_redirect(appraisal: Appraisal, endpoint: str):
    """Tell the user the SKP moved on since the form was shown; nothing was saved."""
    db.session.rollback()
    db.session.refresh(appraisal)
    step = engine().spec(appraisal.workflow).states[appraisal.state].label[str(get_locale())]
    flash(
        _(
            "This SKP has changed since you opened the form; it is now at “%(step)s”. "
            "Nothing was saved.",
            step=step,
        ),
        "warning",
    )
    return redirect(url_for(endpoint, appraisal_id=appraisal.id), 303)


def refuse_edit(appraisal: Appraisal, *, own_side: bool, endpoint: str):
    """The edit is not allowed now: stale for the side that edits at another step, else 403.

    The appraisee posting a plan form after submitting it is not an intruder:
    their form is out of date, and they are told so.
    """
    posted = request.form.get("version", type=int)
    if own_side and posted is not None and posted != appraisal.version:
        return stale_redirect(appraisal, endpoint)
    abort(403)


def is_appraisee(appraisal: Appraisal) -> bool:
    return current_user.is_authenticated and appraisal.employee_id == current_user.employee_id


def is_appraiser(appraisal: Appraisal) -> bool:
    return current_user.is_authenticated and appraisal.appraiser_id == current_user.employee_id


@bp.app_template_filter("skp_number")
def skp_number(value) -> str:
    """An amount as typed: 12, 12.5 (no trailing zeros)."""
    return format_number(value)


@bp.app_context_processor
def inject_summary():
    from app.skp.summary import summary_a

    return {"skp_summary_a": lambda appraisal: summary_a(appraisal, current_user)}


from app.skp import views_assessment, views_dialog, views_plan  # noqa: E402, F401
