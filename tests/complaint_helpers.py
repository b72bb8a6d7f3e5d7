"""A unit layanan headed by the team's kasi, and complaint responses left there."""

from __future__ import annotations

import itertools
from datetime import date, datetime

from app.extensions import db
from app.models import ServiceUnit, SkmContact, SkmResponse
from app.models.types import utcnow

_serial = itertools.count(1)


def make_service_unit(team: dict, code: str = "PKM-01", head_key: str = "kasi") -> ServiceUnit:
    """A Puskesmas of the team's OPD, headed by `head_key`'s position."""
    unit = ServiceUnit(
        opd_id=team["opd"].id,
        code=code,
        name="Puskesmas Padang Bulan",
        head_position_id=team[head_key].employee.position_id,
    )
    db.session.add(unit)
    db.session.flush()
    return unit


def make_complaint_response(
    unit: ServiceUnit,
    comment: str = "Antrean terlalu lama dan petugas tidak ramah.",
    email: str | None = "warga@example.test",
    name: str | None = "Budi Warga",
    now: datetime | None = None,
) -> SkmResponse:
    """A response marked as a complaint, with a contact when `email` or `name` is given."""
    n = next(_serial)
    response = SkmResponse(
        service_unit_id=unit.id,
        served_on=(now or utcnow()).date() if now else date.today(),
        submitted_at=now or utcnow(),
        **{f"u{i}": 2 for i in range(1, 10)},
        gender="L",
        age=35,
        education="sma",
        occupation="swasta",
        comment=comment,
        is_complaint=True,
        locale="id",
        client_hash=f"{n:064x}",
        fingerprint=f"f{n:063x}",
    )
    db.session.add(response)
    db.session.flush()
    if email or name:
        db.session.add(SkmContact(response_id=response.id, name=name, email=email, phone="0812"))
        db.session.flush()
    return response
