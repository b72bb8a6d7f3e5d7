"""Open a period for a whole city, set-based: appraisals, first tasks, mails, copied plans.

Work is done in chunks of employees; each chunk is a few bulk statements
(INSERT of many rows, INSERT ... SELECT), never one ORM object at a time, and
every statement adds only what is missing, so running it again (or after a
crash between chunks) completes the work without duplicating any of it.
The opener flushes; whoever drives it commits (see app.periods.jobs).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime

import sqlalchemy as sa

from app.extensions import db
from app.models import (
    Account,
    Appraisal,
    Employee,
    OutboxMessage,
    Period,
    PlanningExclusion,
    Position,
    Task,
)
from app.models.types import utcnow
from app.org.appraisers import NO_ATASAN, NO_KEPALA_DAERAH, NO_SEKDA
from app.outbox.tasks import deliver_after_commit
from app.periods import mail
from app.periods.bulk import bulk_insert as _bulk_insert
from app.periods.bulk import insert_ignoring_duplicates
from app.periods.bulk import window as _window
from app.periods.quarters import copy_annual_plans
from app.periods.structure import ReportingLines
from app.workflow.deadlines import STEP_DEADLINES, due_date
from app.workflow.engine import engine

CHUNK_SIZE = 2500
# Why no pejabat penilai was found (app.org.appraisers) -> the count that says so.
REASON_COUNTS = {
    NO_ATASAN: "no_atasan_tree",
    NO_KEPALA_DAERAH: "no_atasan_kepala_daerah",
    NO_SEKDA: "no_atasan_sekda",
}


@dataclass
class OpenCounts:
    """What one opening run found and did."""

    employees: int = 0  # active employees in the chosen OPDs
    created: int = 0  # appraisals created by this run
    existing: int = 0  # employees who already had one (any segment)
    excluded: int = 0  # excluded from planning by BKD (tugas belajar, CLTN, ...): skipped
    no_atasan: int = 0  # no pejabat penilai could be resolved: skipped (the reasons below)
    no_atasan_tree: int = 0  # nobody up the tree satisfies the rule (vacancies to the top)
    no_atasan_kepala_daerah: int = 0  # the rule names the wali kota, who is not in SIKAP
    no_atasan_sekda: int = 0  # the rule names the sekda, who is not in SIKAP
    kepala_daerah: int = 0  # the wali kota: not an ASN, no SKP
    tasks: int = 0
    mails: int = 0
    plans_copied: int = 0  # quarterly: appraisals given the approved annual plan
    without_plan: int = 0  # quarterly: no approved annual plan to copy

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


class PeriodOpener:
    """Opens `period` for every active employee with an atasan in `opd_ids` (None: all OPDs)."""

    def __init__(
        self,
        period: Period,
        opd_ids: list[int] | None = None,
        *,
        now: datetime | None = None,
        chunk_size: int = CHUNK_SIZE,
        deadline: date | None = None,
    ):
        self.period = period
        self.opd_ids = list(opd_ids) if opd_ids else None
        self.now = now or utcnow()
        self.chunk_size = chunk_size
        # A segment started mid-period has its own deadline for the first step (an
        # extension granted with it); the period's own is long past by then.
        self._deadline_override = deadline
        self.spec = engine().spec(period.workflow)
        self.initial = self.spec.states[self.spec.initial]
        # The appraiser is the atasan on the period's first day, or today if that is later.
        self.on = max(period.start_date, self.now.date())
        self.counts = OpenCounts()
        self.candidates: list[tuple[int, int, int]] = []
        self._existing: set[int] = set()
        self._excluded: set[int] = set()
        self._position_names: dict[int, str] = {}
        self._lines: ReportingLines | None = None
        self._mail: dict[str, mail.RenderedMail] | None = None

    def prepare(self) -> int:
        """Read the organisation and who already has an appraisal; return how many to look at."""
        self._lines = ReportingLines(self.on)
        query = (
            sa.select(Employee.id, Employee.position_id, Position.opd_id)
            .join(Position, Position.id == Employee.position_id)
            .where(Employee.active.is_(True))
            .order_by(Employee.id)
        )
        if self.opd_ids is not None:
            query = query.where(Position.opd_id.in_(self.opd_ids))
        self.candidates = []
        for employee_id, position_id, opd_id, position_name in db.session.execute(
            query.add_columns(Position.name)
        ):
            self.candidates.append((employee_id, position_id, opd_id))
            self._position_names[position_id] = position_name
        # Idempotent per employee: whoever has any segment in the period is done.
        self._existing = set(
            db.session.scalars(
                sa.select(Appraisal.employee_id).where(Appraisal.period_id == self.period.id)
            )
        )
        self._excluded = set(
            db.session.scalars(
                sa.select(PlanningExclusion.employee_id).where(
                    PlanningExclusion.period_id == self.period.id
                )
            )
        )
        self.counts.employees = len(self.candidates)
        return len(self.candidates)

    def chunks(self) -> Iterator[list[tuple[int, int, int]]]:
        for start in range(0, len(self.candidates), self.chunk_size):
            yield self.candidates[start : start + self.chunk_size]

    def run(self) -> OpenCounts:
        """Every chunk in one go (tests, small OPDs); the job runner commits between chunks."""
        self.prepare()
        for chunk in self.chunks():
            self.open_chunk(chunk)
        self.finish()
        return self.counts

    def open_chunk(self, chunk: list[tuple[int, int, int]]) -> None:
        """Appraisals, first tasks, mails and (quarterly) plans for one chunk of employees."""
        self._insert_appraisals(chunk)
        self.start_work([employee_id for employee_id, _, _ in chunk])

    def start_work(self, employee_ids: list[int]) -> None:
        """First tasks, mails and (quarterly) plans of the employees' appraisals that lack them.

        Also the path a new SKP segment takes after a mid-period move (app.periods.segments).
        """
        opened = self._insert_first_tasks(employee_ids)
        if opened and self.initial.task == "appraisee":
            self._queue_mails(opened)
        if opened and self.period.kind != "annual":
            copy_annual_plans(
                self.period, [appraisal_id for appraisal_id, _, _ in opened], self.counts
            )
        db.session.flush()

    def finish(self) -> None:
        """Mark a draft period open once its appraisals exist."""
        if self.period.status == "draft":
            self.period.status = "open"
        db.session.flush()

    def _insert_appraisals(self, chunk: list[tuple[int, int, int]]) -> None:
        rows = []
        for employee_id, position_id, opd_id in chunk:
            if employee_id in self._existing:
                self.counts.existing += 1
                continue
            if self._lines.is_kepala_daerah(position_id):
                self.counts.kepala_daerah += 1
                continue
            if employee_id in self._excluded:
                self.counts.excluded += 1
                continue
            resolution = self._lines.resolve(employee_id, position_id)
            atasan = resolution.found
            if atasan is None:
                # Never skipped silently: counted with the reason (and listed on the
                # period's opening page beforehand, app.periods.unresolved).
                self.counts.no_atasan += 1
                field = REASON_COUNTS[resolution.reason]
                setattr(self.counts, field, getattr(self.counts, field) + 1)
                continue
            rows.append(
                {
                    "employee_id": employee_id,
                    "period_id": self.period.id,
                    "segment": 1,
                    "start_date": self.period.start_date,
                    "end_date": self.period.end_date,
                    "position_id": position_id,
                    "position_name": self._position_names.get(position_id),
                    "opd_id": opd_id,
                    "appraiser_id": atasan.employee_id,
                    "appraiser_acting": atasan.acting,
                    "workflow": self.spec.name,
                    "state": self.initial.name,
                    "version": 1,
                    "approach": "kuantitatif",
                    "created_at": self.now,
                    "updated_at": self.now,
                }
            )
        if rows:
            created = _bulk_insert(insert_ignoring_duplicates(Appraisal), Appraisal, rows)
            self.counts.created += len(created)
            self._existing.update(row["employee_id"] for row in rows)

    def _insert_first_tasks(self, employee_ids: list[int]) -> list[tuple[int, int, int | None]]:
        """Open the initial state's task where an appraisal has none; return those."""
        if self.initial.final or self.initial.task is None:
            return []
        wanted = set(employee_ids)
        candidates = [
            row
            for row in db.session.execute(
                sa.select(Appraisal.id, Appraisal.employee_id, Appraisal.appraiser_id).where(
                    Appraisal.period_id == self.period.id,
                    _window(Appraisal.employee_id, wanted),
                    Appraisal.state == self.initial.name,
                )
            )
            if row.employee_id in wanted
        ]
        if not candidates:
            return []
        # An appraisal outside a final state has an open task once opened; the partial
        # unique index answers this directly. (Two plain queries rather than NOT EXISTS:
        # right after a bulk insert the planner's statistics are stale and a correlated
        # subquery can turn into a scan per row.)
        with_task = set(
            db.session.scalars(
                sa.select(Task.appraisal_id).where(
                    _window(Task.appraisal_id, [row.id for row in candidates]),
                    Task.closed_at.is_(None),
                )
            )
        )
        opened = [row for row in candidates if row.id not in with_task]
        if not opened:
            return []
        due = self._due()
        rows = [
            {
                "appraisal_id": appraisal_id,
                "state": self.initial.name,
                "role": self.initial.task,
                "assignee_id": self._assignee(employee_id, appraiser_id),
                "due_date": due,
                "opened_at": self.now,
            }
            for appraisal_id, employee_id, appraiser_id in opened
        ]
        self.counts.tasks += len(_bulk_insert(insert_ignoring_duplicates(Task), Task, rows))
        return [tuple(row) for row in opened]

    def _deadline(self) -> date | None:
        if self._deadline_override is not None:
            return self._deadline_override
        field = STEP_DEADLINES.get(self.initial.name)
        return getattr(self.period, field) if field else None

    def _due(self) -> date:
        # The one rule (app.workflow.deadlines); a newly opened appraisal has no extension.
        return due_date(self._deadline(), self.now.date(), self.initial.due_days)

    def _assignee(self, employee_id: int, appraiser_id: int | None) -> int | None:
        role = self.initial.task
        if role == "appraisee":
            return employee_id
        if role == "appraiser":
            return appraiser_id
        if role == "appraiser_superior" and appraiser_id is not None:
            if self._lines is None:  # a single new segment (start_work without prepare)
                self._lines = ReportingLines(self.on)
            superior = self._lines.atasan_penilai(employee_id, appraiser_id)
            return superior.employee_id if superior else None
        return None  # a group task: claimed from the inbox

    def _queue_mails(self, opened: list[tuple[int, int, int | None]]) -> None:
        appraisal_of = {employee_id: appraisal_id for appraisal_id, employee_id, _ in opened}
        people = [
            row
            for row in db.session.execute(
                sa.select(Employee.id, Employee.name, Employee.nip, Employee.email, Account.locale)
                .outerjoin(Account, Account.employee_id == Employee.id)
                .where(_window(Employee.id, appraisal_of), Employee.email.is_not(None))
            )
            if row.id in appraisal_of
        ]
        if not people:
            return
        if self._mail is None:
            self._mail = mail.render_once(
                self.period.name,
                self.initial.label,
                self._due(),
                locks=self._deadline() is not None,
            )
            self._url_prefix = mail.appraisal_url_prefix()
        recipients = [
            mail.Recipient(appraisal_of[eid], eid, name, nip, email, locale or "")
            for eid, name, nip, email, locale in people
        ]
        rows = mail.outbox_rows(recipients, self._mail, self._url_prefix, self.now)
        self.counts.mails += len(_bulk_insert(sa.insert(OutboxMessage), OutboxMessage, rows))
        deliver_after_commit()
