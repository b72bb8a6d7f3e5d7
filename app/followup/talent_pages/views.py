"""Talent pages: the 9-box of an OPD or the city, its export, succession, import, thresholds."""

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.exports.services import to_csv, to_xlsx
from app.extensions import db
from app.files import file_name
from app.followup import settings
from app.followup.scope import page_scope
from app.followup.talent import BOXES, Thresholds
from app.followup.talent_pages import assessments, bp, services
from app.followup.talent_pages.forms import AssessmentUploadForm, ThresholdsForm
from app.skp.scoring import PREDIKAT_LABELS

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _admin_only() -> None:
    if not policy.manages_talent(current_user):
        abort(403)


@bp.route("/talenta/")
@login_required
def index():
    """The 9-box: counts per box and who is in each, for an OPD or the city."""
    scope = page_scope()
    box = services.nine_box(scope.year, scope.opd_id, settings.thresholds())
    return render_template(
        "talent/index.html",
        scope=scope,
        box=box,
        rows=services.GRID_ROWS,
        columns=services.GRID_COLUMNS,
        boxes=BOXES,
        box_labels=services.BOX_LABELS,
        limit=services.BOX_LIST_LIMIT,
        column_headings=services.COLUMN_HEADINGS,
        row_headings=services.ROW_HEADINGS,
        predikat_labels=PREDIKAT_LABELS,
        manages=policy.manages_talent(current_user),
    )


@bp.route("/talenta/ekspor.<any(csv, xlsx):fmt>")
@login_required
def export(fmt: str):
    """The 9-box as a table: one row per employee with their axes and box."""
    scope = page_scope()
    box = services.nine_box(scope.year, scope.opd_id, settings.thresholds())
    header = [_("NIP"), _("Name"), _("OPD"), _("Position"), _("Pangkat/golongan")]
    header += [_("Predikat %(year)d", year=scope.year - 1), _("Predikat %(year)d", year=scope.year)]
    header += [_("Assessment score"), _("Box"), _("Box label")]
    table = [header]
    for p in box.people:
        table.append(
            [
                p.nip, p.name, p.opd_code, p.position, p.pangkat_golongan or "",
                PREDIKAT_LABELS.get(p.before, ""), PREDIKAT_LABELS.get(p.now, ""),
                p.score if p.score is not None else "", p.box or "",
                str(services.BOX_LABELS[p.box]) if p.box else _("Not placed"),
            ]
        )  # fmt: skip
    where = scope.opd.code if scope.opd else _("city")
    name = file_name(_("talent map"), where, str(scope.year))
    body = to_csv(table, str(get_locale())) if fmt == "csv" else to_xlsx(table, _("Talent map"))
    return Response(
        body,
        mimetype=MIMETYPES[fmt],
        headers={"Content-Disposition": f"attachment; filename={name}.{fmt}"},
    )


@bp.route("/talenta/suksesi")
@login_required
def succession():
    """Each JPT and administrator position with the boxes 7-9 employees who qualify by rank."""
    scope = page_scope()
    box = services.nine_box(scope.year, scope.opd_id, settings.thresholds())
    return render_template(
        "talent/succession.html",
        scope=scope,
        vacancies=services.succession(box, scope.opd_id),
        box_labels=services.BOX_LABELS,
        minimum=services.MINIMUM_GOLONGAN,
        limit=services.SHORTLIST_LIMIT,
    )


@bp.route("/talenta/impor", methods=["GET", "POST"])
@login_required
def import_scores():
    """Upload assessment scores: check them (a dry run, nothing written), then import."""
    _admin_only()
    form = AssessmentUploadForm()
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            rows = assessments.read_rows(
                upload.filename, upload.stream.read(assessments.MAX_BYTES + 1)
            )
        except assessments.AssessmentFileError as error:
            form.file.errors.append(str(error))
        else:
            report = assessments.check(rows)
            if form.apply.data and report.ok:
                count = assessments.apply(report, current_user)
                db.session.commit()
                flash(_("%(n)d assessment scores imported.", n=count), "success")
                return redirect(url_for("talent.import_scores"))
            if form.apply.data:
                flash(
                    _("Nothing was imported: correct the rows below and send the file again."),
                    "danger",
                )
    return render_template(
        "talent/import.html", form=form, report=report, headers=assessments.HEADERS
    )


@bp.route("/talenta/ambang", methods=["GET", "POST"])
@login_required
def thresholds():
    """The 9-box thresholds: where each band of performance and potential begins."""
    _admin_only()
    current = settings.thresholds()
    form = ThresholdsForm(obj=current)
    if form.validate_on_submit():
        new = Thresholds(
            kinerja_above=form.kinerja_above.data,
            kinerja_meets=form.kinerja_meets.data,
            potensial_high=form.potensial_high.data,
            potensial_medium=form.potensial_medium.data,
        )
        settings.save_thresholds(new, current_user)
        db.session.commit()
        flash(_("The 9-box thresholds have been saved."), "success")
        return redirect(url_for("talent.thresholds"))
    return render_template("talent/thresholds.html", form=form)
