"""Inbox services: which open tasks a user sees, one page of them, claim and release.

Claim and release flush, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import aliased, contains_eager

from app.extensions import db
from app.models import (
    Account,
    Appraisal,
    Complaint,
    Employee,
    Opd,
    PembinaanCase,
    Period,
    ServiceUnit,
    Task,
    UserSession,
)
from app.org.heads import may_head_an_opd
from app.policy import ADMIN_BKD, VERIFIKATOR_BKD
from app.workflow.engine import engine
from app.workflow.roles import GROUP_ROLES

PAGE_SIZE = 50
# Ids are database integers; anything wider is not a cursor we handed out.
MAX_ID = 2**63 - 1


class ClaimRefused(ValueError):
    """The task could not be claimed: someone else holds it (`holder`), or it was closed."""

    def __init__(self, holder: Employee | None):
        self.holder = holder
        super().__init__(holder.name if holder else "closed")


@dataclass(frozen=True)
class Filters:
    """Validated inbox filters; None means 'all'."""

    period_id: int | None = None
    opd_id: int | None = None
    state: str | None = None


Cursor = tuple[date, int]


def visible_to(account: Account) -> sa.ColumnElement[bool]:
    """The condition for open tasks that belong in the account's inbox (needs Appraisal joined).

    Personal tasks assigned to the employee; for BKD verifiers the group tasks
    that are unclaimed or claimed by them (never on their own appraisal, where
    they hold no other role); for BKD admins the personal tasks nobody could be
    assigned to.
    """
    return _visible(account.employee_id, account.granted_roles)


def _visible(me, roles: frozenset[str] | set[str]) -> sa.ColumnElement[bool]:
    # `me` is the employee id, or a bind parameter standing for it.
    shown = [Task.assignee_id == me]
    if VERIFIKATOR_BKD in roles:
        shown.append(
            sa.and_(
                Task.role.in_(GROUP_ROLES),
                Task.assignee_id.is_(None),
                sa.or_(Task.claimed_by_id.is_(None), Task.claimed_by_id == me),
                Appraisal.employee_id != me,
            )
        )
    if ADMIN_BKD in roles:
        shown.append(sa.and_(Task.role.not_in(GROUP_ROLES), Task.assignee_id.is_(None)))
    return sa.and_(Task.closed_at.is_(None), sa.or_(*shown))


def open_task_count(account: Account) -> int:
    """How many open tasks the account's inbox holds, in one COUNT query."""
    roles = frozenset(account.granted_roles & {VERIFIKATOR_BKD, ADMIN_BKD})
    return db.session.scalar(_count_query(roles), {"me": account.employee_id})


@cache
def _count_query(roles: frozenset[str]) -> sa.Select:
    """The COUNT of the inbox of :me holding `roles`; built once per roles (every page asks)."""
    return (
        sa.select(sa.func.count(Task.id))
        .join(Appraisal, Appraisal.id == Task.appraisal_id)
        .where(_visible(sa.bindparam("me"), roles))
    )


def nav_counts(account: Account) -> tuple[int, bool]:
    """The inbox count, and whether the account's employee appraises anyone: one query.

    None when the user loader brought both along (an account without BKD roles).
    """
    roles = frozenset(account.granted_roles & {VERIFIKATOR_BKD, ADMIN_BKD})
    if not roles and account.preloaded_nav is not None:
        count, leads = account.preloaded_nav
        return count, bool(leads)
    count, leads = db.session.execute(_nav_query(roles), {"me": account.employee_id}).one()
    return count, bool(leads)


@cache
def session_nav_columns() -> tuple[sa.ColumnElement, ...]:
    """The navigation's answers as columns correlated to the user_session row.

    The inbox count and whether the account appraises anyone (for the
    navigation), the open pengaduan and pembinaan tasks assigned to it (spares
    the inbox their query when there are none), and whether it may head an OPD
    (spares the kepala OPD question).

    The user loader reads them in its one query, which saves every page a round
    trip. They hold for an account without BKD roles (its inbox is its personal
    tasks, as `_visible` says for no roles); nav_counts asks again for the others.
    """
    holder = aliased(Account)
    tasks = (
        sa.select(sa.func.count(Task.id))
        .join(Appraisal, Appraisal.id == Task.appraisal_id)
        .join(holder, holder.employee_id == Task.assignee_id)
        .where(holder.id == UserSession.account_id, _visible(holder.employee_id, frozenset()))
        .scalar_subquery()
    )
    appraiser = aliased(Account)
    appraises = (
        sa.exists()
        .where(appraiser.id == UserSession.account_id)
        .where(Appraisal.appraiser_id == appraiser.employee_id)
    )
    account, employee = aliased(Account), aliased(Employee)
    heads = (
        sa.select(may_head_an_opd(employee.id, employee.position_id))
        .select_from(account)
        .join(employee, employee.id == account.employee_id)
        .where(account.id == UserSession.account_id)
        .scalar_subquery()
    )
    # Correlated through its own account row: `holder` belongs to the tasks' subquery,
    # and naming it here would count every employee's cases.
    case_holder = aliased(Account)
    cases = (
        sa.select(sa.func.count(Task.id))
        .join(case_holder, case_holder.employee_id == Task.assignee_id)
        .where(
            case_holder.id == UserSession.account_id,
            Task.appraisal_id.is_(None),
            Task.closed_at.is_(None),
        )
        .scalar_subquery()
    )
    return (
        (tasks + cases).label("nav_tasks"),
        appraises.label("nav_appraises"),
        cases.label("nav_case_tasks"),
        heads.label("nav_may_head"),
    )


def _complaint_tasks(employee_id) -> sa.ScalarSelect:
    """The open pengaduan and pembinaan tasks assigned to the employee (the inbox lists them
    above the SKP)."""
    return (
        sa.select(sa.func.count(Task.id))
        .where(
            Task.appraisal_id.is_(None),
            Task.assignee_id == employee_id,
            Task.closed_at.is_(None),
        )
        .scalar_subquery()
    )


@cache
def _nav_query(roles: frozenset[str]) -> sa.Select:
    """The navigation's question for :me holding `roles`; built once per roles (every page)."""
    tasks = _count_query(roles).scalar_subquery() + _complaint_tasks(sa.bindparam("me"))
    appraises = sa.exists().where(Appraisal.appraiser_id == sa.bindparam("me"))
    return sa.select(tasks, appraises)


def inbox_page(
    account: Account, filters: Filters, after: Cursor | None = None, size: int = PAGE_SIZE
) -> tuple[list[Task], Cursor | None]:
    """One page of the inbox after the cursor, and the cursor of the next page (None: last).

    One query: the appraisal, its employee, period and OPD come with each task.
    """
    query = (
        sa.select(Task)
        .join(Task.appraisal)
        .join(Appraisal.employee)
        .join(Appraisal.period)
        .outerjoin(Appraisal.opd)
        # No raiseload on the shared rows (employee, period, OPD): the signed-in
        # user's own Employee can be among them, and a raise option would stick to
        # it for the rest of the session. The query-count test guards against N+1.
        .options(
            contains_eager(Task.appraisal).options(
                contains_eager(Appraisal.employee),
                contains_eager(Appraisal.period),
                contains_eager(Appraisal.opd),
            ),
        )
        .where(visible_to(account))
        # Overdue means due_date < today, so ascending (due_date, id) puts the
        # overdue tasks first, then the rest by due date; id breaks ties and
        # makes the order total, which keyset pagination needs.
        .order_by(Task.due_date, Task.id)
        .limit(size + 1)
    )
    if filters.period_id:
        query = query.where(Appraisal.period_id == filters.period_id)
    if filters.opd_id:
        query = query.where(Appraisal.opd_id == filters.opd_id)
    if filters.state:
        query = query.where(Task.state == filters.state)
    if after:
        due, task_id = after
        query = query.where(
            sa.or_(Task.due_date > due, sa.and_(Task.due_date == due, Task.id > task_id))
        )
    tasks = list(db.session.scalars(query))
    if len(tasks) <= size:
        return tasks, None
    tasks = tasks[:size]
    return tasks, (tasks[-1].due_date, tasks[-1].id)


def format_cursor(cursor: Cursor) -> str:
    """The cursor as a URL parameter: '2026-12-04.123'."""
    due, task_id = cursor
    return f"{due.isoformat()}.{task_id}"


def parse_cursor(raw: str | None) -> Cursor | None:
    """The cursor from a URL parameter; None (the first page) for anything malformed."""
    if not raw or len(raw) > 40:
        return None
    due, _, task_id = raw.partition(".")
    try:
        cursor = (date.fromisoformat(due), int(task_id))
    except ValueError:
        return None
    return cursor if 0 <= cursor[1] <= MAX_ID else None


def step_label(task: Task, locale: str) -> str:
    """The task's step in the user's language, as the workflow definition names it."""
    subject = task.appraisal or task.complaint or task.pembinaan
    state = engine().spec(subject.workflow).states.get(task.state)
    if state is None:
        return task.state
    return state.label.get(locale) or state.label.get("id") or task.state


def step_choices(workflows: set[str], locale: str) -> list[tuple[str, str]]:
    """(state, label) of every state with a task in the given workflows, by label."""
    choices: dict[str, str] = {}
    for name in sorted(workflows):
        spec = engine().specs.get(name)
        for state in spec.states.values() if spec else ():
            if state.task and state.name not in choices:
                choices[state.name] = state.label.get(locale) or state.name
    return sorted(choices.items(), key=lambda item: item[1])


@dataclass(frozen=True)
class FilterChoices:
    """What the inbox filters offer: (id, name) of periods and OPD, the periods' workflows."""

    periods: list[tuple[int, str]]
    opds: list[tuple[int, str]]
    workflows: set[str]


def filter_choices() -> FilterChoices:
    """Every period (latest year first, annual before its quarters) and OPD (by name).

    One statement of plain rows (a UNION), where the page used to load the
    periods as ORM objects and the OPD in a second round trip.
    """
    periods: list[tuple[int, str]] = []
    opds: list[tuple[int, str]] = []
    workflows: set[str] = set()
    for source, row_id, name, workflow in db.session.execute(_filter_choices_query()):
        if source == 0:
            periods.append((row_id, name))
            workflows.add(workflow)
        else:
            opds.append((row_id, name))
    return FilterChoices(periods, opds, workflows)


@cache
def _filter_choices_query() -> sa.CompoundSelect:
    """Built once: it has no parameters."""
    periods = sa.select(
        sa.literal(0).label("source"),
        Period.id,
        Period.name,
        Period.workflow,
        Period.year.label("year"),
        Period.kind.label("kind"),
    )
    opds = sa.select(sa.literal(1), Opd.id, Opd.name, sa.null(), sa.null(), sa.null())
    union = sa.union_all(periods, opds).subquery()
    return sa.select(union.c.source, union.c.id, union.c.name, union.c.workflow).order_by(
        union.c.source, union.c.year.desc(), union.c.kind, union.c.name
    )


def opd_choices() -> list[tuple[int, str]]:
    """(id, name) of every OPD, by name."""
    query = sa.select(Opd.id, Opd.name).order_by(Opd.name)
    return [(opd_id, name) for opd_id, name in db.session.execute(query)]


def claim(task: Task, account: Account) -> None:
    """Claim the open group task for the account's employee.

    One conditional UPDATE: of two verifiers claiming at once, the second finds
    the row already claimed (PostgreSQL re-checks the WHERE after the first
    one's row lock; SQLite serialises writers) and gets ClaimRefused.
    """
    result = db.session.execute(
        sa.update(Task)
        .where(Task.id == task.id, Task.claimed_by_id.is_(None), Task.closed_at.is_(None))
        .values(claimed_by_id=account.employee_id)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(task)
    if result.rowcount != 1:
        raise ClaimRefused(task.claimed_by if task.closed_at is None else None)


def release(task: Task, account: Account) -> bool:
    """Give the claimed task back to the group; False if the account did not hold it."""
    result = db.session.execute(
        sa.update(Task)
        .where(
            Task.id == task.id,
            Task.claimed_by_id == account.employee_id,
            Task.closed_at.is_(None),
        )
        .values(claimed_by_id=None)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(task)
    return result.rowcount == 1


def case_tasks(account: Account) -> list[Task]:
    """The account's open pengaduan and pembinaan tasks, due first, in one query, each with
    what the inbox shows of it (the complaint's unit; the case's employee): assigned to
    them, and for BKD administrators those nobody could be assigned to."""
    mine = [Task.assignee_id == account.employee_id]
    if ADMIN_BKD in account.granted_roles:
        mine.append(Task.assignee_id.is_(None))
    elif account.case_task_count == 0:
        return []  # the user loader counted none: most inboxes, spared a query
    return list(
        db.session.scalars(
            sa.select(Task)
            .outerjoin(Complaint, Complaint.id == Task.complaint_id)
            .outerjoin(ServiceUnit, ServiceUnit.id == Complaint.service_unit_id)
            .outerjoin(PembinaanCase, PembinaanCase.id == Task.pembinaan_id)
            .outerjoin(Employee, Employee.id == PembinaanCase.employee_id)
            .where(Task.appraisal_id.is_(None), Task.closed_at.is_(None), sa.or_(*mine))
            .options(
                contains_eager(Task.complaint).contains_eager(Complaint.service_unit),
                contains_eager(Task.pembinaan).contains_eager(PembinaanCase.employee),
            )
            .order_by(Task.due_date, Task.id)
            .limit(PAGE_SIZE)
        )
    )
