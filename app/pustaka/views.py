"""The library's pages: admin BKD curates, reviews, imports, exports; a kepala OPD proposes."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app import policy
from app.extensions import db
from app.models.pustaka import ENTRY_STATUSES, FUNCTIONS, LibraryEntry
from app.pustaka import bp, queries, services, xlsx
from app.pustaka.forms import (
    DIRECTION_LABELS,
    STATUS_LABELS,
    EntryForm,
    ImportForm,
    ReviewForm,
)
from app.pustaka.rows import FUNCTION_LABELS

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_IMPORT_BYTES = 5 * 1024 * 1024
ACTION_LABELS = {
    "create": _l("created"), "propose": _l("proposed"), "edit": _l("edited"),
    "approve": _l("approved"), "reject": _l("rejected"), "retire": _l("retired"),
    "restore": _l("restored"), "import": _l("imported"),
}  # fmt: skip


def _labels() -> dict:
    return {
        "function_labels": FUNCTION_LABELS,
        "direction_labels": DIRECTION_LABELS,
        "status_labels": STATUS_LABELS,
    }


def _entry(entry_id: int) -> LibraryEntry:
    return queries.entry_with_people(entry_id) or abort(404)


def _stale(error: services.StaleEntry, entry_id: int):
    """Someone acted first: say who did what, when; nothing was saved."""
    change = error.latest
    if change is not None:
        flash(
            _(
                "Someone else changed this entry first (%(who)s, %(action)s, %(when)s)."
                " Nothing was saved; check the entry as it is now.",
                who=change.actor.name if change.actor else "SIKAP",
                action=STATUS_LABELS.get(change.to_status, change.to_status),
                when=format_datetime(change.changed_at, "short"),
            ),
            "warning",
        )
    else:
        flash(_("Someone else changed this entry first. Nothing was saved."), "warning")
    return redirect(url_for("pustaka.edit", entry_id=entry_id), 303)


@bp.route("/admin/pustaka-iki")
@login_required
@policy.permission_required("pustaka.manage")
def index():
    """The library, filtered by status, function and words; with how often each entry is used."""
    status = request.args.get("status") or None
    function = request.args.get("function") or None
    status = status if status in ENTRY_STATUSES else None
    function = function if function in FUNCTIONS else None
    q = (request.args.get("q") or "").strip()[:100]
    return render_template(
        "pustaka/index.html",
        entries=queries.list_entries(status, function, q),
        waiting=queries.waiting_proposals(),
        status=status,
        function=function,
        q=q,
        **_labels(),
    )


@bp.route("/admin/pustaka-iki/new", methods=["GET", "POST"])
@login_required
@policy.permission_required("pustaka.manage")
def new():
    """Add an entry to the library (approved at once: admin BKD curates it)."""
    form = EntryForm(data={"version": 0})
    if form.validate_on_submit():
        data = form.check()
        if data is not None:
            try:
                entry = services.create_entry(data, current_user)
            except services.DuplicateCode:
                db.session.rollback()
                form.problems = [_("Another entry already has this code.")]
            else:
                entry_id = entry.id
                db.session.commit()
                flash(_("The entry has been added to the Pustaka IKI."), "success")
                return redirect(url_for("pustaka.edit", entry_id=entry_id), 303)
    status = 422 if form.is_submitted() else 200
    return render_template("pustaka/form.html", form=form, entry=None, **_labels()), status


@bp.route("/admin/pustaka-iki/<int:entry_id>", methods=["GET", "POST"])
@login_required
@policy.permission_required("pustaka.manage")
def edit(entry_id: int):
    """An entry: edit it, decide a proposal, retire or restore it; its history."""
    entry = _entry(entry_id)
    form = EntryForm() if request.method == "POST" else _filled(entry)
    if form.validate_on_submit():
        data = form.check()
        if data is not None:
            try:
                services.edit_entry(entry, data, current_user, seen_version=form.version.data)
            except services.StaleEntry as error:
                db.session.rollback()
                return _stale(error, entry_id)
            except services.DuplicateCode:
                db.session.rollback()
                form.problems = [_("Another entry already has this code.")]
            else:
                db.session.commit()
                flash(_("The entry has been saved."), "success")
                return redirect(url_for("pustaka.edit", entry_id=entry_id), 303)
    status = 422 if form.is_submitted() else 200
    return _render_entry(
        entry, form, ReviewForm(formdata=None, data={"version": entry.version}), status
    )


def _filled(entry: LibraryEntry) -> EntryForm:
    form = EntryForm(formdata=None, obj=entry)
    form.version.data = entry.version
    for name in ("target_min", "target_max"):
        value = getattr(entry, name)
        form[name].data = "" if value is None else _plain(value)
    return form


def _plain(value) -> str:
    """A stored amount as the form shows it: 12, 96,5 (no thousands separators)."""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def _render_entry(entry, form, review_form, status=200):
    return render_template(
        "pustaka/form.html",
        form=form,
        entry=entry,
        review_form=review_form,
        history=services.changes(entry.id),
        action_labels=ACTION_LABELS,
        **_labels(),
    ), status


@bp.route("/admin/pustaka-iki/<int:entry_id>/review", methods=["POST"])
@login_required
@policy.permission_required("pustaka.manage")
def review(entry_id: int):
    """Approve or reject a kepala OPD's proposal (a rejection says why)."""
    entry = _entry(entry_id)
    form = ReviewForm()
    if form.validate():
        try:
            services.review_entry(
                entry, form.decision.data, current_user,
                seen_version=form.version.data, reason=form.reason.data,
            )  # fmt: skip
        except services.StaleEntry as error:
            db.session.rollback()
            return _stale(error, entry_id)
        except services.MoveRefused as error:
            db.session.rollback()
            if error.code == "reason":
                form.reason.errors = [_("Write why the proposal is rejected.")]
            else:
                flash(_("Only a proposed entry can be approved or rejected."), "warning")
                return redirect(url_for("pustaka.edit", entry_id=entry_id), 303)
        else:
            db.session.commit()
            flash(
                _("The proposal has been approved.")
                if form.decision.data == "approve"
                else _("The proposal has been rejected."),
                "success",
            )
            return redirect(url_for("pustaka.edit", entry_id=entry_id), 303)
    return _render_entry(entry, _filled(entry), form, 422)


@bp.route("/admin/pustaka-iki/<int:entry_id>/retire", methods=["POST"])
@login_required
@policy.permission_required("pustaka.manage")
def retire(entry_id: int):
    """Retire an approved entry (no longer offered), or restore a retired one."""
    entry = _entry(entry_id)
    version = request.form.get("version", type=int)
    if version is None:
        abort(400)
    restore = entry.status == "retired"
    try:
        services.retire_entry(entry, current_user, seen_version=version, restore=restore)
    except services.StaleEntry as error:
        db.session.rollback()
        return _stale(error, entry_id)
    except services.MoveRefused:
        db.session.rollback()
        flash(_("Only an approved entry can be retired."), "warning")
        return redirect(url_for("pustaka.edit", entry_id=entry_id), 303)
    db.session.commit()
    flash(
        _("The entry is offered again.") if restore else _("The entry has been retired."), "success"
    )
    return redirect(url_for("pustaka.edit", entry_id=entry_id), 303)


@bp.route("/admin/pustaka-iki/export.xlsx")
@login_required
@policy.permission_required("pustaka.manage")
def export():
    """The whole library as an XLSX sheet (the same columns the import reads)."""
    body = xlsx.export_xlsx(xlsx.entries_for_export())
    return Response(
        body,
        mimetype=XLSX_TYPE,
        headers={"Content-Disposition": "attachment; filename=pustaka-iki.xlsx"},
    )


@bp.route("/admin/pustaka-iki/import", methods=["GET", "POST"])
@login_required
@policy.permission_required("pustaka.manage")
def import_():
    """Import a sheet: every row checked first; one wrong row and nothing is written."""
    form = ImportForm()
    report, problem = None, None
    if form.validate_on_submit():
        try:
            report = xlsx.import_sheet(
                form.file.data.read(MAX_IMPORT_BYTES + 1), current_user, max_bytes=MAX_IMPORT_BYTES
            )
        except xlsx.LibraryFileError as error:
            problem = str(error)
        if report is not None and report.ok:
            db.session.commit()
            flash(
                _(
                    "The sheet has been imported: %(added)d added, %(updated)d updated,"
                    " %(unchanged)d unchanged.",
                    added=report.added, updated=report.updated, unchanged=report.unchanged,
                ),
                "success",
            )  # fmt: skip
            return redirect(url_for("pustaka.index"), 303)
        db.session.rollback()
    status = 422 if form.is_submitted() else 200
    return render_template("pustaka/import.html", form=form, report=report, problem=problem), status


@bp.route("/admin/pustaka-iki/report")
@login_required
@policy.permission_required("pustaka.report")
def report():
    """How often each entry is used in a period's plans, and which plans use none."""
    periods = queries.periods()
    chosen = request.args.get("period", type=int)
    period = next((p for p in periods if p.id == chosen), None) or next(
        (p for p in periods if p.status == "open"), periods[0] if periods else None
    )
    usage = queries.usage(period.id) if period else None
    return render_template(
        "pustaka/report.html", periods=periods, period=period, usage=usage, **_labels()
    )


@bp.route("/pustaka-iki/usulan", methods=["GET", "POST"])
@login_required
@policy.permission_required("pustaka.propose")
def propose():
    """A kepala OPD proposes an entry for BKD to approve; their proposals and BKD's answers."""
    opds = policy.opds_headed_by(current_user)
    if not opds:
        abort(403)
    form = EntryForm(data={"version": 0})
    if form.validate_on_submit():
        # The code is given when the proposal is stored; a placeholder passes the check.
        data = form.check(code="USUL")
        if data is not None:
            services.propose_entry(data, current_user, opds[0])
            db.session.commit()
            flash(_("Your proposal has been sent to BKD."), "success")
            return redirect(url_for("pustaka.propose"), 303)
    return render_template(
        "pustaka/propose.html",
        form=form,
        proposals=queries.proposals_of([opd.id for opd in opds]),
        **_labels(),
    ), 422 if form.is_submitted() else 200
