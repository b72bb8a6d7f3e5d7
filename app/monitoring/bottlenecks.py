"""The bottleneck pages: who has the most SKP waiting on them, and a reminder to one of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date, format_time, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.dashboard.services import opd_choices
from app.exports.services import to_csv, to_xlsx
from app.extensions import db, render_quota
from app.files import file_name
from app.models import Employee, Opd, Period
from app.monitoring import bp, reminding
from app.periods.services import all_periods, working_period

PAGE_ROWS = 50  # the page shows the worst; the export has every holder
CHART_ROWS = 10
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Scope:
    """What the viewer watches here: one OPD, or the whole city (opd None)."""

    opds: list[Opd]
    opd: Opd | None
    city: bool

    @property
    def opd_id(self) -> int | None:
        return self.opd.id if self.opd else None


def _scope(raw: str | None) -> Scope:
    """The OPD asked for (`?opd=`), or the viewer's default: 403 for non-watchers, 404 elsewhere."""
    allowed = policy.monitoring_opds(current_user)
    if allowed == []:
        abort(403)
    opds = opd_choices(allowed)
    if not raw:
        if allowed is None:
            return Scope(opds, None, True)
        if not opds:
            abort(404)
        return Scope(opds, opds[0], False)
    opd = next((o for o in opds if str(o.id) == raw.strip()), None)
    if opd is None:
        abort(404)
    return Scope(opds, opd, allowed is None)


def _period(raw: str | None) -> tuple[list[Period], Period | None]:
    """Every period (for the picker) and the one asked for, else the one people work in."""
    periods = all_periods()
    period = next((p for p in periods if raw and str(p.id) == raw.strip()), None)
    if raw and period is None:
        flash(_("There is no such period; the current one is shown."), "warning")
    return periods, period or working_period(periods)


def _posted_period(raw: str | None) -> Period | None:
    """The period a reminder names (none posted: the one people work in); None if unknown."""
    periods = all_periods()
    if not raw:
        return working_period(periods)
    return next((p for p in periods if str(p.id) == raw.strip()), None)


def list_url(holder_id: int, period_id: int) -> str:
    """The monitor's list of the SKP waiting on one holder."""
    if "monitoring.list" in current_app.view_functions:
        return url_for("monitoring.list", holder=holder_id, period=period_id)
    return "/monitor/list?" + urlencode({"holder": holder_id, "period": period_id})


@bp.route("/monitor/bottlenecks")
@login_required
def bottlenecks():
    """Who has the most SKP waiting on them in a period, oldest first among equals."""
    scope = _scope(request.args.get("opd"))
    periods, period = _period(request.args.get("period"))
    today = date.today()
    rows = reminding.ranking(period, today, scope.opd_id) if period else []
    shown = rows[:PAGE_ROWS]
    last = reminding.last_reminders([r.employee_id for r in shown if r.employee_id])
    return render_template(
        "monitoring/bottlenecks.html",
        scope=scope,
        periods=periods,
        period=period,
        rows=shown,
        total=len(rows),
        chart=[
            {"label": reminding.holder_label(r), "waiting": r.waiting, "overdue": r.overdue}
            for r in rows[:CHART_ROWS]
        ],
        last=last,
        today=today,
        can_remind=policy.may_remind(current_user, scope.opd_id),
        holder_label=reminding.holder_label,
        list_url=list_url,
        opd_names={o.id: o.name for o in scope.opds},
    )


@bp.route("/monitor/bottlenecks.<any(csv, xlsx):fmt>")
@login_required
@render_quota
def bottlenecks_export(fmt: str):
    """The whole ranking of the page as CSV or XLSX."""
    scope = _scope(request.args.get("opd"))
    _periods, period = _period(request.args.get("period"))
    if period is None:
        abort(404)
    today = date.today()
    rows = reminding.ranking(period, today, scope.opd_id)
    opds = [scope.opd] if scope.opd else scope.opds
    names = {o.id: o.name for o in opds}
    table = reminding.export_table(rows, today, names, reminding.last_reminders(None))
    where = scope.opd.code if scope.opd else _("city")
    title = _("Bottlenecks %(where)s", where=where)
    body = to_csv(table, str(get_locale())) if fmt == "csv" else to_xlsx(table, title)
    name = file_name(_("bottlenecks"), where, period.name)
    return Response(
        body,
        mimetype=MIMETYPES[fmt],
        headers={"Content-Disposition": f"attachment; filename={name}.{fmt}"},
    )


@bp.route("/monitor/bottlenecks/<int:employee_id>/remind", methods=["POST"])
@login_required
def remind(employee_id: int):
    """Mail one holder a reminder of the SKP waiting on them (once a day at most)."""
    scope = _scope(request.form.get("opd"))
    holder = db.session.get(Employee, employee_id)
    if holder is None:
        abort(404)
    if not policy.may_remind(current_user, scope.opd_id):
        abort(403)
    period = _posted_period(request.form.get("period"))
    back = url_for("monitoring.bottlenecks", opd=scope.opd_id, period=period.id if period else None)
    if period is None:
        flash(_("There is no such period: nothing was sent."), "warning")
        return redirect(back, 303)
    try:
        reminder = reminding.send_reminder(
            holder, period, scope.opd_id, current_user.employee, date.today()
        )
    except reminding.ReminderRefused as refused:
        db.session.rollback()
        flash(_refusal(refused, holder, period), "warning")
        return redirect(back, 303)
    db.session.commit()
    flash(
        _(
            "Reminder sent to %(name)s: %(count)s SKP waiting, %(overdue)s overdue.",
            name=holder.name,
            count=reminder.waiting,
            overdue=reminder.overdue,
        ),
        "success",
    )
    return redirect(back, 303)


def _refusal(refused: reminding.ReminderRefused, holder: Employee, period: Period) -> str:
    """Why nothing was sent, for the flash message."""
    if isinstance(refused, reminding.NothingWaiting):
        return _(
            "%(name)s has no SKP waiting in %(period)s here: nothing was sent.",
            name=holder.name,
            period=period.name,
        )
    if isinstance(refused, reminding.NoAddress):
        return _(
            "%(name)s cannot be mailed (no email address in SIKAP, or no longer active): "
            "nothing was sent.",
            name=holder.name,
        )
    last = refused.last
    if last is None:
        return _("%(name)s was reminded less than a day ago: nothing was sent.", name=holder.name)
    return _(
        "%(name)s was already reminded on %(time)s by %(sender)s; one reminder a day is "
        "enough. Nothing was sent.",
        name=holder.name,
        time=f"{format_date(last.sent_at, 'medium')} {format_time(last.sent_at, 'short')}",
        sender=last.sent_by,
    )
