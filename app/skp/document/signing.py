"""The PAdES signature on a final Dokumen Evaluasi Kinerja (pyHanko).

A final document is downloaded signed: the PDF as rendered (whose sha256 was
recorded at finalisation) stays byte for byte the file's first revision, and an
incremental update appends a PAdES baseline signature over all of it. Any PDF
reader, or `flask documents verify`, checks it offline: one changed byte and the
signature no longer holds.

The key and certificate come from a PKCS#12 file (DOCUMENT_SIGNING_P12, with
DOCUMENT_SIGNING_PASSWORD): in production the city's certificate (BSrE when it is
issued). Where DOCUMENT_SIGNING_SELF_SIGNED is on (development, tests, or a city
that signs with its own certificate until then), a missing file is created once
with a new key and a self-signed certificate; readers then show the signature as
intact but from an unknown signer until the certificate is trusted.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

from flask import Flask, current_app

EXTENSION_KEY = "sikap.document_signer"
FIELD_NAME = "TandaTanganSIKAP"
REASON = "Dokumen Evaluasi Kinerja ditetapkan melalui SIKAP"
SELF_SIGNED_SUBJECT = "SIKAP Pemerintah Kota Medan (sertifikat sendiri)"
SELF_SIGNED_YEARS = 10


class SigningUnavailable(RuntimeError):
    """No certificate is configured and none may be made: the document goes unsigned."""


def signer_for(app: Flask):
    """The app's pyHanko signer, loaded (or, where allowed, created) once per process."""
    signer = app.extensions.get(EXTENSION_KEY)
    if signer is None:
        signer = app.extensions[EXTENSION_KEY] = _load_signer(app.config)
    return signer


def _load_signer(config):
    from pyhanko.sign import signers

    path_setting = config.get("DOCUMENT_SIGNING_P12")
    if not path_setting:
        raise SigningUnavailable("DOCUMENT_SIGNING_P12 is not set")
    path = Path(path_setting)
    password = (config.get("DOCUMENT_SIGNING_PASSWORD") or "").encode() or None
    if not path.exists():
        if not config.get("DOCUMENT_SIGNING_SELF_SIGNED"):
            raise SigningUnavailable(f"{path} does not exist")
        _create_self_signed(path, password)
    signer = signers.SimpleSigner.load_pkcs12(str(path), passphrase=password)
    if signer is None:
        raise SigningUnavailable(f"{path} could not be read (wrong password?)")
    return signer


def _create_self_signed(path: Path, password: bytes | None) -> None:
    """Write a new key and self-signed certificate to `path`; the first process wins."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Pemerintah Kota Medan"),
            x509.NameAttribute(NameOID.COMMON_NAME, SELF_SIGNED_SUBJECT),
        ]
    )
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365 * SELF_SIGNED_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    encryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    data = pkcs12.serialize_key_and_certificates(b"sikap", key, certificate, None, encryption)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Several workers may start at once: each writes its own file and links it into
    # place; a link that finds the name taken leaves the first one's certificate there.
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".signing-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o600)
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)


def sign_pdf(pdf: bytes, *, location: str) -> bytes:
    """`pdf` with a PAdES signature appended as an incremental update (its bytes unchanged)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=REASON,
        location=location,
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    signed = signers.sign_pdf(writer, metadata, signer=signer_for(current_app))
    return signed.getvalue()


@dataclass(frozen=True)
class Verification:
    """What checking a downloaded document found."""

    signed: bool
    intact: bool = False  # the signed bytes are unchanged
    trusted: bool = False  # the signer's certificate chains to a trusted one
    signer: str | None = None
    signed_at: datetime | None = None
    original_sha256: str | None = None  # of the first revision: the recorded fingerprint
    problem: str | None = None

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.trusted


def verify_pdf(pdf: bytes, trusted_pem: list[bytes]) -> Verification:
    """Check a document's signature against the given trusted certificates (PEM)."""
    import hashlib

    from asn1crypto import pem as asn1_pem
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError) as error:
        return Verification(signed=False, problem=f"not a readable PDF: {error}")
    if not signatures:
        return Verification(signed=False, problem="the document carries no signature")
    roots = []
    for data in trusted_pem:
        if asn1_pem.detect(data):
            _, _, data = asn1_pem.unarmor(data)
        roots.append(asn1_x509.Certificate.load(data))
    signature = signatures[0]
    try:
        status = validate_pdf_signature(signature, ValidationContext(trust_roots=roots))
    except Exception as error:  # a damaged signature raises rather than reports
        return Verification(signed=True, problem=f"the signature cannot be checked: {error}")
    first_revision_end = signature.byte_range[1]  # the signature's /Contents starts there
    original = _first_revision(pdf, first_revision_end)
    return Verification(
        signed=True,
        intact=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
        signer=status.signing_cert.subject.human_friendly,
        signed_at=status.signer_reported_dt,
        original_sha256=hashlib.sha256(original).hexdigest() if original else None,
        problem=None if status.bottom_line else status.summary(),
    )


def _first_revision(pdf: bytes, before: int) -> bytes | None:
    """The bytes of the document as it was before the signature's incremental update."""
    end = pdf.rfind(b"%%EOF", 0, before)
    if end < 0:
        return None
    end += len(b"%%EOF")
    # The revision ends with its end-of-line, whichever the renderer wrote.
    for eol in (b"\r\n", b"\n", b"\r"):
        if pdf.startswith(eol, end):
            return pdf[: end + len(eol)]
    return pdf[:end]


def certificate_pem(app: Flask) -> bytes:
    """The signing certificate as PEM, to install as trusted or to check with."""
    from asn1crypto import pem as asn1_pem

    signer = signer_for(app)
    return asn1_pem.armor("CERTIFICATE", signer.signing_cert.dump())
