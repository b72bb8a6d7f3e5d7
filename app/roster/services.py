"""Roster files between the dry run and the apply, and the downloadable template.

A checked file is kept outside static under a generated name; the report page
carries a signed, expiring token naming it and its SHA-256, so that exactly the
file that was checked is applied, and only by the admin who checked it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import time
import uuid
from pathlib import Path

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.roster.parsing import COLUMN_HEADERS, COLUMNS

SALT = "roster-import"
# Marked CONTOH in the OPD column: the parser skips them, so a file filled in below them
# never imports the examples as people.
EXAMPLE_ROWS = (
    ("CONTOH SETDA", "", "Sekretaris Daerah", "jpt", "", "197001011995031001",
     "Drs. Contoh Sekda, M.Si.", "Pembina Utama Madya (IV/d)", "PNS", "sekda@pemkomedan.go.id"),
    ("CONTOH DINKES", "", "Kepala Dinas Kesehatan", "jpt", "[SETDA] Sekretaris Daerah",
     "197502022000032002", "dr. Contoh Kadis", "Pembina Utama Muda (IV/c)", "PNS", ""),
    ("CONTOH DINKES", "Bidang Pelayanan Kesehatan", "Kepala Bidang Pelayanan Kesehatan",
     "administrator", "Kepala Dinas Kesehatan", "198003032005011003", "Contoh Kabid, S.KM.",
     "Pembina (IV/a)", "PNS", ""),
)  # fmt: skip


class UploadExpired(ValueError):
    """The token is forged, expired, or its file is gone or changed."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _directory() -> Path:
    directory = Path(current_app.config["ROSTER_UPLOAD_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def store_upload(filename: str, data: bytes, account_id: int) -> tuple[str, str]:
    """Keep the checked file; return a token for the apply step and the file's SHA-256."""
    directory = _directory()
    max_age = current_app.config["ROSTER_TOKEN_MAX_AGE"]
    for old in directory.glob("*.upload"):  # files whose token has expired
        if old.stat().st_mtime < time.time() - max_age:
            old.unlink(missing_ok=True)
    stored = f"{uuid.uuid4().hex}.upload"
    (directory / stored).write_bytes(data)
    sha256 = hashlib.sha256(data).hexdigest()
    token = _serializer().dumps(
        {"stored": stored, "sha256": sha256, "filename": filename, "by": account_id}
    )
    return token, sha256


def load_upload(token: str, account_id: int) -> tuple[str, bytes, str, str]:
    """(filename, data, sha256, stored name) of a checked file; raises UploadExpired."""
    try:
        payload = _serializer().loads(token, max_age=current_app.config["ROSTER_TOKEN_MAX_AGE"])
    except BadSignature:
        raise UploadExpired from None
    if payload.get("by") != account_id:
        raise UploadExpired
    path = _directory() / Path(payload["stored"]).name
    try:
        data = path.read_bytes()
    except OSError:
        raise UploadExpired from None
    if hashlib.sha256(data).hexdigest() != payload["sha256"]:
        raise UploadExpired
    return payload["filename"], data, payload["sha256"], path.name


def discard_upload(stored: str) -> None:
    (_directory() / Path(stored).name).unlink(missing_ok=True)


def template_csv() -> bytes:
    """The template as CSV (UTF-8 with a BOM, so that spreadsheets read it as UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([COLUMN_HEADERS[c] for c in COLUMNS])
    writer.writerows(EXAMPLE_ROWS)
    return out.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    """The template as XLSX, the NIP column formatted as text (18 digits do not fit a number)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Data pegawai"
    sheet.append([COLUMN_HEADERS[c] for c in COLUMNS])
    for row in EXAMPLE_ROWS:
        sheet.append(list(row))
    nip_column = COLUMNS.index("nip") + 1
    for (cell,) in sheet.iter_rows(min_col=nip_column, max_col=nip_column, max_row=5000):
        cell.number_format = "@"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
