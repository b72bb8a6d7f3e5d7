"""The monitor's pages: the city, an OPD, a team, and the list of SKP behind every number."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app import policy
from app.exports.services import to_csv, to_xlsx
from app.feedback.evidence import combined, opd_units
from app.files import file_name
from app.models.types import utcnow
from app.monitoring import bp, listing, progress, services
from app.monitoring.milestones import STATE_ORDER
from app.policy.monitoring import (
    can_monitor_opd,
    can_monitor_team,
    monitor_start,
    monitoring_opds,
    monitors_city,
)
from app.skp.assessment.skm import report_path
from app.skp.scoring import PREDIKAT_LABELS
from app.workflow.web import step_label

# The monitor's other pages: for those who watch an OPD or the city (not a team's atasan).
SIBLING_TABS = (
    ("monitoring.bottlenecks", _l("Bottlenecks")),
    ("monitoring.performance", _l("Performance and trends")),
)
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def home_url(args: dict) -> str | None:
    """Where the viewer's monitor starts: None for the city; an OPD or a team; else 403."""
    start = monitor_start(current_user)
    if start is None:
        abort(403)
    kind, key = start
    if kind == services.OPD:
        return url_for("monitoring.opd", opd_id=key, **args)
    if kind == services.TEAM:
        return url_for("monitoring.team", employee_id=key, **args)
    return None


def _period_args() -> dict:
    period = request.args.get("period", type=int)
    return {"period": period} if period else {}


@bp.route("/monitor")
@login_required
def index():
    """The viewer's monitor: the city for its watchers; a kepala OPD's OPD; an atasan's team."""
    target = home_url(_period_args())
    if target:
        return redirect(target)
    return _show(services.CITY, services.city_title(), "city", services.city_figures)


@bp.route("/monitor/opd/<int:opd_id>")
@login_required
def opd(opd_id: int):
    """One OPD per unit, with its predikat so far and its units layanan's IKM."""
    found = services.opd_of(opd_id)
    if found is None or not can_monitor_opd(current_user, opd_id):
        abort(404)
    return _show(
        services.OPD,
        found.name,
        f"opd:{opd_id}",
        lambda period, today: services.opd_figures(period, found, today),
        opd=found,
    )


@bp.route("/monitor/team/<int:employee_id>")
@login_required
def team(employee_id: int):
    """An atasan's team: one row per appraiser under them (direct and indirect)."""
    found = services.atasan_of(employee_id)
    if found is None or not can_monitor_team(current_user, employee_id, found[1]):
        abort(404)
    atasan, opd_id = found
    return _show(
        services.TEAM,
        _("Team of %(name)s", name=atasan.name),
        f"team:{employee_id}",
        lambda period, today: services.team_figures(period, atasan, today),
        atasan=atasan,
        atasan_opd=opd_id,
    )


def _show(kind: str, title: str, scope: str, figures_of, **context):
    """The view as a page, its live fragment (304 when unchanged), or a download."""
    choices = services.periods()
    period = services.chosen_period(choices, request.args.get("period", type=int))
    if period is None:
        return render_template("monitoring/none.html", title=title)
    today = date.today()
    tag = services.etag(current_user.id, scope, period, today, str(get_locale()))
    live = request.args.get("live") == "1"
    if live and request.if_none_match.contains(tag):
        unchanged = Response(status=304)
        unchanged.set_etag(tag)
        return unchanged
    figures = figures_of(period, today)
    figures.show_all = request.args.get("all") == "1"
    opd = context.get("opd")
    if opd is not None:
        context["predikat"] = services.predikat_so_far(period, opd.id)
    fmt = request.args.get("format")
    if fmt in MIMETYPES:
        name = file_name(_("monitoring"), title, period.name)
        return _download(services.table(figures, context.get("predikat")), fmt, name)
    context.update(
        kind=kind,
        title=title,
        figures=figures,
        etag=tag,
        predikat_labels=PREDIKAT_LABELS,
        now=utcnow(),
    )
    if live:
        page = Response(render_template("monitoring/_figures.html", **context))
        page.set_etag(tag)
        return page
    if opd is not None:
        # The OPD's units layanan, this year so far: the public's view beside the SKP progress.
        units = opd_units(opd.id, date(today.year, 1, 1), today)
        context.update(
            service_units=units,
            service_total=combined(units),
            skm_year=today.year,
            ikm_path=report_path,
            manages_teams=policy.can_manage_teams(current_user, opd.id),
            shows_tools=policy.can_export_opd(current_user, opd.id),
        )
    return render_template(
        "monitoring/view.html",
        periods=choices,
        period=period,
        tabs=_tabs(kind, context),
        live_url=url_for(
            request.endpoint,
            **request.view_args,
            period=period.id,
            live=1,
            **({"all": 1} if figures.show_all else {}),
        ),
        **context,
    )


def _tabs(kind: str, context: dict) -> list[tuple[str, str, bool]]:
    """(label, URL, current) of the monitor's pages this viewer may open from here."""
    tabs = []
    if monitors_city(current_user):
        tabs.append((_("City"), url_for("monitoring.index"), kind == services.CITY))
    if kind == services.OPD:
        tabs.append((context["opd"].name, request.path, True))
    elif kind == services.TEAM:
        opd_id = context.get("atasan_opd")
        if opd_id and not monitors_city(current_user) and can_monitor_opd(current_user, opd_id):
            tabs.append((_("OPD"), url_for("monitoring.opd", opd_id=opd_id), False))
        tabs.append((_("Team"), request.path, True))
    # The sibling pages take an OPD (?opd=) and show the viewer's own scope without one.
    if monitoring_opds(current_user) == []:
        return tabs
    opd_args = {"opd": context["opd"].id} if kind == services.OPD else {}
    for endpoint, label in SIBLING_TABS:
        tabs.append((str(label), url_for(endpoint, **opd_args), False))
    return tabs


def _download(table: list[list], fmt: str, name: str) -> Response:
    body = to_csv(table, str(get_locale())) if fmt == "csv" else to_xlsx(table, name)
    return Response(
        body,
        mimetype=MIMETYPES[fmt],
        headers={"Content-Disposition": f"attachment; filename={name}.{fmt}"},
    )


def _filters() -> listing.Filters:
    args = request.args
    state = args.get("state") or None
    if state is not None and state not in STATE_ORDER:
        flash(_("Unknown step %(state)s: showing every step.", state=state), "warning")
        state = None
    reached = args.get("reached")
    return listing.Filters(
        period=args.get("period", type=int),
        opd=args.get("opd", type=int),
        unit=args.get("unit", type=int),
        team=args.get("team", type=int),
        appraiser=args.get("appraiser", type=int),
        holder=args.get("holder", type=int),
        state=state,
        overdue=args.get("overdue") == "1",
        reached=None if reached not in ("0", "1") else reached == "1",
        page=max(args.get("page", 1, type=int) or 1, 1),
    )


def _scope(filters: listing.Filters) -> None:
    """Narrow the list to what the viewer watches: 404 outside it, 403 with nothing to watch."""
    if filters.opd is not None and not can_monitor_opd(current_user, filters.opd):
        abort(404)
    if filters.team is not None:
        found = services.atasan_of(filters.team)
        if found is None or not can_monitor_team(current_user, filters.team, found[1]):
            abort(404)
    if filters.opd is None and filters.team is None:
        start = monitor_start(current_user)
        if start is None:
            abort(403)
        kind, key = start
        if kind == services.OPD:
            filters.opd = key
        elif kind == services.TEAM:
            filters.team = key
    if filters.team is not None:
        filters.team_members = progress.team_appraisers(filters.team)
        if filters.appraiser is not None and filters.appraiser not in filters.team_members:
            abort(404)
    elif filters.appraiser is not None:
        found = services.atasan_of(filters.appraiser)
        if found is None or found[1] is None or not can_monitor_opd(current_user, found[1]):
            abort(404)
    if filters.unit:
        opd_id = services.opd_of_unit(filters.unit)
        if opd_id is None or not can_monitor_opd(current_user, opd_id):
            abort(404)


@bp.route("/monitor/list", endpoint="list")
@login_required
def skp_list():
    """The SKP behind a number of the monitor, the longest-waiting first, 50 a page."""
    filters = _filters()
    _scope(filters)
    choices = services.periods()
    period = services.chosen_period(choices, filters.period)
    if period is None:
        return render_template("monitoring/none.html", title=_("SKP list"))
    filters.period = period.id
    today = date.today()
    fmt = request.args.get("format")
    if fmt in MIMETYPES:
        found, _count = listing.rows(period, filters, today, limit=None)
        table = listing.table(found, today, lambda row: step_label(row))
        return _download(table, fmt, file_name(_("skp"), period.name))
    found, count = listing.rows(period, filters, today)
    return render_template(
        "monitoring/list.html",
        filters=filters,
        period=period,
        periods=choices,
        rows=found,
        count=count,
        today=today,
        per_page=listing.PER_PAGE,
        steps=services.steps_of(period),
        scope=listing.scope_labels(filters, count),
        back=_view_of(filters),
    )


def _view_of(filters: listing.Filters) -> str:
    """The monitor view the list's numbers came from."""
    args = {"period": filters.period}
    if filters.team is not None:
        return url_for("monitoring.team", employee_id=filters.team, **args)
    if filters.opd is not None:
        return url_for("monitoring.opd", opd_id=filters.opd, **args)
    return url_for("monitoring.index", **args)
