"""The starter Pustaka IKI (app/seed/pustaka_iki.yaml), loaded by `flask seed-demo`.

Idempotent: an entry whose code is already in the library is left as it is
(admin BKD may have edited or retired it); only missing codes are added. Every
row passes the same checks as an XLSX import; a wrong row stops the load.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
import yaml

from app.extensions import db
from app.models import LibraryEntry
from app.pustaka.rows import EntryData, check_row
from app.pustaka.services import create_entry

STARTER = Path(__file__).with_name("pustaka_iki.yaml")
FIELDS = (
    "code", "iki_text", "aspect", "unit", "direction", "target_min", "target_max",
    "measurement", "evidence",
)  # fmt: skip


def starter_entries(path: Path = STARTER) -> list[EntryData]:
    """The starter library's entries, checked; raises ValueError naming a wrong one."""
    blocks = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = []
    for block in blocks:
        for item in block["iki"]:
            cells = dict(zip(FIELDS, item, strict=True))
            if cells["direction"] == "quality":
                # A qualitative IKI carries its suggested target in words where a number would be.
                cells["target_text"], cells["target_min"] = cells["target_min"], None
            cells |= {
                "function": block["fungsi"],
                "jabatan": "\n".join(block["jabatan"]),
                "rhk_text": block["rhk"],
            }
            data, errors = check_row(cells)
            if data is None:
                raise ValueError(f"{path.name}, {cells['code']}: {'; '.join(errors)}")
            entries.append(data)
    return entries


def seed_pustaka() -> int:
    """Add the starter entries that are not in the library yet; returns how many."""
    entries = starter_entries()
    present = set(db.session.scalars(sa.select(LibraryEntry.code)))
    added = 0
    for data in entries:
        if data.code not in present:
            create_entry(data, None)
            added += 1
    return added
