"""Unit layanan and the public SKM form for tests: a unit, the form's hidden fields, answers."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.extensions import db
from app.models import Opd, ServiceKind, ServiceUnit, SkmResponse

HIDDEN_RE = re.compile(r'<input[^>]*name="(csrf_token|token)"[^>]*value="([^"]*)"')


def make_service_unit(
    opd: Opd,
    code: str = "KTR4PQ",
    name: str = "UPT Puskesmas Padang Bulan",
    kinds: tuple[str, ...] = ("Pemeriksaan umum", "Imunisasi"),
) -> ServiceUnit:
    unit = ServiceUnit(
        opd=opd,
        code=code,
        name=name,
        address="Jl. Jamin Ginting No. 48",
        yearly_users=18000,
        services=[ServiceKind(name=k) for k in kinds],
    )
    db.session.add(unit)
    db.session.flush()
    return unit


def local_today() -> date:
    return datetime.now(ZoneInfo("Asia/Jakarta")).date()


def hidden_fields(page: str) -> dict[str, str]:
    """The CSRF token and the signed form token of a rendered public form."""
    found = dict(HIDDEN_RE.findall(page))
    assert set(found) == {"csrf_token", "token"}, found
    return found


def first_service(unit: ServiceUnit) -> ServiceKind:
    """The unit's first jenis layanan by name (the order the form and the unit list them in)."""
    return min(unit.services, key=lambda kind: kind.name)


def answers(unit: ServiceUnit, score: int = 3, **overrides) -> dict:
    """A complete, valid set of answers (every element `score`)."""
    data = {f"u{i}": str(score) for i in range(1, 10)}
    data |= {
        "service_kind_id": str(first_service(unit).id),
        "served_on": local_today().isoformat(),
        "gender": "P",
        "age": "34",
        "education": "sma",
        "occupation": "swasta",
        "comment": "",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def fill(client, unit: ServiceUnit, **overrides):
    """Open the unit's form as a visitor would and send it with these answers."""
    page = client.get(f"/umpan-balik/{unit.code}").get_data(as_text=True)
    return client.post(
        f"/umpan-balik/{unit.code}", data=answers(unit, **overrides) | hidden_fields(page)
    )


def response_count() -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(SkmResponse))
