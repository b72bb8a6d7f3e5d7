"""The Panduan, the glossary and the tour's seen flag; helpers for every template."""

from flask import abort, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required

from app import policy
from app.extensions import db
from app.guide import bp
from app.guide.content import KINDS, ROLES, STEPS, library, step_for
from app.guide.glossary import glossary, term
from app.guide.tour import mark_tour_seen


def _lang() -> str:
    return str(get_locale())


@bp.route("/panduan/")
@login_required
def index():
    """Every help section, by role, by step, the rules and the examples."""
    guide = library(_lang())
    return render_template(
        "guide/index.html",
        guide=guide,
        kinds=KINDS,
        roles=ROLES,
        my_roles=policy.roles_of_account(current_user),
    )


@bp.route("/panduan/glosarium", endpoint="glossary")
@login_required
def glossary_page():
    """The domain's words and what they mean."""
    return render_template("guide/glossary.html", terms=glossary().values(), lang=_lang())


@bp.route("/panduan/<slug>")
@login_required
def section(slug: str):
    """One help section, with the others of its kind beside it."""
    guide = library(_lang())
    found = guide.get(slug)
    if found is None:
        abort(404)
    return render_template(
        "guide/section.html",
        guide=guide,
        section=found,
        kinds=KINDS,
        roles=ROLES,
        steps=STEPS,
        untranslated=found.lang != _lang(),
    )


@bp.route("/panduan/tur/dilihat", methods=["POST"])
@login_required
def tour_seen():
    """Remember that the signed-in account was shown the tour (posted by tour.js)."""
    mark_tour_seen(current_user)
    db.session.commit()
    return "", 204


def guide_step_url(appraisal=None) -> str:
    """The Panduan section of the step the current page is about (else the Panduan)."""
    step = step_for(request.endpoint, appraisal.state if appraisal is not None else None)
    found = library(_lang()).for_step(step) if step else None
    if found is None:
        return url_for("guide.index")
    return url_for("guide.section", slug=found.slug)


@bp.app_context_processor
def guide_helpers() -> dict:
    return {
        "term": lambda word, text=None: term(word, text, _lang()),
        "guide_step_url": guide_step_url,
    }
