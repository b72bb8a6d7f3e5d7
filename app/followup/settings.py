"""The city's follow-up tables stored in FollowupSetting: the 9-box thresholds, the TPP table.

Each is a JSON object of decimal strings under its key; a missing key means the
default of the pure rules (app.followup.talent, app.followup.rules). Saving bumps
the row's version and records who saved it; it flushes, never commits.
"""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal

from wtforms import DecimalField

from app.extensions import db
from app.followup.rules import DEFAULT_TPP, TppTable
from app.followup.talent import DEFAULT_THRESHOLDS, Thresholds
from app.models import Account, FollowupSetting
from app.models.types import utcnow
from app.skp.scoring import PREDIKAT

THRESHOLDS_KEY = "talent_thresholds"
TPP_KEY = "tpp_table"


def _value(key: str) -> dict | None:
    setting = db.session.get(FollowupSetting, key)
    return setting.value if setting else None


def _save(key: str, value: dict, actor: Account) -> FollowupSetting:
    setting = db.session.get(FollowupSetting, key)
    if setting is None:
        setting = FollowupSetting(key=key, value=value, version=1)
        db.session.add(setting)
    else:
        setting.value = value
        setting.version += 1
    setting.updated_by_id = actor.id
    setting.updated_at = utcnow()
    db.session.flush()
    return setting


def thresholds() -> Thresholds:
    """The 9-box thresholds BKD set, or the defaults."""
    value = _value(THRESHOLDS_KEY)
    if not value:
        return DEFAULT_THRESHOLDS
    return Thresholds(**{name: Decimal(str(v)) for name, v in value.items()})


def save_thresholds(new: Thresholds, actor: Account) -> FollowupSetting:
    """Store the 9-box thresholds."""
    return _save(THRESHOLDS_KEY, {k: str(v) for k, v in asdict(new).items()}, actor)


def tpp_table() -> TppTable:
    """The TPP table BKD set, or our reading of the Perwali (DEFAULT_TPP)."""
    value = _value(TPP_KEY)
    if not value:
        return DEFAULT_TPP
    return TppTable(
        by_predikat={p: Decimal(str(value["by_predikat"][p])) for p in PREDIKAT},
        incomplete=Decimal(str(value["incomplete"])),
    )


def tpp_is_default() -> bool:
    """Whether the TPP table is still our reading (BKD has not confirmed one)."""
    return _value(TPP_KEY) is None


def save_tpp_table(new: TppTable, actor: Account) -> FollowupSetting:
    """Store the TPP table."""
    value = {
        "by_predikat": {p: str(new.by_predikat[p]) for p in PREDIKAT},
        "incomplete": str(new.incomplete),
    }
    return _save(TPP_KEY, value, actor)


class CommaDecimalField(DecimalField):
    """A decimal typed either way: 0,8 as an Indonesian writes it, or 0.8."""

    def process_formdata(self, valuelist):
        super().process_formdata([v.strip().replace(",", ".") for v in valuelist])
