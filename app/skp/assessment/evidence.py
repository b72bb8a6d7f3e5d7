"""Bukti dukung: uploaded files checked by their content, stored outside static; and links.

A file's type is read from its first bytes (and, for XLSX/DOCX, from the ZIP's
entries), never from its name; the name's extension must merely agree. Files
are stored under EVIDENCE_DIR with generated names and their sha256, and are
only ever served through a view that checks who may see the appraisal.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePath
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import Account, Appraisal, Evidence, Iki, Rhk
from app.workflow.locking import hold_version


@dataclass(frozen=True)
class FileKind:
    name: str
    extensions: tuple[str, ...]
    content_type: str


KINDS = {
    "pdf": FileKind("PDF", (".pdf",), "application/pdf"),
    "png": FileKind("PNG", (".png",), "image/png"),
    "jpeg": FileKind("JPEG", (".jpg", ".jpeg"), "image/jpeg"),
    "xlsx": FileKind(
        "XLSX",
        (".xlsx",),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "docx": FileKind(
        "DOCX",
        (".docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
}
ACCEPTED_EXTENSIONS = tuple(ext for kind in KINDS.values() for ext in kind.extensions)
MAX_URL = 2000


class UploadRejected(ValueError):
    """The upload is not acceptable; `message` is fit for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check, ready to be stored."""

    filename: str
    data: bytes
    kind: str

    @property
    def extension(self) -> str:
        return PurePath(self.filename).suffix.lower()

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def detect_kind(data: bytes) -> str | None:
    """The file's type from its content (a key of KINDS), or None if it is none of them."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    return None


def _office_kind(data: bytes) -> str | None:
    """XLSX and DOCX are ZIP packages told apart by their entries (read from the directory only)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = package.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(name.startswith("xl/") for name in names):
        return "xlsx"
    if any(name.startswith("word/") for name in names):
        return "docx"
    return None


def display_name(filename: str | None) -> str:
    """The uploaded name without any path, control characters or excess length."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    if len(name) > 255:
        suffix = PurePath(name).suffix[:16]
        name = name[: 255 - len(suffix)] + suffix
    return name


def check_upload(filename: str | None, stream, max_bytes: int) -> CheckedFile:
    """Read and check an upload: not empty, not too large, an accepted type matching its name."""
    name = display_name(filename)
    extension = PurePath(name).suffix.lower()
    if extension not in ACCEPTED_EXTENSIONS:
        raise UploadRejected(_l("Only PDF, JPEG, PNG, XLSX and DOCX files are accepted."))
    data = stream.read(max_bytes + 1)
    if not data:
        raise UploadRejected(_l("The file is empty."))
    if len(data) > max_bytes:
        raise UploadRejected(
            _l("The file is larger than %(size)d MB.", size=max_bytes // (1024 * 1024))
        )
    kind = detect_kind(data)
    if kind is None:
        raise UploadRejected(
            _l("The file's content is not a PDF, JPEG, PNG, XLSX or DOCX document.")
        )
    if extension not in KINDS[kind].extensions:
        raise UploadRejected(
            _l(
                "The file is named %(ext)s but its content is %(kind)s.",
                ext=extension,
                kind=KINDS[kind].name,
            )
        )
    return CheckedFile(name, data, kind)


def check_url(text: str | None) -> str:
    """A link to evidence: an absolute http(s) URL with a host, no spaces."""
    url = (text or "").strip()
    if not url:
        raise UploadRejected(_l("Enter the link."))
    if len(url) > MAX_URL:
        raise UploadRejected(_l("The link is longer than %(max)d characters.", max=MAX_URL))
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or any(ch.isspace() or not ch.isprintable() for ch in url)
    ):
        raise UploadRejected(_l("Enter a link that starts with http:// or https://."))
    return url


def evidence_dir() -> Path:
    return Path(current_app.config["EVIDENCE_DIR"])


def appraisal_iki(appraisal: Appraisal, iki_id: int) -> Iki | None:
    """The IKI if it belongs to this appraisal."""
    return db.session.scalars(
        sa.select(Iki)
        .join(Rhk, Rhk.id == Iki.rhk_id)
        .where(Iki.id == iki_id, Rhk.appraisal_id == appraisal.id)
    ).first()


def appraisal_evidence(appraisal: Appraisal, evidence_id: int) -> Evidence | None:
    """The evidence if it belongs to one of this appraisal's IKI."""
    return db.session.scalars(
        sa.select(Evidence)
        .join(Iki, Iki.id == Evidence.iki_id)
        .join(Rhk, Rhk.id == Iki.rhk_id)
        .where(Evidence.id == evidence_id, Rhk.appraisal_id == appraisal.id)
    ).first()


def check_quota(appraisal: Appraisal, iki: Iki, new_bytes: int = 0) -> None:
    """Refuse bukti dukung past the quotas: items per IKI, stored bytes per appraisal.

    Called after `hold_version`, which holds the appraisal's row lock, so two
    uploads at once cannot both slip under the limit.
    """
    config = current_app.config
    on_iki = db.session.scalar(
        sa.select(sa.func.count(Evidence.id)).where(Evidence.iki_id == iki.id)
    )
    if on_iki >= config["EVIDENCE_MAX_PER_IKI"]:
        raise UploadRejected(
            _(
                "This IKI already has %(count)d bukti dukung, the most allowed. "
                "Remove one before adding another.",
                count=on_iki,
            )
        )
    if not new_bytes:
        return
    stored = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Evidence.size), 0))
        .join(Iki, Iki.id == Evidence.iki_id)
        .join(Rhk, Rhk.id == Iki.rhk_id)
        .where(Rhk.appraisal_id == appraisal.id)
    )
    limit = config["EVIDENCE_MAX_BYTES_PER_APPRAISAL"]
    if stored + new_bytes > limit:
        raise UploadRejected(
            _(
                "The files of this SKP would exceed %(mb)d MB in all. Remove a file you no "
                "longer need, or add a link to the document instead.",
                mb=limit // (1024 * 1024),
            )
        )


def add_file(
    appraisal: Appraisal, iki: Iki, actor: Account, upload: CheckedFile, *, seen_version: int
) -> Evidence:
    """Store the checked file under a generated name and record it with its sha256.

    The file is written before the row is flushed; if the transaction then fails
    the file is removed again (see `discard_file`), so no row points nowhere.
    """
    hold_version(appraisal, seen_version)
    check_quota(appraisal, iki, len(upload.data))
    directory = evidence_dir()
    directory.mkdir(parents=True, exist_ok=True)
    stored_name = secrets.token_hex(16) + upload.extension
    path = directory / stored_name
    with path.open("xb") as out:
        out.write(upload.data)
    evidence = Evidence(
        iki_id=iki.id,
        kind="file",
        filename=upload.filename,
        stored_name=stored_name,
        content_type=KINDS[upload.kind].content_type,
        size=len(upload.data),
        sha256=upload.sha256,
        uploaded_by_id=actor.employee_id,
    )
    db.session.add(evidence)
    try:
        db.session.flush()
    except Exception:
        path.unlink(missing_ok=True)
        raise
    return evidence


def add_link(
    appraisal: Appraisal, iki: Iki, actor: Account, url: str, *, seen_version: int
) -> Evidence:
    """Record a link as bukti dukung."""
    hold_version(appraisal, seen_version)
    check_quota(appraisal, iki)
    evidence = Evidence(iki_id=iki.id, kind="link", url=url, uploaded_by_id=actor.employee_id)
    db.session.add(evidence)
    db.session.flush()
    return evidence


def remove_evidence(
    appraisal: Appraisal, evidence: Evidence, actor: Account, *, seen_version: int
) -> str | None:
    """Delete the evidence row; returns the stored file's name, to discard after the commit."""
    hold_version(appraisal, seen_version)
    stored_name = evidence.stored_name
    db.session.delete(evidence)
    db.session.flush()
    return stored_name


def discard_file(stored_name: str | None) -> None:
    """Remove a stored file (after the commit that removed its row, or after a failed one)."""
    if stored_name:
        (evidence_dir() / PurePath(stored_name).name).unlink(missing_ok=True)


def evidence_path(evidence: Evidence) -> Path | None:
    """Where a file's bytes are, or None when it is a link or the file is gone."""
    if evidence.kind != "file" or not evidence.stored_name:
        return None
    path = evidence_dir() / PurePath(evidence.stored_name).name
    return path if path.is_file() else None
