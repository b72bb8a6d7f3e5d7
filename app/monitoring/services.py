"""What the monitor's pages show: the period, one row per OPD, unit or atasan, and the totals.

The figures come from app.monitoring.progress (the reference queries); this module
picks the period, puts the rows in the shape the pages and exports share, and says
where each number leads (the list of the SKP behind it, app.monitoring.listing).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from urllib.parse import quote_plus

import sqlalchemy as sa
from flask_babel import gettext as _
from markupsafe import Markup

from app.dashboard.summary import opd_counts
from app.extensions import db
from app.models import AppraisalCount, Employee, Opd, Period, Position, Task, Unit
from app.monitoring import progress
from app.monitoring.milestones import STATE_ORDER, Milestone, current_milestone
from app.periods.services import all_periods, working_period
from app.skp.numbers import format_number
from app.skp.scoring import PREDIKAT, PREDIKAT_LABELS
from app.workflow.engine import engine
from app.workflow.names import OBJECTION, OBJECTION_EXPLANATION
from app.workflow.web import localized

CITY, OPD, TEAM = "city", "opd", "team"
# Rows on the first screen of a view (worst first); "show all" lists the rest. The
# whole table of a large OPD or the city is most of the page's cost, and the worst
# rows are what a monitor looks for; the exports always have every row.
FIRST_ROWS = 15
OBJECTION_STATES = frozenset({OBJECTION, OBJECTION_EXPLANATION})


@dataclass
class Figures:
    """One monitor view: its rows (worst first), their total, the steps shown and the milestone."""

    kind: str
    period: Period
    today: date
    rows: list[progress.ProgressRow]
    total: progress.ProgressRow
    milestone: Milestone | None
    steps: list[tuple[str, str]]  # (state, label) in the order an SKP passes them
    scope: dict  # the list filter every number of the view starts from
    show_all: bool = False  # every row, not only the first screen

    @property
    def shown_rows(self) -> list[progress.ProgressRow]:
        """The rows to draw: the worst FIRST_ROWS unless every row was asked for."""
        return self.rows if self.show_all else self.rows[:FIRST_ROWS]

    @property
    def hidden_rows(self) -> int:
        """How many rows the first screen leaves out."""
        return len(self.rows) - len(self.shown_rows)

    def shown_steps(self) -> list[tuple[str, str]]:
        """The steps to show as columns: every step but a keberatan nobody is in."""
        return [
            (state, label)
            for state, label in self.steps
            if state not in OBJECTION_STATES or self.total.by_state.get(state)
        ]

    def href(self, base: str, row: progress.ProgressRow | None = None, **more) -> str:
        """`base` (the list's URL) with the filter behind a number of `row` as its query.

        A table of forty OPDs has some five hundred such links: built here from one
        url_for, each costs a tenth of a url_for (the same URL url_for gives; the
        values are ids, step names and flags).
        """
        args = self.link(row, **more)
        query = "&".join(
            f"{k}={v if type(v) is int else quote_plus(str(v))}"
            for k, v in args.items()
            if v is not None
        )
        return f"{base}?{query}" if query else base

    def cell(self, count: int, href: str, danger: bool = False) -> Markup:
        """A count linking to its list, or a muted 0 (one call, not a template macro: the
        city's table has hundreds)."""
        if not count:
            return Markup('<span class="text-muted">0</span>')
        css = "link-danger fw-semibold" if danger else ""
        return Markup('<a href="{}" class="{}">{}</a>').format(href, css, format_number(count))

    def link(self, row: progress.ProgressRow | None = None, **more) -> dict:
        """The list filter behind a number of `row` (the total when None)."""
        found = dict(self.scope, period=self.period.id)
        if row is not None:
            if self.kind == CITY:
                found["opd"] = row.key
            elif self.kind == OPD:
                found["unit"] = row.key if row.key is not None else 0
            else:
                found["appraiser"] = row.key
        found.update(more)
        return found


def periods() -> list[Period]:
    """Every period for the picker, the newest first (one statement)."""
    return all_periods()


def chosen_period(choices: list[Period], wanted: int | None) -> Period | None:
    """The period asked for, else the one people work in now (as the dashboard had it)."""
    by_id = {p.id: p for p in choices}
    return by_id.get(wanted) or working_period(choices)


def steps_of(period: Period) -> list[tuple[str, str]]:
    """The period's workflow steps (state, label) in the order an SKP passes them."""
    states = engine().spec(period.workflow).states
    ordered = [s for s in STATE_ORDER if s in states] + [s for s in states if s not in STATE_ORDER]
    return [(name, localized(states[name].label)) for name in ordered]


def _figures(kind: str, period: Period, today: date, rows, scope: dict, label: str) -> Figures:
    return Figures(
        kind=kind,
        period=period,
        today=today,
        rows=rows,
        total=progress.total(rows, label),
        milestone=current_milestone(period, today),
        steps=steps_of(period),
        scope=scope,
    )


def city_figures(period: Period, today: date) -> Figures:
    """One row per OPD of the city."""
    rows = progress.city_rows(period, today)
    return _figures(CITY, period, today, rows, {}, _("City total"))


def city_title() -> str:
    return _("All OPDs")


def opd_figures(period: Period, opd: Opd, today: date) -> Figures:
    """One row per unit of the OPD (a row with no key: positions in no unit)."""
    rows = progress.opd_rows(period, opd.id, today)
    for row in rows:
        row.label = row.label or _("(no work unit)")
    return _figures(OPD, period, today, rows, {"opd": opd.id}, _("OPD total"))


def team_figures(period: Period, atasan: Employee, today: date) -> Figures:
    """One row per appraiser in the atasan's team (direct and indirect), the atasan included."""
    rows = progress.team_rows(period, atasan.id, today)
    return _figures(TEAM, period, today, rows, {"team": atasan.id}, _("Team total"))


def predikat_so_far(period: Period, opd_id: int) -> dict[str, int]:
    """The OPD's SKP per predikat given so far, from the summary rows (one statement)."""
    rated: dict[str, int] = dict.fromkeys(PREDIKAT, 0)
    for (_state, predikat), count in opd_counts(period.id, opd_id).items():
        if predikat is not None:
            rated[predikat] = rated.get(predikat, 0) + count
    return rated


def opd_of(opd_id: int) -> Opd | None:
    return db.session.get(Opd, opd_id)


def opd_of_unit(unit_id: int) -> int | None:
    """The OPD a unit kerja belongs to, or None for no such unit."""
    unit = db.session.get(Unit, unit_id)
    return unit.opd_id if unit else None


def atasan_of(employee_id: int) -> tuple[Employee, int | None] | None:
    """The employee and the OPD of their position (one statement), or None."""
    found = db.session.execute(
        sa.select(Employee, Position.opd_id)
        .outerjoin(Position, Position.id == Employee.position_id)
        .where(Employee.id == employee_id)
    ).first()
    return (found[0], found[1]) if found else None


def live_marker(period_id: int) -> tuple:
    """What changes whenever a figure of the period's views may change (one statement).

    Every step of an SKP writes a delta row into the summary (app.dashboard.summary,
    by trigger, in the step's own transaction) and closes or opens a task; a
    reassignment opens a task for the new holder. So the period's summary rows
    (their largest id and their number) and the largest task id move with every
    change the monitor counts. The number matters on PostgreSQL: ids are handed
    out before commit, so a step that commits after a later one adds a row below
    the largest id, which only the count sees. The compaction every minute
    changes both (a refresh with the same figures). Overdue counts move with the
    date, which the ETag carries.
    """
    summary = (
        sa.select(sa.func.max(AppraisalCount.id).label("last"), sa.func.count().label("rows"))
        .where(AppraisalCount.period_id == period_id)
        .subquery()
    )
    last_task = sa.select(sa.func.max(Task.id)).scalar_subquery()
    return tuple(db.session.execute(sa.select(summary.c.last, summary.c.rows, last_task)).one())


def etag(viewer_id: int, scope: str, period: Period, today: date, locale: str) -> str:
    """The version of a view's figures for this viewer (their scope, the period, the day)."""
    calendar = (
        period.plan_deadline,
        period.plan_approval_deadline,
        period.assessment_deadline,
        period.review_deadline,
    )
    text = repr((live_marker(period.id), viewer_id, scope, period.id, calendar, today, locale))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def table(figures: Figures, predikat: dict[str, int] | None = None) -> list[list]:
    """The view's table for XLSX/CSV: a header, one line per row, the total last.

    An OPD's predikat so far follows, after an empty line, as on the page.
    """
    head = [
        _("Name"),
        *[label for _state, label in figures.steps],
        _("SKP"),
        _("At or past the milestone"),
        _("Completion (%)"),
        _("Overdue tasks"),
        _("Days the oldest task waits"),
    ]
    lines = [head]
    for row in [*figures.rows, figures.total]:
        lines.append(
            [
                row.label,
                *[row.by_state.get(state, 0) for state, _label in figures.steps],
                row.total,
                row.reached,
                # A Decimal: the exports write it as a number, in the reader's notation.
                Decimal(str(row.completion)) if row.completion is not None else "",
                row.overdue,
                row.days_waiting(figures.today) if row.oldest_since else "",
            ]
        )
    if predikat is not None:
        lines += [[], [_("Predikat so far"), _("SKP")]]
        lines += [[str(PREDIKAT_LABELS[key]), count] for key, count in predikat.items()]
    return lines
