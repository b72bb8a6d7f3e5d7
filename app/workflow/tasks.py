"""Open and close tasks as subjects move: one open task per non-final state, one per role
at a joint step (a state whose `task` names several roles, each closing their own).

A subject is an appraisal or a complaint (app.workflow.subjects); its kind says
which Task column names it, whom a task goes to and when it is due.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache

import sqlalchemy as sa

from app.extensions import db
from app.models import Appraisal, DeadlineExtension, Employee, Period, Task
from app.workflow.deadlines import STEP_DEADLINES, step_deadline
from app.workflow.spec import StateSpec
from app.workflow.subjects import Subject, column_of, kind_of


def _of(subject: Subject) -> sa.ColumnElement[bool]:
    """Tasks of this subject."""
    return getattr(Task, column_of(subject)) == subject.id


def open_tasks(subject: Subject, state: StateSpec, now: datetime) -> list[Task]:
    """Open the task of each role the state names (none for a final state)."""
    if state.final or not state.tasks:
        return []
    kind = kind_of(subject)
    due = kind.due_date(subject, state.name, state.due_days, now.date())
    tasks = [
        Task(
            **{kind.column: subject.id},
            state=state.name,
            role=role,
            assignee_id=kind.assignee_for(subject, role),
            due_date=due,
            opened_at=now,
        )
        for role in state.tasks
    ]
    db.session.add_all(tasks)
    db.session.flush()
    return tasks


def open_task(subject: Subject, state: StateSpec, now: datetime) -> Task | None:
    """Open the state's task (the first, at a joint step) and return it; None when final."""
    opened = open_tasks(subject, state, now)
    return opened[0] if opened else None


def open_roles(subject: Subject) -> set[str]:
    """The roles whose task on the subject is open (at a joint step: who has yet to answer)."""
    return set(
        db.session.scalars(sa.select(Task.role).where(_of(subject), Task.closed_at.is_(None)))
    )


def close_role_task(subject: Subject, role: str, closed_by_id: int | None, now: datetime) -> None:
    """Close one role's open task at a joint step; the others stay open."""
    db.session.execute(
        sa.update(Task)
        .where(_of(subject), Task.role == role, Task.closed_at.is_(None))
        .values(closed_at=now, closed_by_id=closed_by_id)
        .execution_options(synchronize_session=False)
    )


def close_open_task(subject: Subject, closed_by_id: int | None, now: datetime) -> None:
    """Close the subject's open task(s), if any."""
    db.session.execute(
        _close_open_tasks(column_of(subject)),
        {"of_subject": subject.id, "now": now, "closer_id": closed_by_id},
    )


@cache
def _close_open_tasks(column: str) -> sa.Update:
    """Close :of_subject's open tasks at :now by :closer_id; built once per subject column."""
    # Not :appraisal_id: an UPDATE keeps its columns' names for its own parameters.
    return (
        sa.update(Task)
        .where(getattr(Task, column) == sa.bindparam("of_subject"), Task.closed_at.is_(None))
        .values(
            closed_at=sa.bindparam("now", type_=Task.__table__.c.closed_at.type),
            closed_by_id=sa.bindparam("closer_id", type_=sa.Integer),
        )
        .execution_options(synchronize_session=False)
    )


def open_tasks_of(subject: Subject) -> list[Task]:
    """The subject's open tasks: one, or one per role at a joint step."""
    return list(
        db.session.scalars(
            sa.select(Task).where(_of(subject), Task.closed_at.is_(None)).order_by(Task.id)
        )
    )


def open_task_of(subject: Subject) -> Task | None:
    return db.session.scalars(sa.select(Task).where(_of(subject), Task.closed_at.is_(None))).first()


def claim_holder(subject: Subject, *, lock: bool = False) -> Employee | None:
    """Who holds a claim on the subject's open group task, if anyone.

    `lock` takes the task's row lock (PostgreSQL), so a claim being committed
    meanwhile is waited for and seen, not slipped past.
    """
    query = sa.select(Task.claimed_by_id).where(_of(subject), Task.closed_at.is_(None)).limit(1)
    if lock:
        query = query.with_for_update()
    holder_id = db.session.scalar(query)
    return db.session.get(Employee, holder_id) if holder_id is not None else None


def reschedule_open_task(appraisal: Appraisal) -> None:
    """After an extension: the open task at a step with a deadline is due on the new one."""
    task = open_task_of(appraisal)
    if task is not None and (deadline := step_deadline(appraisal, task.state)) is not None:
        task.due_date = deadline
        db.session.flush()


def reschedule_period_tasks(period: Period) -> None:
    """After the period's deadlines changed: its open tasks at those steps follow them."""
    in_period = sa.select(Appraisal.id).where(Appraisal.period_id == period.id)
    for step, field in STEP_DEADLINES.items():
        deadline = getattr(period, field)
        if deadline is None:
            continue  # a period without this step's date: its tasks keep their due_days
        db.session.execute(
            sa.update(Task)
            .where(Task.closed_at.is_(None), Task.state == step, Task.appraisal_id.in_(in_period))
            .values(due_date=deadline)
            .execution_options(synchronize_session=False)
        )
        # The few appraisals with a later extension keep it.
        extended = db.session.execute(
            sa.select(DeadlineExtension.appraisal_id, sa.func.max(DeadlineExtension.new_deadline))
            .where(DeadlineExtension.step == step, DeadlineExtension.appraisal_id.in_(in_period))
            .group_by(DeadlineExtension.appraisal_id)
        ).all()
        for appraisal_id, until in extended:
            if until > deadline:
                db.session.execute(
                    sa.update(Task)
                    .where(
                        Task.closed_at.is_(None),
                        Task.state == step,
                        Task.appraisal_id == appraisal_id,
                    )
                    .values(due_date=until)
                    .execution_options(synchronize_session=False)
                )


def reminder_window(kind: str, state: StateSpec, today: date) -> list[sa.ColumnElement[bool]]:
    """Which open tasks at `state` a reminder of `kind` is for today, by their due date.

    due_soon: due within the state's remind_before_days; overdue: past due;
    escalation (any other kind): overdue by escalate_after_days (at least one).
    The callers add whom they tell and what was told already.
    """
    if kind == "due_soon":
        return [
            Task.due_date >= today,
            Task.due_date <= today + timedelta(days=state.remind_before_days),
        ]
    if kind == "overdue":
        return [Task.due_date < today]
    return [Task.due_date <= today - timedelta(days=max(state.escalate_after_days, 1))]
