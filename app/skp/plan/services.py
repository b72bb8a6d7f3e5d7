"""The SKP plan: its rows, the atasan's RHK it may link to, what blocks submitting it, copying.

Services flush and never commit. Each write first holds the version the form
was rendered at (`hold_version`), so an edit never lands in a later step.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import (
    Account,
    Appraisal,
    Iki,
    IkiPart,
    LibraryEntry,
    Period,
    Rhk,
    TeamAssignment,
    TimKerja,
    TimKerjaMember,
)
from app.skp.plan.told import Change, supporters, tell_staff
from app.workflow.locking import hold_version


@dataclass
class IkiInput:
    """One IKI as validated by the plan form."""

    id: int | None
    text: str
    aspect: str | None
    perspective: str | None
    target_kind: str
    target_value: Decimal | None
    target_unit: str | None
    target_text: str | None
    # How the realisasi is read against the target (app/skp/capaian.py).
    direction: str = "higher"
    tolerance: Decimal | None = None
    # The Pustaka IKI entry it was taken from; kept only if the entry exists.
    library_entry_id: int | None = None
    # How the annual realisasi follows from the quarters' (app/skp/periodic.py).
    accumulation: str = "sum"
    # The unit layanan whose IKM is the realisasi (checked against the OPD by the form).
    service_unit_id: int | None = None
    # (target, rencana aksi) for each quarter (or month) in order; empty: not an annual plan.
    parts: list[tuple[Decimal | None, str | None]] = field(default_factory=list)


@dataclass
class RhkInput:
    """One RHK as validated by the plan form, with its IKIs in order."""

    id: int | None
    group: str
    text: str
    atasan_rhk_id: int | None
    ikis: list[IkiInput] = field(default_factory=list)


class NothingToCopy(LookupError):
    """The appraisee has no other appraisal with a plan."""


class PlanNotEmpty(RuntimeError):
    """Copying would replace a plan that already has rows, and that was not confirmed."""


def is_jpt(appraisal: Appraisal) -> bool:
    """Whether the appraisee holds a JPT position (perspektif instead of aspect and link)."""
    position = appraisal.employee.position
    return position is not None and position.kind == "jpt"


PLAN_ORDER = (sa.case((Rhk.group_ == "utama", 0), else_=1), Rhk.position, Rhk.id)


def plan_rows(appraisal_id: int, *, evidence: bool = True, parts: bool = False) -> list[Rhk]:
    """The plan's RHK, UTAMA first, in order, with their IKI (and evidence) loaded.

    One statement: the IKI (and their bukti dukung) are joined to their RHK; the
    appraisal page asks this of every draft it shows. `parts` loads the IKI's
    periodic targets and rencana aksi too (one more statement).
    """
    ikis = joinedload(Rhk.ikis)
    options = [ikis.joinedload(Iki.evidence) if evidence else ikis]
    if parts:
        options.append(ikis.selectinload(Iki.parts))
    return list(
        db.session.scalars(
            sa.select(Rhk)
            .where(Rhk.appraisal_id == appraisal_id)
            .options(*options)
            .order_by(*PLAN_ORDER)
        ).unique()
    )


def atasan_rhk_options(appraisal: Appraisal) -> list[Rhk]:
    """The RHK a non-JPT RHK of this plan may support: those of the appraiser's own SKP for
    the same period, and those an atasan gave to a tim kerja the appraisee is in.

    The appraiser's plan need not be approved yet: staff may draft and link early.
    A team crosses units, so a member's shared result may support the RHK of an
    atasan other than their own (app/cascade/teams.py).
    """
    return list(
        db.session.scalars(
            sa.select(Rhk).where(Rhk.id.in_(_atasan_rhk_ids(appraisal))).order_by(*PLAN_ORDER)
        )
    )


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _atasan_rhk_ids(appraisal: Appraisal) -> sa.Select:
    """The ids of the RHK of the appraiser's SKP for the same period, and of the RHK given
    to a tim kerja of the period the appraisee is in."""
    theirs = sa.orm.aliased(Appraisal)
    atasan = sa.orm.aliased(Rhk)
    own = (
        sa.select(atasan.id)
        .join(theirs, theirs.id == atasan.appraisal_id)
        .where(
            theirs.employee_id == appraisal.appraiser_id,
            theirs.period_id == appraisal.period_id,
            *_overlapping(theirs, appraisal),
        )
    )
    teams = (
        sa.select(TeamAssignment.atasan_rhk_id)
        .join(TimKerja, TimKerja.id == TeamAssignment.tim_kerja_id)
        .join(TimKerjaMember, TimKerjaMember.tim_kerja_id == TimKerja.id)
        .where(
            TimKerjaMember.employee_id == appraisal.employee_id,
            TimKerja.period_id == appraisal.period_id,
        )
    )
    return sa.union(own, teams) if appraisal.appraiser_id is not None else teams


def _overlapping(theirs, appraisal: Appraisal) -> tuple[sa.ColumnElement[bool], ...]:
    """The appraiser's SKP segments that cover part of this segment's months.

    After a move the appraiser may have several segments in the period; a plan
    supports the atasan's RHK of the jabatan they held over the same months.
    """
    return (theirs.start_date <= appraisal.end_date, theirs.end_date >= appraisal.start_date)


SAVED_ROWS_KEY = "sikap.saved_plan_rows"


def remember_saved_rows(appraisal: Appraisal, rows: list[Rhk], valid_links: set[int]) -> None:
    """Keep the plan's saved RHK (with IKI) and their links' validity for this request, so
    that the submit guard, asked by the same page, need not read them again."""
    # On the request itself (not `g`, which outlives it where an app context is kept).
    remembered = request.environ.setdefault(SAVED_ROWS_KEY, {})
    remembered[(appraisal.id, appraisal.version)] = [
        (rhk, rhk.atasan_rhk_id in valid_links) for rhk in rows
    ]


def _rows_with_links(appraisal: Appraisal) -> list[tuple[Rhk, bool]]:
    """The plan's RHK with their IKI, each with whether its link is valid: one statement,
    or none when the page has read the same version of the plan already."""
    remembered = None
    if has_request_context():
        remembered = request.environ.get(SAVED_ROWS_KEY, {}).get((appraisal.id, appraisal.version))
    if remembered is not None:
        return remembered
    linked = Rhk.atasan_rhk_id.in_(_atasan_rhk_ids(appraisal))
    result = db.session.execute(
        sa.select(Rhk, linked.label("linked"))
        .where(Rhk.appraisal_id == appraisal.id)
        .options(joinedload(Rhk.ikis))
        .order_by(*PLAN_ORDER)
    ).unique()
    return [(rhk, bool(ok)) for rhk, ok in result]


def plan_problems(
    appraisal: Appraisal, rows: list[Rhk] | None = None, valid_links: set[int] | None = None
) -> list[str]:
    """What must change before the plan can be submitted; empty when it is complete.

    Pass the rows (with IKI) and the valid link ids when the page has them already;
    otherwise they are read in one statement (the guard runs on every draft's page).
    """
    if rows is None or valid_links is None:
        pairs = _rows_with_links(appraisal)
    else:
        pairs = [(rhk, rhk.atasan_rhk_id in valid_links) for rhk in rows]
    jpt = is_jpt(appraisal)
    problems: list[str] = []
    if not any(rhk.group_ == "utama" for rhk, _ in pairs):
        problems.append(str(_l("Add at least one hasil kerja UTAMA.")))
    unlinked = False
    for rhk, linked in pairs:
        name = _short(rhk.text)
        if not rhk.ikis:
            problems.append(str(_l("Hasil kerja “%(rhk)s” has no IKI.", rhk=name)))
        if not jpt and rhk.group_ == "utama" and not linked:
            unlinked = True
            problems.append(
                str(
                    _l(
                        "Hasil kerja UTAMA “%(rhk)s” is not linked to an RHK of your atasan's SKP.",
                        rhk=name,
                    )
                )
            )
        for iki in rhk.ikis:
            if not _has_target(iki):
                problems.append(str(_l("IKI “%(iki)s” has no target.", iki=_short(iki.text))))
            if jpt and not iki.perspective:
                problems.append(str(_l("IKI “%(iki)s” has no perspektif.", iki=_short(iki.text))))
            if not jpt and not iki.aspect:
                problems.append(str(_l("IKI “%(iki)s” has no aspect.", iki=_short(iki.text))))
    if unlinked and not _atasan_has_plan(appraisal, valid_links):
        problems.append(
            str(_l("Your atasan has no RHK for this period yet; ask them to draft their plan."))
        )
    return problems


def _atasan_has_plan(appraisal: Appraisal, valid_links: set[int] | None) -> bool:
    if valid_links is not None:
        return bool(valid_links)
    return db.session.scalar(sa.select(_atasan_rhk_ids(appraisal).exists())) or False


def _has_target(iki: Iki) -> bool:
    if iki.target_kind == "number":
        return iki.target_value is not None and bool((iki.target_unit or "").strip())
    return bool((iki.target_text or "").strip())


def save_plan(
    appraisal: Appraisal,
    actor: Account,
    approach: str,
    rows: list[RhkInput],
    *,
    seen_version: int,
) -> None:
    """Make the plan exactly `rows`, in that order, keeping the ids of rows that stay.

    Ids are kept because staff link to this plan's RHK: replacing the rows would
    silently cut those links. Ids from another appraisal are treated as new rows.
    """
    hold_version(appraisal, seen_version)
    jpt = is_jpt(appraisal)
    entries = _library_ids(rows)
    existing = {rhk.id: rhk for rhk in plan_rows(appraisal.id, parts=True)}
    before = {rhk_id: rhk.text for rhk_id, rhk in existing.items()}
    # Read before any row goes: removing an RHK sets its supporters' links to NULL.
    linked = supporters(set(existing))
    kept: set[int] = set()
    positions: Counter[str] = Counter()
    for row in rows:
        rhk = existing.get(row.id) if row.id is not None else None
        if rhk is None or rhk.id in kept:
            rhk = Rhk(appraisal_id=appraisal.id)
            db.session.add(rhk)
        else:
            kept.add(rhk.id)
        rhk.group_ = row.group
        rhk.position = positions[row.group]
        positions[row.group] += 1
        rhk.text = row.text
        rhk.atasan_rhk_id = None if jpt else row.atasan_rhk_id
        rhk.ikis = _ikis(rhk, row.ikis, jpt, entries)
    changes = {
        rhk_id: Change(before[rhk_id], rhk.text if rhk_id in kept else None)
        for rhk_id, rhk in existing.items()
        if rhk_id not in kept or rhk.text != before[rhk_id]
    }
    for rhk_id, rhk in existing.items():
        if rhk_id not in kept:
            db.session.delete(rhk)
    tell_staff(appraisal, changes, linked)
    appraisal.approach = approach
    if actor.employee_id != appraisal.employee_id:
        # Only a pengelola kinerja edits another's plan (app.policy.can_edit_plan):
        # the plan says who drafted it (PermenPANRB 8/2021, Bab II A.4).
        appraisal.plan_drafted_by_id = actor.employee_id
    db.session.flush()


def _library_ids(rows: list[RhkInput]) -> set[int]:
    """The library entries named by the rows that exist: a hidden field is only a claim."""
    named = {iki.library_entry_id for row in rows for iki in row.ikis} - {None}
    if not named:
        return set()
    return set(db.session.scalars(sa.select(LibraryEntry.id).where(LibraryEntry.id.in_(named))))


def _ikis(rhk: Rhk, rows: list[IkiInput], jpt: bool, entries: set[int]) -> list[Iki]:
    current = {iki.id: iki for iki in rhk.ikis} if rhk.id is not None else {}
    result: list[Iki] = []
    for position, row in enumerate(rows):
        iki = current.pop(row.id, None) if row.id is not None else None
        iki = iki or Iki()
        numeric = row.target_kind == "number"
        iki.position = position
        iki.text = row.text
        iki.aspect = None if jpt else row.aspect
        iki.perspective = row.perspective if jpt else None
        iki.target_kind = row.target_kind
        iki.target_value = row.target_value if numeric else None
        iki.target_unit = row.target_unit if numeric else None
        iki.target_text = None if numeric else row.target_text
        # A target in words can only be judged in words: qualitative.
        iki.direction = row.direction if numeric else "quality"
        iki.tolerance = row.tolerance if numeric and row.direction == "exact" else None
        iki.library_entry_id = row.library_entry_id if row.library_entry_id in entries else None
        iki.accumulation = row.accumulation
        iki.service_unit_id = row.service_unit_id if numeric else None
        _set_parts(iki, row.parts)
        result.append(iki)
    return result


def _set_parts(iki: Iki, parts: list[tuple[Decimal | None, str | None]]) -> None:
    """Make the IKI's periodic targets `parts` (1, 2, ...); an empty quarter has no row."""
    current = {part.part: part for part in iki.parts} if iki.id is not None else {}
    rows: list[IkiPart] = []
    for number, (target, rencana_aksi) in enumerate(parts, start=1):
        if target is None and not rencana_aksi:
            continue
        part = current.get(number) or IkiPart(part=number)
        part.target_value = target
        part.rencana_aksi = rencana_aksi
        rows.append(part)
    iki.parts = rows


def last_plan_source(appraisal: Appraisal) -> Appraisal | None:
    """The appraisee's most recent other appraisal that has a plan (by period, then age)."""
    has_rows = sa.select(Rhk.id).where(Rhk.appraisal_id == Appraisal.id).exists()
    return db.session.scalars(
        sa.select(Appraisal)
        .join(Period, Period.id == Appraisal.period_id)
        .where(
            Appraisal.employee_id == appraisal.employee_id,
            Appraisal.id != appraisal.id,
            has_rows,
        )
        .order_by(Period.end_date.desc(), Period.start_date.desc(), Appraisal.id.desc())
        .limit(1)
    ).first()


def copy_last_plan(
    appraisal: Appraisal, actor: Account, *, seen_version: int, replace: bool = False
) -> Appraisal:
    """Start the plan from the last one: RHK and IKI text, groups, aspects/perspektif, targets.

    Realisasi, evidence and feedback are not copied. A link to an atasan RHK is
    kept when it still points into the atasan's SKP for this period; otherwise it
    follows an RHK with the same text there (the atasan often copies their plan
    too), or is left empty for the appraisee to choose. Returns the source.
    """
    source = last_plan_source(appraisal)
    if source is None:
        raise NothingToCopy
    current = plan_rows(appraisal.id)
    if current and not replace:
        raise PlanNotEmpty
    hold_version(appraisal, seen_version)
    for rhk in current:
        db.session.delete(rhk)
    db.session.flush()

    jpt = is_jpt(appraisal)
    options = [] if jpt else atasan_rhk_options(appraisal)
    valid = {r.id for r in options}
    by_text: dict[str, list[int]] = {}
    for option in options:
        by_text.setdefault(option.text.strip(), []).append(option.id)

    for old in plan_rows(source.id, parts=True):
        link = None
        if not jpt and old.atasan_rhk_id is not None:
            if old.atasan_rhk_id in valid:
                link = old.atasan_rhk_id
            else:
                same = by_text.get(old.atasan_rhk.text.strip(), []) if old.atasan_rhk else []
                link = same[0] if len(same) == 1 else None
        rhk = Rhk(
            appraisal_id=appraisal.id,
            group_=old.group_,
            position=old.position,
            text=old.text,
            atasan_rhk_id=link,
        )
        rhk.ikis = [
            Iki(
                position=iki.position,
                text=iki.text,
                aspect=None if jpt else iki.aspect,
                perspective=iki.perspective if jpt else None,
                target_kind=iki.target_kind,
                target_value=iki.target_value,
                target_unit=iki.target_unit,
                target_text=iki.target_text,
                direction=iki.direction,
                tolerance=iki.tolerance,
                library_entry_id=iki.library_entry_id,
                accumulation=iki.accumulation,
                # A unit layanan is the OPD's: kept only within the same OPD.
                service_unit_id=iki.service_unit_id if source.opd_id == appraisal.opd_id else None,
                # Last year's quarterly targets and rencana aksi, to adapt.
                parts=[
                    IkiPart(part=p.part, target_value=p.target_value, rencana_aksi=p.rencana_aksi)
                    for p in iki.parts
                ],
            )
            for iki in old.ikis
        ]
        db.session.add(rhk)
    appraisal.approach = source.approach
    db.session.flush()
    return source
