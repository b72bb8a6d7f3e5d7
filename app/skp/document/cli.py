"""`flask documents verify FILE`: check a downloaded Dokumen Evaluasi Kinerja offline."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from app.models import Appraisal
from app.skp.document.signing import certificate_pem, verify_pdf

documents_cli = AppGroup("documents", help="The Dokumen Evaluasi Kinerja.")


@documents_cli.command("verify")
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--certificate",
    "certificates",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A trusted certificate (PEM or DER); default: this SIKAP's signing certificate.",
)
def verify(pdf: Path, certificates: tuple[Path, ...]) -> None:
    """Check the signature of PDF and find the SKP whose recorded fingerprint it carries."""
    trusted = [path.read_bytes() for path in certificates] or [certificate_pem(current_app)]
    result = verify_pdf(pdf.read_bytes(), trusted)
    if not result.signed:
        click.echo(f"NOT SIGNED: {result.problem}", err=True)
        sys.exit(1)
    click.echo(f"signer: {result.signer}")
    if result.signed_at:
        click.echo(f"signed at: {result.signed_at.isoformat()}")
    click.echo(f"document sha256 (as rendered): {result.original_sha256}")
    appraisal = db.session.scalars(
        sa.select(Appraisal).where(Appraisal.document_sha256 == result.original_sha256)
    ).first()
    if appraisal is not None:
        click.echo(
            f"matches the SKP of NIP {appraisal.employee.nip}, period {appraisal.period.name}"
        )
    if not result.valid:
        why = "the signed content was changed" if not result.intact else "untrusted signer"
        click.echo(f"INVALID: {why} ({result.problem})", err=True)
        sys.exit(1)
    click.echo("ok: the signature is intact and from a trusted certificate")
