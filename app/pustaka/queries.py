"""What the library's pages read: the list with its filters, usage, plans using none, proposals."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Appraisal, Employee, Iki, LibraryEntry, Opd, Period, Rhk
from app.models.pustaka import FUNCTIONS

FUNCTION_ORDER = sa.case({name: i for i, name in enumerate(FUNCTIONS)}, value=LibraryEntry.function)
PAGE = 50


def _like(q: str) -> str:
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def search_filter(q: str | None) -> sa.ColumnElement[bool]:
    """Entries whose IKI, RHK, jabatan or code contain the words typed (case-insensitive)."""
    q = (q or "").strip()
    if not q:
        return sa.true()
    pattern = _like(q)
    return sa.or_(
        *(
            sa.func.lower(column).like(pattern, escape="\\")
            for column in (LibraryEntry.iki_text, LibraryEntry.rhk_text, LibraryEntry.jabatan)
        ),
        LibraryEntry.code == q.upper(),
    )


def list_entries(
    status: str | None, function: str | None, q: str | None
) -> list[tuple[LibraryEntry, int]]:
    """Entries (with how many IKI were taken from each) by function and code; one statement."""
    used = (
        sa.select(sa.func.count(Iki.id))
        .where(Iki.library_entry_id == LibraryEntry.id)
        .scalar_subquery()
    )
    query = sa.select(LibraryEntry, used).where(search_filter(q))
    if status:
        query = query.where(LibraryEntry.status == status)
    if function:
        query = query.where(LibraryEntry.function == function)
    return [
        (entry, count)
        for entry, count in db.session.execute(
            query.order_by(FUNCTION_ORDER, LibraryEntry.code)
        ).all()
    ]


def waiting_proposals() -> int:
    """How many proposals wait for BKD's decision."""
    proposed = LibraryEntry.status == "proposed"
    return db.session.scalar(sa.select(sa.func.count()).select_from(LibraryEntry).where(proposed))


def proposals_of(opd_ids: list[int]) -> list[LibraryEntry]:
    """The proposals made for these OPDs, newest first (the kepala OPD's own list)."""
    if not opd_ids:
        return []
    return list(
        db.session.scalars(
            sa.select(LibraryEntry)
            .where(LibraryEntry.proposed_opd_id.in_(opd_ids))
            .order_by(LibraryEntry.created_at.desc(), LibraryEntry.id.desc())
            .limit(PAGE)
        )
    )


def approved_entries() -> list[LibraryEntry]:
    """Every approved entry, by function and code: what the plan editor offers."""
    return list(
        db.session.scalars(
            sa.select(LibraryEntry)
            .where(LibraryEntry.status == "approved")
            .order_by(FUNCTION_ORDER, LibraryEntry.code)
        )
    )


def periods() -> list[Period]:
    return list(db.session.scalars(sa.select(Period).order_by(Period.year.desc(), Period.kind)))


@dataclass
class Usage:
    """The usage report of one period."""

    entries: list[tuple[LibraryEntry, int, int]]  # entry, IKI taken from it, plans using it
    plans_total: int  # plans (appraisals with at least one RHK) in the period
    without_total: int  # of which none of whose IKI came from the library
    without: list[tuple[Appraisal, Employee, Opd | None]]  # the first PAGE of those


def usage(period_id: int) -> Usage:
    """How often each entry is used in the period's plans, and which plans use none."""
    in_period = (
        sa.select(Iki.library_entry_id, Iki.id, Rhk.appraisal_id)
        .join(Rhk, Rhk.id == Iki.rhk_id)
        .join(Appraisal, Appraisal.id == Rhk.appraisal_id)
        .where(Appraisal.period_id == period_id, Iki.library_entry_id.is_not(None))
        .subquery()
    )
    counts = (
        sa.select(
            in_period.c.library_entry_id,
            sa.func.count(in_period.c.id).label("ikis"),
            sa.func.count(sa.distinct(in_period.c.appraisal_id)).label("plans"),
        )
        .group_by(in_period.c.library_entry_id)
        .subquery()
    )
    entries = [
        (entry, ikis or 0, plans or 0)
        for entry, ikis, plans in db.session.execute(
            sa.select(LibraryEntry, counts.c.ikis, counts.c.plans)
            .outerjoin(counts, counts.c.library_entry_id == LibraryEntry.id)
            .where(sa.or_(LibraryEntry.status == "approved", counts.c.ikis.is_not(None)))
            .order_by(sa.func.coalesce(counts.c.ikis, 0).desc(), FUNCTION_ORDER, LibraryEntry.code)
        ).all()
    ]
    has_plan = sa.select(Rhk.id).where(Rhk.appraisal_id == Appraisal.id).exists()
    uses_library = (
        sa.select(Iki.id)
        .join(Rhk, Rhk.id == Iki.rhk_id)
        .where(Rhk.appraisal_id == Appraisal.id, Iki.library_entry_id.is_not(None))
        .exists()
    )
    totals = db.session.execute(
        sa.select(
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(sa.case((uses_library, 0), else_=1)), 0),
        ).where(Appraisal.period_id == period_id, has_plan)
    ).one()
    without = [
        tuple(row)
        for row in db.session.execute(
            sa.select(Appraisal, Employee, Opd)
            .join(Employee, Employee.id == Appraisal.employee_id)
            .outerjoin(Opd, Opd.id == Appraisal.opd_id)
            .where(Appraisal.period_id == period_id, has_plan, ~uses_library)
            .order_by(Opd.code, Employee.name, Appraisal.id)
            .limit(PAGE)
        ).all()
    ]
    return Usage(entries, int(totals[0]), int(totals[1]), without)


def entry_with_people(entry_id: int) -> LibraryEntry | None:
    return db.session.scalars(
        sa.select(LibraryEntry)
        .where(LibraryEntry.id == entry_id)
        .options(joinedload(LibraryEntry.proposed_by), joinedload(LibraryEntry.proposed_opd))
    ).first()
