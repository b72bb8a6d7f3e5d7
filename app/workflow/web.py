"""The engine as pages see it: a step's label, the one "moved on" message, firing from a view.

Every page that fires a transition, every content form refused as stale and the
email landing page answer through these, so the user reads one wording
whichever door they came in by.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from flask import Response, abort, flash, jsonify, redirect, render_template, request
from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _

from app.extensions import db
from app.models import Account, AuditEvent
from app.workflow.audit import latest_event_of
from app.workflow.done import done_message
from app.workflow.engine import available, engine, fire
from app.workflow.errors import (
    GuardFailed,
    HeldByOther,
    InvalidInput,
    NoHolder,
    NotAllowed,
    StaleState,
)
from app.workflow.forms import FORMS
from app.workflow.spec import TransitionSpec
from app.workflow.subjects import Subject, kind_of


def localized(label: Mapping[str, str]) -> str:
    """A definition's label ({id: …, en: …}) in the user's language (template filter)."""
    return label[str(get_locale())]


def step_label(appraisal: Subject, state: str | None = None) -> str:
    """The label of the appraisal's step (or of `state` in its workflow), in the user's language."""
    spec = engine().spec(appraisal.workflow)
    return localized(spec.states[state or appraisal.state].label)


def moved_on_message(appraisal: Subject, event: AuditEvent | None) -> str:
    """Someone else moved the SKP (or complaint) on: who, to which step, when. Nothing of the
    user's was saved."""
    if kind_of(appraisal).name == "complaint":
        return _complaint_moved_on(appraisal, event)
    if kind_of(appraisal).name == "pembinaan":
        return _pembinaan_moved_on(appraisal, event)
    if event is None or event.to_state is None:
        return _("Someone else changed this SKP first. Nothing was saved.")
    return _(
        "%(name)s moved this SKP to “%(step)s” on %(when)s. Nothing was saved.",
        name=event.actor.name if event.actor else "SIKAP",
        step=step_label(appraisal, event.to_state),
        when=format_datetime(event.created_at, "d MMM yyyy HH:mm"),
    )


def _complaint_moved_on(complaint: Subject, event: AuditEvent | None) -> str:
    if event is None or event.to_state is None:
        return _("Someone else changed this complaint first. Nothing was saved.")
    return _(
        "%(name)s moved this complaint to “%(step)s” on %(when)s. Nothing was saved.",
        name=event.actor.name if event.actor else "SIKAP",
        step=step_label(complaint, event.to_state),
        when=format_datetime(event.created_at, "d MMM yyyy HH:mm"),
    )


def _pembinaan_moved_on(case: Subject, event: AuditEvent | None) -> str:
    if event is None or event.to_state is None:
        return _("Someone else changed this pembinaan case first. Nothing was saved.")
    return _(
        "%(name)s moved this pembinaan case to “%(step)s” on %(when)s. Nothing was saved.",
        name=event.actor.name if event.actor else "SIKAP",
        step=step_label(case, event.to_state),
        when=format_datetime(event.created_at, "d MMM yyyy HH:mm"),
    )


def wants_html() -> bool:
    """Browsers ask for text/html by name; API clients and scripts do not."""
    return any(mimetype == "text/html" for mimetype, _quality in request.accept_mimetypes)


def refuse_stale(appraisal: Subject, event: AuditEvent | None, back_url: str) -> Response:
    """Answer a form that lost the race: the message and a 303 (409 with JSON for non-browsers)."""
    db.session.rollback()
    message = moved_on_message(appraisal, event)
    if wants_html():
        flash(message, "warning")
        return redirect(back_url, 303)
    return jsonify(error="conflict", message=message, state=appraisal.state), 409


def stale_now(appraisal: Subject, back_url: str) -> Response:
    """Refuse a form that no longer fits the SKP's (or complaint's) step, naming the latest move."""
    return refuse_stale(appraisal, latest_event_of(appraisal), back_url)


def fire_and_answer(
    appraisal: Subject,
    trigger: str,
    actor: Account,
    data: Mapping,
    *,
    seen_version: int,
    done_url: str,
    back_url: str,
    field_errors: Mapping | None = None,
) -> Response | None:
    """Fire `trigger`, commit once, and answer as a page should.

    Done: commit, say what happened, redirect to `done_url`. Someone acted first:
    the moved-on message and back to `back_url`. Not the actor's to take: 403.
    A guard said no, or another verifier holds the claim: the reason, and back
    to `back_url`. The input was refused:
    the reasons are set on the fields of `field_errors` (a form) and None is
    returned, so the page shows the form again with what was typed. Nothing is
    read from the database after the commit.
    """
    spec = engine().spec(appraisal.workflow)
    transition = spec.transition(appraisal.state, trigger)
    try:
        fire(appraisal, trigger, actor, data, seen_version=seen_version)
    except StaleState as error:
        return refuse_stale(appraisal, error.event, back_url)
    except NotAllowed:
        db.session.rollback()
        abort(403)
    except InvalidInput as error:
        db.session.rollback()
        for name, messages in error.errors.items():
            if field_errors is not None and name in field_errors:
                field_errors[name].errors = list(messages)
            else:
                flash(error.message, "danger")
        return None
    except (GuardFailed, HeldByOther, NoHolder) as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(back_url)
    # Worded before the commit: nothing is read from the database after it.
    message = done_message(appraisal, transition, spec.states[transition.dest], str(get_locale()))
    message = message or _("Done: %(step)s.", step=localized(transition.label))
    db.session.commit()
    flash(message, "success")
    return redirect(done_url)


def step_page(
    subject: Subject,
    trigger: str,
    actor: Account,
    *,
    here: str,
    template: str,
    may_fire: Callable[[TransitionSpec], bool] | None = None,
    **context,
) -> Response | tuple[str, int]:
    """The page of one step of an SKP's or a complaint's workflow: confirm, then fire.

    GET only shows the form (mail scanners follow links), and sends the user back
    to `here` when the step is not theirs now. A POST of a step that no longer
    exists from the current state names who moved it on; `may_fire` says whether
    the actor's role on the subject may take the step (403 if not). The template
    gets spec, transition and form besides `context`; a refused form answers 422.
    """
    spec = engine().spec(subject.workflow)
    transition = spec.transition(subject.state, trigger)
    form = FORMS[transition.form]() if transition else FORMS["transition"]()
    if request.method == "GET":
        if transition is None or transition not in available(subject, actor):
            flash(_("This step is not available for you now."), "warning")
            return redirect(here)
        form.version.data = subject.version
    elif transition is None:
        # The step no longer exists from the current state: someone moved it on.
        return stale_now(subject, here)
    elif may_fire is not None and not may_fire(transition):
        abort(403)  # sees the subject, but the step is not theirs
    if transition.comment_required:
        form.require_comment(_("Please write the reason."))
    if request.method == "POST" and form.validate_on_submit():
        answer = fire_and_answer(
            subject,
            trigger,
            actor,
            form.data,
            seen_version=form.version.data,
            done_url=here,
            back_url=here,
            field_errors=form,
        )
        if answer is not None:
            return answer
    page = render_template(template, spec=spec, transition=transition, form=form, **context)
    return page, (200 if request.method == "GET" else 422)
