"""The Pustaka IKI in the plan editor: the entries for the pegawai's jabatan first, then the rest.

The panel reads every approved entry in one statement (the library holds
hundreds, not millions) and orders them here (app.pustaka.matching). Adding an
entry is an editor button like "add IKI": it puts a pre-filled RHK row (or an
IKI under the RHK of the same text) into what was typed, writes nothing, and
the pegawai adapts it and saves. The IKI keeps the entry's id, which counts its use.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.models import Appraisal, LibraryEntry
from app.models.pustaka import FUNCTIONS
from app.pustaka import matching, queries, services
from app.skp.numbers import format_number
from app.skp.plan.forms import MAX_IKI, MAX_RHK, OpRefused, _grouped, empty_rhk

# How many entries of other jabatan the panel lists before asking for a search.
OTHERS_SHOWN = 20


@dataclass
class LibraryPanel:
    """What the plan editor shows of the library."""

    position_name: str
    mine: list[LibraryEntry]
    others: list[LibraryEntry]
    more: int  # other entries matching the search that are not listed
    q: str
    function: str


def _position_name(appraisal: Appraisal) -> str:
    position = appraisal.employee.position
    return appraisal.position_name or (position.name if position else "")


def _matches(entry: LibraryEntry, q: str) -> bool:
    words = q.lower().split()
    haystack = " ".join((entry.code, entry.iki_text, entry.rhk_text, entry.jabatan)).lower()
    return all(word in haystack for word in words)


def library_panel(appraisal: Appraisal, q: str | None, function: str | None) -> LibraryPanel:
    """The entries for the appraisee's jabatan (best fit first), and others by function."""
    q = (q or "").strip()[:100]
    function = function if function in FUNCTIONS else ""
    entries = queries.approved_entries()
    name = _position_name(appraisal)
    mine = matching.for_jabatan(name, entries)
    others = matching.others_by_function(mine, entries, FUNCTIONS)
    if function:
        others = [e for e in others if e.function == function]
    if q:
        mine = [e for e in mine if _matches(e, q)]
        others = [e for e in others if _matches(e, q)]
    return LibraryPanel(
        name, mine, others[:OTHERS_SHOWN], max(0, len(others) - OTHERS_SHOWN), q, function
    )


def approved_entry(entry_id: int | None) -> LibraryEntry | None:
    """The entry a button names, if it is approved (a retired one is no longer offered)."""
    entry = services.get_entry(entry_id) if entry_id is not None else None
    return entry if entry is not None and entry.status == "approved" else None


def iki_row(entry: LibraryEntry) -> dict:
    """The entry as a plan form's IKI row: text, aspect, the low end of the suggested target."""
    numeric = entry.direction != "quality"
    target = entry.target_min if entry.target_min is not None else entry.target_max
    return {
        "id": "",
        "text": entry.iki_text,
        "aspect": entry.aspect,
        "perspective": "",
        "target_kind": "number" if numeric else "text",
        "target_value": format_number(target) if numeric and target is not None else "",
        "target_unit": (entry.unit or "") if numeric else "",
        "target_text": "" if numeric else (entry.target_text or ""),
        "direction": entry.direction if numeric else "higher",
        "tolerance": "",
        "library_entry_id": str(entry.id),
    }


def add_from_library(rows: list[dict], entry: LibraryEntry) -> list[dict]:
    """Put the entry into the typed rows: under an RHK of the same text, else as a new UTAMA."""
    rows = [dict(r, ikis=list(r["ikis"])) for r in rows]
    same = [r for r in rows if r["text"].strip().casefold() == entry.rhk_text.strip().casefold()]
    if same:
        if len(same[0]["ikis"]) >= MAX_IKI:
            raise OpRefused
        same[0]["ikis"].append(iki_row(entry))
        return rows
    if len(rows) >= MAX_RHK:
        raise OpRefused
    row = empty_rhk("utama") | {"text": entry.rhk_text, "ikis": [iki_row(entry)]}
    rows.append(row)
    return _grouped(rows)
