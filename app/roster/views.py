"""Roster import pages: upload and dry run, apply, template downloads."""

import sqlalchemy as sa
from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import csrf, db
from app.models import RosterImport
from app.periods.segments import SegmentRefused
from app.policy import permission_required
from app.roster import bp, services
from app.roster.apply import apply_roster
from app.roster.checks import check_roster
from app.roster.forms import ApplyForm, UploadForm
from app.roster.parsing import COLUMN_HEADERS, COLUMN_LABELS, COLUMNS, RosterFileError, read_roster

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_LIMIT = 500  # rows of each list shown; the counts are always complete


def _read(filename: str, data: bytes):
    config = current_app.config
    rows = read_roster(
        filename, data, max_bytes=config["ROSTER_MAX_BYTES"], max_rows=config["ROSTER_MAX_ROWS"]
    )
    return check_roster(rows)


def _report(plan, filename: str, token: str | None):
    return render_template(
        "roster/report.html",
        plan=plan,
        filename=filename,
        apply_form=ApplyForm(token=token) if token else None,
        labels=COLUMN_LABELS,
        limit=REPORT_LIMIT,
    )


@bp.route("/", methods=["GET", "POST"])
@csrf.exempt  # the token is checked below, after the larger size limit is set
@permission_required("roster.import")
def index():
    """Upload a roster file and see what it would change (a dry run: nothing is written)."""
    # A roster may be far larger than other forms: its own limit applies, checked below.
    request.max_content_length = current_app.config["ROSTER_MAX_BYTES"] + 1024 * 1024
    if request.method == "POST":
        csrf.protect()  # refused like every other form: the 400 "form expired" page
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.stream.read(current_app.config["ROSTER_MAX_BYTES"] + 1)
        try:
            plan = _read(upload.filename, data)
        except RosterFileError as error:
            form.file.errors.append(str(error))
        else:
            token = None
            if plan.ok:
                token, _sha = services.store_upload(upload.filename, data, current_user.id)
            return _report(plan, upload.filename, token)
    imports = db.session.scalars(
        sa.select(RosterImport).order_by(RosterImport.id.desc()).limit(10)
    ).all()
    return render_template(
        "roster/index.html",
        form=form,
        imports=imports,
        columns=COLUMNS,
        labels=COLUMN_LABELS,
        headers=COLUMN_HEADERS,
    )


@bp.route("/apply", methods=["POST"])
@permission_required("roster.import")
def apply():
    """Apply a checked file, all or nothing; checked again, since the data may have moved on."""
    form = ApplyForm()
    try:
        if not form.validate_on_submit():
            raise services.UploadExpired
        filename, data, sha256, stored = services.load_upload(form.token.data, current_user.id)
    except services.UploadExpired:
        flash(_("The checked file has expired or was changed. Upload it again."), "danger")
        return redirect(url_for("roster.index"))
    try:
        plan = _read(filename, data)
    except RosterFileError as error:
        flash(str(error), "danger")
        return redirect(url_for("roster.index"))
    if not plan.ok:
        flash(_("The file no longer passes the checks. Nothing was written."), "danger")
        return _report(plan, filename, None)
    plan.confirm_complete(form.complete_opds.data or [])
    try:
        log = apply_roster(
            plan, current_user, filename, sha256, segment_from=form.segment_from.data
        )
    except SegmentRefused as refused:
        db.session.rollback()  # all or nothing
        flash(_("Nothing was written. %(reason)s", reason=refused.message), "danger")
        return redirect(url_for("roster.index"))
    db.session.commit()
    services.discard_upload(stored)
    counts = log.counts_dict
    flash(
        _(
            "The roster has been applied: %(new)d new, %(changed)d changed, "
            "%(deactivated)d deactivated employees; %(reassigned)d appraisals reassigned, "
            "%(segments)d new SKP segments.",
            new=counts["new"],
            changed=counts["changed"],
            deactivated=counts["deactivated"],
            reassigned=counts["reassigned"],
            segments=counts.get("segments", 0),
        ),
        "success",
    )
    return redirect(url_for("roster.index"))


@bp.route("/template.<any(csv, xlsx):kind>")
@permission_required("roster.import")
def template(kind: str):
    """The roster template with its columns and example rows."""
    if kind == "csv":
        body, mimetype = services.template_csv(), "text/csv; charset=utf-8"
    else:
        body, mimetype = services.template_xlsx(), XLSX
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f"attachment; filename=sikap-templat-data-pegawai.{kind}"},
    )
