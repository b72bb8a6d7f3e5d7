"""Taking one response of the public: the one-time form token, the salted address, the insert.

The form carries a token signed with the app's secret (itsdangerous): the unit it
was made for and a random nonce, valid for SKM_FORM_TOKEN_MAX_AGE seconds. The
nonce is stored with the response under a unique key, so a token is used once.
The client's address is never stored: only sha256(salt + address), where the salt
is derived from SECRET_KEY and the current UTC date, so the hash changes every day
and cannot follow a person across days. The fingerprint (unique) is made of the
unit, that hash, the UTC date and every answer: the same answers sent again from
the same address on the same day are refused as a double submit.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from app.complaints.services import open_complaint
from app.extensions import db
from app.feedback.units.services import normalise_code
from app.models import ServiceKind, ServiceUnit, SkmContact, SkmResponse
from app.models.skm import ANSWER_COLUMNS

TOKEN_SALT = "sikap.skm.form-token"
CLIENT_SALT_PURPOSE = b"sikap.skm.client-hash:"


class TokenProblem(ValueError):
    """The form token is missing, forged, for another unit, or too old."""

    def __init__(self, expired: bool):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


class AlreadyReceived(RuntimeError):
    """The response was refused by a unique key: `replay` (token used) or a double submit."""

    def __init__(self, replay: bool):
        super().__init__("replay" if replay else "duplicate")
        self.replay = replay


@dataclass(frozen=True)
class Submission:
    """What the public form gives, checked; answers keyed by column (u1..u9)."""

    answers: dict[str, int]
    service_kind_id: int | None
    served_on: date
    gender: str
    age: int
    education: str
    occupation: str
    comment: str | None
    is_complaint: bool
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None
    locale: str


def open_unit(code: str) -> ServiceUnit | None:
    """The active unit of this public code (any case), with its active jenis layanan."""
    return db.session.scalars(
        sa.select(ServiceUnit)
        .where(ServiceUnit.code == normalise_code(code), ServiceUnit.active.is_(True))
        .options(sa.orm.lazyload(ServiceUnit.services))
    ).first()


def active_kinds(unit: ServiceUnit) -> list[ServiceKind]:
    return list(
        db.session.scalars(
            sa.select(ServiceKind)
            .where(ServiceKind.service_unit_id == unit.id, ServiceKind.active.is_(True))
            .order_by(ServiceKind.name)
        )
    )


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT)


def new_token(unit: ServiceUnit) -> str:
    """A signed one-time token for the unit's form."""
    return _serializer().dumps({"u": unit.id, "n": secrets.token_hex(16)})


def read_token(token: str | None, unit: ServiceUnit) -> str:
    """The nonce of a valid token made for this unit; TokenProblem otherwise."""
    if not token or len(token) > 200:
        raise TokenProblem(expired=False)
    try:
        data = _serializer().loads(token, max_age=current_app.config["SKM_FORM_TOKEN_MAX_AGE"])
    except SignatureExpired as error:
        raise TokenProblem(expired=True) from error
    except BadSignature as error:
        raise TokenProblem(expired=False) from error
    nonce = data.get("n") if isinstance(data, dict) else None
    if data.get("u") != unit.id or not isinstance(nonce, str) or len(nonce) != 32:
        raise TokenProblem(expired=False)
    return nonce


def client_hash(address: str, now: datetime) -> str:
    """sha256 of the day's salt and the address; the salt rotates at 00:00 UTC."""
    secret = current_app.config["SECRET_KEY"].encode()
    day = now.strftime("%Y-%m-%d").encode()
    salt = hmac.new(secret, CLIENT_SALT_PURPOSE + day, hashlib.sha256).digest()
    return hashlib.sha256(salt + address.encode()).hexdigest()


def fingerprint(unit_id: int, client: str, now: datetime, submission: Submission) -> str:
    """The same unit, address, UTC day and answers give the same fingerprint."""
    parts = [
        str(unit_id),
        client,
        now.strftime("%Y-%m-%d"),
        *(str(submission.answers[c]) for c in ANSWER_COLUMNS),
        str(submission.service_kind_id or ""),
        submission.served_on.isoformat(),
        submission.gender,
        str(submission.age),
        submission.education,
        submission.occupation,
        submission.comment or "",
        "1" if submission.is_complaint else "0",
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def submit(
    unit: ServiceUnit, submission: Submission, nonce: str, address: str, now: datetime
) -> SkmResponse:
    """Store the response (and the complainant's contact, if any); AlreadyReceived if refused."""
    client = client_hash(address, now)
    response = SkmResponse(
        service_unit_id=unit.id,
        service_kind_id=submission.service_kind_id,
        served_on=submission.served_on,
        submitted_at=now,
        **submission.answers,
        gender=submission.gender,
        age=submission.age,
        education=submission.education,
        occupation=submission.occupation,
        comment=submission.comment,
        is_complaint=submission.is_complaint,
        locale=submission.locale,
        client_hash=client,
        fingerprint=fingerprint(unit.id, client, now, submission),
        form_nonce=nonce,
    )
    try:
        with db.session.begin_nested():
            db.session.add(response)
            db.session.flush()
    except IntegrityError as error:
        used = db.session.scalar(sa.select(SkmResponse.id).where(SkmResponse.form_nonce == nonce))
        raise AlreadyReceived(replay=used is not None) from error
    contact = (submission.contact_name, submission.contact_email, submission.contact_phone)
    if submission.is_complaint and any(contact):
        name, email, phone = contact
        db.session.add(SkmContact(response_id=response.id, name=name, email=email, phone=phone))
        db.session.flush()
    if submission.is_complaint:
        # The pengaduan case opens in the same transaction: no complaint without its case.
        open_complaint(response, now)
    return response
