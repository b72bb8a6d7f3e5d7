"""The demo's Perjanjian Kinerja: Dinas Kesehatan's sasaran and indicators this year.

Idempotent: an OPD that has a PK for the year keeps it as it is.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from app.extensions import db
from app.models import Opd
from app.pk.services import add_indikator, add_sasaran, ensure_pk, pk_for, set_realisasi

D = Decimal
# sasaran -> [(indicator, unit, direction, year target, quarter targets, TW I realisasi)]
DINKES = {
    "Meningkatnya derajat kesehatan masyarakat": [
        ("Cakupan imunisasi dasar lengkap", "%", "higher", D(95), (20, 45, 70, 95), D(19)),
        ("Angka kematian ibu per 100.000 kelahiran hidup", "kasus", "lower", D(60),
         (15, 15, 15, 15), D(12)),
    ],
    "Meningkatnya mutu pelayanan kesehatan": [
        ("Indeks kepuasan masyarakat pada puskesmas", "indeks", "higher", D(85),
         (82, 83, 84, 85), D(80)),
    ],
}  # fmt: skip


def seed_pk(year: int | None = None) -> bool:
    """Write the demo PK of Dinas Kesehatan for the year if it has none; flushes."""
    year = year or date.today().year
    opd = db.session.scalar(sa.select(Opd).where(Opd.code == "DINKES"))
    if opd is None or pk_for(opd.id, year) is not None:
        return False
    pk = ensure_pk(opd.id, year)
    for text, indicators in DINKES.items():
        sasaran = add_sasaran(pk, text)
        for name, unit, direction, target, quarters, first in indicators:
            indikator = add_indikator(
                sasaran,
                text=name,
                unit=unit,
                direction=direction,
                tolerance=None,
                target_year=target,
                quarters={q: D(v) for q, v in enumerate(quarters, start=1)},
            )
            set_realisasi(indikator, 1, first)
    return True
