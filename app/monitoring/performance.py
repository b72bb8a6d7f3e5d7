"""The monitor's performance pages: a period's figures, their trend, and one's own trend."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, abort, g, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.exports.services import to_csv, to_xlsx
from app.extensions import db, render_quota
from app.files import file_name
from app.models import Opd, Period
from app.monitoring import bp, charts
from app.monitoring.kinerja import city_performance, opd_performance, pk_lines
from app.monitoring.own import own_trend
from app.monitoring.tables import indicator_table, performance_table, trend_table
from app.monitoring.trends import trend
from app.periods.services import working_period
from app.policy.monitoring import can_monitor_opd, monitoring_opds
from app.skp.orgkinerja.distribution import rule_text
from app.skp.scoring import ORG_PREDIKAT_LABELS, PREDIKAT, PREDIKAT_LABELS, RATING_LABELS

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _scope() -> tuple[Opd | None, list[tuple[int, str]]]:
    """The OPD asked for (None: the city) and the OPDs the viewer may choose from
    (g.monitors_city says whether the whole city is among the choices).

    Someone who watches no OPD gets 403; an OPD they may not watch, 404 (its
    existence is not confirmed).
    """
    allowed = monitoring_opds(current_user)
    if allowed == []:
        abort(403)
    g.monitors_city = allowed is None
    query = sa.select(Opd).order_by(Opd.name)
    if allowed is not None:
        query = query.where(Opd.id.in_(allowed))
    opds = {opd.id: opd for opd in db.session.scalars(query)}
    choices = [(opd.id, opd.name) for opd in opds.values()]
    opd_id = request.args.get("opd", type=int)
    if opd_id is None and allowed is None:
        return None, choices
    opd_id = opd_id if opd_id is not None else next(iter(opds), 0)
    if not can_monitor_opd(current_user, opd_id) or opd_id not in opds:
        abort(404)
    return opds[opd_id], choices


def _period() -> tuple[Period | None, list[Period]]:
    periods = list(db.session.scalars(sa.select(Period).order_by(Period.year.desc(), Period.kind)))
    chosen = request.args.get("period", type=int)
    period = next((p for p in periods if p.id == chosen), None) or working_period(periods)
    return period, periods


def _figures(opd: Opd | None, period: Period) -> dict:
    if opd is None:
        rows, whole = city_performance(period)
        return {"rows": rows, "whole": whole, "level": "opd", "lines": [], "pk_capaian": None}
    rows, whole = opd_performance(period, opd)
    lines, pk_capaian = pk_lines(period, opd.id)
    return {"rows": rows, "whole": whole, "level": "unit", "lines": lines, "pk_capaian": pk_capaian}


@bp.route("/monitor/kinerja")
@login_required
def performance():
    """Completion, predikat against the pattern, capaian and IKM per OPD or per unit."""
    opd, choices = _scope()
    period, periods = _period()
    figures = _figures(opd, period) if period else None
    bars = None
    if figures:
        bars = charts.predikat_bars([(r.label, r.counts) for r in figures["rows"]])
    return render_template(
        "monitoring/performance.html",
        opd=opd,
        choices=choices,
        period=period,
        periods=periods,
        figures=figures,
        bars=bars,
        org_labels=ORG_PREDIKAT_LABELS,
        rule_text=rule_text,
        colours=charts.PREDIKAT_COLOURS,
        predikat=PREDIKAT,
        predikat_labels=PREDIKAT_LABELS,
    )


def _trend_charts(rows) -> dict:
    labels = [r.short for r in rows]
    return {
        "lines": charts.line_chart(
            labels,
            [
                (_("Completion") + " (%)", [r.completion for r in rows]),
                (_("Capaian") + " (%)", [r.capaian for r in rows]),
                ("IKM", [r.ikm.ikm if r.ikm else None for r in rows]),
            ],
        ),
        "bars": charts.predikat_bars([(r.short, r.counts) for r in rows]),
    }


@bp.route("/monitor/kinerja/tren")
@login_required
def trends():
    """The same figures per year and per quarter across the periods."""
    opd, choices = _scope()
    found = trend(opd.id if opd else None)
    return render_template(
        "monitoring/trends.html",
        opd=opd,
        choices=choices,
        trend=found,
        years=_trend_charts(found.years),
        quarters=_trend_charts(found.quarters),
        colours=charts.PREDIKAT_COLOURS,
        predikat=PREDIKAT,
        predikat_labels=PREDIKAT_LABELS,
    )


TABLES = "<any(kinerja, indikator, tahunan, triwulan):table>"


@bp.route(f"/monitor/kinerja/{TABLES}.<any(csv, xlsx):fmt>")
@login_required
@render_quota
def performance_export(table: str, fmt: str):
    """One of the tables of the performance or trends page, as CSV or XLSX."""
    opd, _choices = _scope()
    name = opd.code if opd else _("city")
    if table in ("tahunan", "triwulan"):
        found = trend(opd.id if opd else None)
        rows = trend_table(found.years if table == "tahunan" else found.quarters)
        title = _("Trend %(name)s", name=name)
    else:
        period, _periods = _period()
        if period is None:
            abort(404)
        figures = _figures(opd, period)
        if table == "indikator":
            if opd is None:
                abort(404)
            rows = indicator_table(figures["lines"])
        else:
            rows = performance_table(figures["rows"], figures["whole"], figures["level"])
        title = f"{name} {period.name}"
    body = to_csv(rows, str(get_locale())) if fmt == "csv" else to_xlsx(rows, title)
    filename = file_name(_("performance"), table, title)
    return Response(
        body,
        mimetype=MIMETYPES[fmt],
        headers={
            "Content-Disposition": f"attachment; filename={filename}.{fmt}",
            "Cache-Control": "private, no-store",
        },
    )


@bp.route("/my-skp/tren")
@login_required
def my_trend():
    """The signed-in employee's predikat, and their OPD's capaian, over their periods."""
    rows = own_trend(current_user.employee_id)
    ranks = {key: len(PREDIKAT) - n for n, key in enumerate(PREDIKAT)}
    chart = charts.line_chart(
        [r.short for r in rows],
        [(_("Predikat"), [ranks.get(r.predikat) for r in rows])],
        top=len(PREDIKAT),
        tick_labels={ranks[key]: PREDIKAT_LABELS[key] for key in PREDIKAT},
        left=118,  # room for "Butuh Perbaikan" beside the scale
    )
    capaian = None
    if any(r.capaian is not None for r in rows):
        capaian = charts.line_chart(
            [r.short for r in rows], [(_("Capaian") + " (%)", [r.capaian for r in rows])]
        )
    return render_template(
        "monitoring/my_trend.html",
        rows=rows,
        chart=chart,
        capaian=capaian,
        predikat_labels=PREDIKAT_LABELS,
        rating_labels=RATING_LABELS,
    )
