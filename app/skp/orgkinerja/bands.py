"""The published table capaian kinerja organisasi -> organisation predikat, and its edits.

Stored in org_predikat_band (one row per predikat); while nobody has edited it the
default of app.skp.scoring applies (DEFAULT_ORG_BANDS). Admin BKD edits the whole
table at once, with a reason, against the version they saw: two edits at once
end with one winner and the other told. Services flush, never commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa

from app.extensions import db
from app.models import Account, Employee, OrgPredikatBand, OrgPredikatBandChange
from app.models.types import utcnow
from app.skp import scoring
from app.workflow.roles import per_request


class StaleTable(Exception):
    """The table changed since the form was shown: nothing was written."""


@dataclass(frozen=True)
class Bands:
    """The table in force: predikat -> lowest capaian (%), and its version (0: the default)."""

    thresholds: dict[str, Decimal]
    version: int

    def predikat_for(self, capaian: Decimal | None) -> str | None:
        """The organisation predikat of a capaian; None without one."""
        if capaian is None:
            return None
        return scoring.org_predikat_for(capaian, self.thresholds)


def current_bands() -> Bands:
    """The table in force, read once per request."""
    return per_request(("org_bands",), _read_bands)


def remember_bands(thresholds: Mapping[str, Decimal], version: int) -> None:
    """Keep the table read along with other rows (services.capaian_of) for the request."""
    per_request(("org_bands",), lambda: _bands_from(thresholds, version))


def _bands_from(thresholds: Mapping[str, Decimal], version: int) -> Bands:
    if len(thresholds) != len(scoring.ORG_PREDIKAT):
        return Bands(dict(scoring.DEFAULT_ORG_BANDS), 0)
    return Bands(dict(thresholds), version)


def _read_bands() -> Bands:
    rows = db.session.scalars(sa.select(OrgPredikatBand)).all()
    if len(rows) != len(scoring.ORG_PREDIKAT):
        return Bands(dict(scoring.DEFAULT_ORG_BANDS), 0)
    return Bands({row.predikat: row.min_capaian for row in rows}, max(r.version for r in rows))


def as_text(thresholds: Mapping[str, Decimal]) -> str:
    """The table as one line for its history: "istimewa=110.00;baik=90.00;..."."""
    return ";".join(f"{key}={Decimal(thresholds[key]):.2f}" for key in scoring.ORG_PREDIKAT)


def history(limit: int = 50) -> list[tuple[OrgPredikatBandChange, str]]:
    """The latest edits of the table with who made each, newest first."""
    return [
        (change, name)
        for change, name in db.session.execute(
            sa.select(OrgPredikatBandChange, Employee.name)
            .join(Account, Account.id == OrgPredikatBandChange.changed_by_id)
            .join(Employee, Employee.id == Account.employee_id)
            .order_by(OrgPredikatBandChange.id.desc())
            .limit(limit)
        )
    ]


def save_bands(
    thresholds: Mapping[str, Decimal],
    reason: str,
    actor: Account,
    *,
    seen_version: int,
    now: datetime | None = None,
) -> bool:
    """Replace the table with `thresholds` (checked by scoring.check_bands), with the reason.

    Returns False when nothing changed. Raises ValueError for an unusable table and
    StaleTable when someone saved the table since `seen_version`; in both cases
    nothing is written.
    """
    now = now or utcnow()
    problem = scoring.check_bands(thresholds)
    if problem:
        raise ValueError(problem)
    current = _read_bands()
    if current.version != seen_version:
        raise StaleTable()
    if as_text(current.thresholds) == as_text(thresholds):
        return False
    new_version = seen_version + 1
    if current.version == 0:
        # First edit: the default becomes rows. The primary key keeps a second
        # first edit from inserting them too (IntegrityError: told as stale by the view).
        db.session.add_all(
            OrgPredikatBand(
                predikat=key,
                min_capaian=Decimal(thresholds[key]),
                version=new_version,
                updated_by_id=actor.id,
                updated_at=now,
            )
            for key in scoring.ORG_PREDIKAT
        )
    else:
        for key in scoring.ORG_PREDIKAT:
            done = db.session.execute(
                sa.update(OrgPredikatBand)
                .where(OrgPredikatBand.predikat == key, OrgPredikatBand.version == seen_version)
                .values(
                    min_capaian=Decimal(thresholds[key]),
                    version=new_version,
                    updated_by_id=actor.id,
                    updated_at=now,
                )
                .execution_options(synchronize_session=False)
            )
            if done.rowcount != 1:
                raise StaleTable()
    db.session.add(
        OrgPredikatBandChange(
            old_table=as_text(current.thresholds),
            new_table=as_text(thresholds),
            reason=reason,
            changed_by_id=actor.id,
            changed_at=now,
        )
    )
    db.session.flush()
    return True


def from_text(text: str) -> dict[str, Decimal]:
    """The thresholds of a history line written by `as_text`."""
    pairs = (item.partition("=") for item in (text or "").split(";") if item)
    return {key: Decimal(value) for key, _, value in pairs}
