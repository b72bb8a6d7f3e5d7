#!/usr/bin/env bash
# Restore SIKAP from deploy/backup.sh's files into an EMPTY database and evidence directory.
# Usage: restore.sh DUMP EVIDENCE_TARBALL. Needs DATABASE_URL (the new, empty database) and
# EVIDENCE_DIR. Afterwards: `flask --app wsgi audit verify` checks the audit trail's chains.
set -euo pipefail
: "${DATABASE_URL:?}" "${EVIDENCE_DIR:?}"
dump=${1:?dump file}
tarball=${2:?evidence tarball}
url=${DATABASE_URL/postgresql+psycopg:/postgresql:}
pg_restore --no-owner --exit-on-error --dbname "$url" "$dump"
mkdir -p "$EVIDENCE_DIR"
tar -C "$EVIDENCE_DIR" -xzf "$tarball"
