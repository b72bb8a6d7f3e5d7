"""The appraiser rule table: who appraises whom, per position kind and level (admin BKD).

The default comes from the sources (app.org.appraisers.DEFAULT_RULES, cited
there); BKD may set another rule for a kind or level, with a reason. Every
change is logged (old and new, who, when, why). Services flush, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import Account, AppraiserRule, AppraiserRuleChange, Employee
from app.models.rules import ATASAN_METHODS, PENILAI_METHODS
from app.models.types import utcnow
from app.org import appraisers

KIND_LABELS = {
    "jpt": _l("JPT"),
    "administrator": _l("Administrator"),
    "pengawas": _l("Pengawas"),
    "pelaksana": _l("Pelaksana (JA)"),
    "fungsional": _l("Jabatan fungsional"),
}
LEVEL_LABELS = {
    "": _l("(every level)"),
    "sekda": _l("Sekretaris daerah"),
    "pratama": _l("JPT pratama (kepala OPD, asisten, staf ahli)"),
    "pemula": _l("Pemula"),
    "terampil": _l("Terampil"),
    "mahir": _l("Mahir"),
    "penyelia": _l("Penyelia"),
    "ahli_pertama": _l("Ahli pertama"),
    "ahli_muda": _l("Ahli muda"),
    "ahli_madya": _l("Ahli madya"),
    "ahli_utama": _l("Ahli utama"),
}
PENILAI_LABELS = {
    "direct": _l("The direct atasan (vacancies pass up)"),
    "min_pengawas": _l("The nearest atasan who is at least pengawas"),
    "min_administrator": _l("The nearest atasan who is at least administrator"),
    "min_jpt": _l("The nearest atasan who is JPT"),
    "sekda": _l("The sekda"),
    "kepala_daerah": _l("The kepala daerah (wali kota)"),
}
ATASAN_LABELS = {
    "atasan_of_penilai": _l("The pejabat penilai's own pejabat penilai"),
    "same_as_penilai": _l("The pejabat penilai again (top of the instansi)"),
    "sekda": _l("The sekda"),
    "kepala_daerah": _l("The kepala daerah (wali kota)"),
}
assert set(PENILAI_LABELS) == set(PENILAI_METHODS) and set(ATASAN_LABELS) == set(ATASAN_METHODS)


class RuleError(ValueError):
    """A refused change: `field` is the form field to show `message` on."""

    def __init__(self, field: str, message: str):
        self.field, self.message = field, message
        super().__init__(message)


@dataclass(frozen=True)
class RuleRow:
    key: str  # "kind:level"
    kind: str
    level: str
    rule: appraisers.Rule
    is_default: bool


def rule_key(kind: str, level: str) -> str:
    return f"{kind}:{level}"


def rule_rows() -> list[RuleRow]:
    """Every kind and level of the default table, with the rule in force."""
    rules = appraisers.load_rules()
    return [
        RuleRow(
            rule_key(kind, level), kind, level, rules[(kind, level)], rules[(kind, level)] == rule
        )
        for (kind, level), rule in appraisers.DEFAULT_RULES.items()
    ]


def change_rule(key: str, penilai: str, atasan: str, reason: str, actor: Account) -> bool:
    """Set the rule of one kind and level; False when it already was that rule."""
    try:
        kind, level = key.split(":", 1)
    except ValueError:
        raise RuleError("rule", str(_l("Choose a rule from the list."))) from None
    if (kind, level) not in appraisers.DEFAULT_RULES:
        raise RuleError("rule", str(_l("Choose a rule from the list.")))
    if penilai not in PENILAI_METHODS:
        raise RuleError("penilai", str(_l("Choose how the pejabat penilai is found.")))
    if atasan not in ATASAN_METHODS:
        raise RuleError(
            "atasan_penilai", str(_l("Choose how the atasan pejabat penilai is found."))
        )
    if atasan == "same_as_penilai" and penilai not in appraisers.SPECIAL_METHODS:
        # Only an official at the top may decide the keberatan on their own appraisal.
        raise RuleError(
            "atasan_penilai",
            str(_l("Only the sekda or the kepala daerah may also decide the keberatan.")),
        )
    reason = (reason or "").strip()
    if not reason:
        raise RuleError("reason", str(_l("Please write the reason.")))
    old = appraisers.load_rules()[(kind, level)]
    if old == appraisers.Rule(penilai, atasan):
        return False
    now = utcnow()
    row = db.session.scalar(
        sa.select(AppraiserRule).where(
            AppraiserRule.position_kind == kind, AppraiserRule.level == level
        )
    )
    if row is None:
        row = AppraiserRule(position_kind=kind, level=level)
        db.session.add(row)
    row.penilai, row.atasan_penilai = penilai, atasan
    row.updated_by_id, row.updated_at = actor.id, now
    db.session.add(
        AppraiserRuleChange(
            position_kind=kind,
            level=level,
            old_penilai=old.penilai,
            new_penilai=penilai,
            old_atasan_penilai=old.atasan_penilai,
            new_atasan_penilai=atasan,
            reason=reason,
            changed_by_id=actor.id,
            changed_at=now,
        )
    )
    db.session.flush()
    appraisers.forget_rules()
    return True


def rule_changes(limit: int = 50) -> list[tuple[AppraiserRuleChange, Employee]]:
    """The latest changes, newest first, with who made them."""
    return list(
        db.session.execute(
            sa.select(AppraiserRuleChange, Employee)
            .join(Account, Account.id == AppraiserRuleChange.changed_by_id)
            .join(Employee, Employee.id == Account.employee_id)
            .order_by(AppraiserRuleChange.changed_at.desc(), AppraiserRuleChange.id.desc())
            .limit(limit)
        ).all()
    )
