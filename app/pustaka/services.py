"""The library's one write path: create, propose, edit, approve/reject, retire/restore.

Why not app.workflow: its engine, audit chain and tasks are built around an
appraisal (fire() takes an Appraisal, audit events hang off appraisal_id), and
an entry has no period, appraiser or deadline. The life of an entry is four
statuses and six moves, so this module is a guarded-status service instead:
each move names the status it starts from (MOVES), and every write is one
compare-and-set UPDATE on (id, version, status), the same pattern as
app.workflow.locking. Zero rows means someone acted first: nothing is written
and StaleEntry says who moved the entry to what. Each write appends a
LibraryEntryChange (who, what, from, to, why, when). Services flush, never commit.
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa

from app.extensions import db
from app.models import Account, LibraryEntry, LibraryEntryChange, Opd
from app.models.types import utcnow
from app.pustaka.rows import EntryData

# action -> (the statuses it may start from, the status it leaves). Edit keeps the status.
MOVES: dict[str, tuple[tuple[str, ...], str | None]] = {
    "edit": (("proposed", "approved", "rejected", "retired"), None),
    "approve": (("proposed",), "approved"),
    "reject": (("proposed",), "rejected"),
    "retire": (("approved",), "retired"),
    "restore": (("retired",), "approved"),
}


class StaleEntry(RuntimeError):
    """Someone changed the entry since the form was shown; carries their latest change."""

    def __init__(self, latest: LibraryEntryChange | None):
        super().__init__("library entry changed meanwhile")
        self.latest = latest


class MoveRefused(ValueError):
    """The move does not apply to the entry's status, or misses its reason."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class DuplicateCode(ValueError):
    """Another entry already has this code."""


def get_entry(entry_id: int) -> LibraryEntry | None:
    return db.session.get(LibraryEntry, entry_id)


def latest_change(entry_id: int) -> LibraryEntryChange | None:
    return db.session.scalars(
        sa.select(LibraryEntryChange)
        .where(LibraryEntryChange.entry_id == entry_id)
        .order_by(LibraryEntryChange.changed_at.desc(), LibraryEntryChange.id.desc())
        .limit(1)
    ).first()


def changes(entry_id: int) -> list[LibraryEntryChange]:
    """The entry's audit trail, newest first, with who did it."""
    return list(
        db.session.scalars(
            sa.select(LibraryEntryChange)
            .where(LibraryEntryChange.entry_id == entry_id)
            .options(sa.orm.joinedload(LibraryEntryChange.actor))
            .order_by(LibraryEntryChange.changed_at.desc(), LibraryEntryChange.id.desc())
        )
    )


def _record(
    entry_id: int, action: str, from_status: str | None, to_status: str, actor, reason=None
) -> None:
    db.session.add(
        LibraryEntryChange(
            entry_id=entry_id,
            action=action,
            from_status=from_status,
            to_status=to_status,
            reason=(reason or "").strip() or None,
            actor_id=actor.employee_id if actor is not None else None,
            changed_at=utcnow(),
        )
    )


def _code_taken(code: str, exclude_id: int | None = None) -> bool:
    query = sa.select(LibraryEntry.id).where(LibraryEntry.code == code)
    if exclude_id is not None:
        query = query.where(LibraryEntry.id != exclude_id)
    return db.session.scalar(query.limit(1)) is not None


def create_entry(data: EntryData, actor: Account | None, *, action: str = "create") -> LibraryEntry:
    """Add an approved entry (admin BKD, an import, the starter library)."""
    if _code_taken(data.code):
        raise DuplicateCode(data.code)
    now = utcnow()
    entry = LibraryEntry(**data.values(), status="approved", created_at=now, updated_at=now)
    db.session.add(entry)
    db.session.flush()
    _record(entry.id, action, None, "approved", actor)
    db.session.flush()
    return entry


def propose_entry(data: EntryData, actor: Account, opd: Opd) -> LibraryEntry:
    """A kepala OPD's proposal: waits for BKD; its code is given here (USUL-…)."""
    now = utcnow()
    values = data.values() | {"code": "USUL-" + secrets.token_hex(4).upper()}
    entry = LibraryEntry(
        **values,
        status="proposed",
        proposed_by_id=actor.employee_id,
        proposed_opd_id=opd.id,
        created_at=now,
        updated_at=now,
    )
    db.session.add(entry)
    db.session.flush()
    _record(entry.id, "propose", None, "proposed", actor)
    db.session.flush()
    return entry


def _move(
    entry: LibraryEntry,
    action: str,
    actor: Account | None,
    seen_version: int,
    values: dict,
    reason: str | None = None,
    *,
    recorded_as: str | None = None,
) -> None:
    """Compare-and-set: apply `values` if the entry is still at `seen_version` and status."""
    sources, dest = MOVES[action]
    if entry.version != seen_version:
        # The form is older than the entry: whoever moved it is named, whatever it is now.
        raise StaleEntry(latest_change(entry.id))
    if entry.status not in sources:
        raise MoveRefused("status")
    before = entry.status
    values = dict(values, version=LibraryEntry.version + 1, updated_at=utcnow())
    if dest is not None:
        values["status"] = dest
    done = db.session.execute(
        sa.update(LibraryEntry)
        .where(
            LibraryEntry.id == entry.id,
            LibraryEntry.version == seen_version,
            LibraryEntry.status.in_(sources),
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        raise StaleEntry(latest_change(entry.id))
    _record(entry.id, recorded_as or action, before, dest or before, actor, reason)
    db.session.flush()
    db.session.refresh(entry)


def edit_entry(
    entry: LibraryEntry,
    data: EntryData,
    actor: Account,
    *,
    seen_version: int,
    action: str = "edit",
) -> None:
    """Change an entry's content (admin BKD, or an import); its status stays."""
    if _code_taken(data.code, exclude_id=entry.id):
        raise DuplicateCode(data.code)
    _move(entry, "edit", actor, seen_version, data.values(), recorded_as=action)


def review_entry(
    entry: LibraryEntry, decision: str, actor: Account, *, seen_version: int, reason: str | None
) -> None:
    """Approve or reject a proposal; a rejection needs its reason, told to the proposer."""
    if decision not in ("approve", "reject"):
        raise MoveRefused("decision")
    reason = (reason or "").strip() or None
    if decision == "reject" and not reason:
        raise MoveRefused("reason")
    _move(entry, decision, actor, seen_version, {"review_reason": reason}, reason)


def retire_entry(
    entry: LibraryEntry, actor: Account, *, seen_version: int, restore: bool = False
) -> None:
    """Take an entry out of the plan editor (IKIs taken from it keep their reference), or back."""
    _move(entry, "restore" if restore else "retire", actor, seen_version, {})
