"""Helpers for tests that need a capaian kinerja organisasi (and so an organisation predikat)."""

from decimal import Decimal

from app.extensions import db
from app.models import OrgAchievement
from app.skp.scoring import DEFAULT_ORG_BANDS


def set_capaian(opd_id: int, period_id: int, predikat: str, unit_id: int | None = None):
    """Give the OPD (or unit) the lowest capaian of `predikat` in the default table; flushes."""
    row = OrgAchievement(
        opd_id=opd_id,
        unit_id=unit_id,
        period_id=period_id,
        capaian=Decimal(DEFAULT_ORG_BANDS[predikat]),
        reason="Ditetapkan untuk pengujian.",
    )
    db.session.add(row)
    db.session.flush()
    return row
