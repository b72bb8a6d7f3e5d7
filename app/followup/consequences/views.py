"""Consequences pages: kenaikan pangkat, TPP per month (and its export), rewards, angka kredit."""

from datetime import date
from decimal import Decimal

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.exports.services import to_csv, to_xlsx
from app.extensions import db
from app.files import file_name
from app.followup import settings
from app.followup.consequences import bp, services
from app.followup.consequences.forms import TppTableForm
from app.followup.rules import TppTable
from app.followup.scope import page_scope
from app.followup.talent_pages.services import BOX_LABELS, nine_box
from app.models.appraisal import PERIOD_KIND_LABELS, PREDIKAT, PREDIKAT_LABELS

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@bp.app_template_filter("angka_kredit")
def angka_kredit_number(value: Decimal) -> str:
    """Angka kredit to three places, as a PAK writes it: 20,833 (id)."""
    return format_decimal(value, format="#,##0.000")


def _month(year: int) -> int:
    today = date.today()
    month = request.args.get("month", type=int) or (today.month if year == today.year else 12)
    if not 1 <= month <= 12:
        abort(404)
    return month


@bp.route("/konsekuensi/kenaikan-pangkat")
@login_required
def promotion():
    """Who may be proposed for kenaikan pangkat by their predikat, and why not."""
    scope = page_scope()
    return render_template(
        "consequences/promotion.html",
        scope=scope,
        rows=services.promotions(scope.year, scope.opd_id),
        predikat_labels=PREDIKAT_LABELS,
        manages=policy.manages_talent(current_user),
    )


@bp.route("/konsekuensi/penghargaan")
@login_required
def rewards():
    """Candidates for recognition: Sangat Baik in the year, or box 9 of the talent map."""
    scope = page_scope()
    box = nine_box(scope.year, scope.opd_id, settings.thresholds())
    return render_template(
        "consequences/rewards.html",
        scope=scope,
        rows=services.rewards(box),
        predikat_labels=PREDIKAT_LABELS,
        box_labels=BOX_LABELS,
        manages=policy.manages_talent(current_user),
    )


@bp.route("/konsekuensi/tpp")
@login_required
def tpp():
    """The TPP factor of each employee of an OPD for a month, from their SKP."""
    scope = page_scope()
    month = _month(scope.year)
    table = settings.tpp_table()
    rows = services.tpp_rows(scope.year, month, scope.opd.id, table) if scope.opd else []
    return render_template(
        "consequences/tpp.html",
        scope=scope,
        month=month,
        months=[date(scope.year, m, 1) for m in range(1, 13)],
        rows=rows,
        table=table,
        is_default=settings.tpp_is_default(),
        predikat=PREDIKAT,
        predikat_labels=PREDIKAT_LABELS,
        kind_labels=PERIOD_KIND_LABELS,
        manages=policy.manages_talent(current_user),
    )


@bp.route("/konsekuensi/tpp.<any(csv, xlsx):fmt>")
@login_required
def tpp_export(fmt: str):
    """The month's TPP factors of an OPD for the payroll system."""
    scope = page_scope()
    if scope.opd is None:
        abort(404)
    month = _month(scope.year)
    rows = services.tpp_rows(scope.year, month, scope.opd.id, settings.tpp_table())
    header = [_("NIP"), _("Name"), _("Position"), _("Year"), _("Month"), _("SKP period")]
    table = [[*header, _("Predikat"), _("SKP complete"), _("TPP factor")]]
    for r in rows:
        table.append(
            [
                r.nip, r.name, r.position, scope.year, month,
                str(PERIOD_KIND_LABELS[r.period_kind]) if r.period_kind else "",
                PREDIKAT_LABELS.get(r.predikat, ""), _("yes") if r.complete else _("no"),
                r.factor,
            ]
        )  # fmt: skip
    name = file_name("tpp", scope.opd.code, str(scope.year), f"{month:02d}")
    body = to_csv(table, str(get_locale())) if fmt == "csv" else to_xlsx(table, "TPP")
    return Response(
        body,
        mimetype=MIMETYPES[fmt],
        headers={"Content-Disposition": f"attachment; filename={name}.{fmt}"},
    )


@bp.route("/konsekuensi/tabel-tpp", methods=["GET", "POST"])
@login_required
def tpp_table():
    """The TPP table BKD sets from the Perwali: the factor per predikat."""
    if not policy.manages_talent(current_user):
        abort(403)
    current = settings.tpp_table()
    form = TppTableForm(data={**current.by_predikat, "incomplete": current.incomplete})
    if form.validate_on_submit():
        new = TppTable(
            by_predikat={p: getattr(form, p).data for p in PREDIKAT},
            incomplete=form.incomplete.data,
        )
        settings.save_tpp_table(new, current_user)
        db.session.commit()
        flash(_("The TPP table has been saved."), "success")
        return redirect(url_for("consequences.tpp_table"))
    return render_template(
        "consequences/tpp_table.html", form=form, is_default=settings.tpp_is_default()
    )


@bp.route("/konsekuensi/angka-kredit")
@login_required
def credits():
    """Angka kredit of every jabatan fungsional employee of an OPD or the city, per year."""
    scope = page_scope()
    records = services.credit_records(opd_id=scope.opd_id)
    years = sorted({c.year for r in records for c in r.credits})
    return render_template(
        "consequences/credits.html",
        scope=scope,
        records=records,
        years=years,
        manages=policy.manages_talent(current_user),
    )


@bp.route("/konsekuensi/angka-kredit/<int:employee_id>")
@login_required
def employee_credits(employee_id: int):
    """One employee's angka kredit per period and accumulated: their own, or for BKD."""
    found = services.employee_opd(employee_id)
    if found is None or not policy.can_view_angka_kredit(current_user, employee_id, found[1]):
        abort(404)
    records = services.credit_records(employee_id=employee_id)
    return render_template(
        "consequences/employee_credits.html",
        employee=found[0],
        record=records[0] if records else None,
        predikat_labels=PREDIKAT_LABELS,
    )
