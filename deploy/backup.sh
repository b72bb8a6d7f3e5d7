#!/usr/bin/env bash
# Back up SIKAP: the database (pg_dump custom format) and the bukti dukung files.
# Needs DATABASE_URL (a postgresql:// URL, directly to PostgreSQL, not PgBouncer),
# EVIDENCE_DIR and BACKUP_DIR. Keeps KEEP_DAYS days (default 30). Prints the files made.
set -euo pipefail
: "${DATABASE_URL:?}" "${EVIDENCE_DIR:?}" "${BACKUP_DIR:?}"
url=${DATABASE_URL/postgresql+psycopg:/postgresql:}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$BACKUP_DIR"
pg_dump --format=custom --no-owner --file "$BACKUP_DIR/sikap-$stamp.dump" "$url"
tar -C "$EVIDENCE_DIR" -czf "$BACKUP_DIR/evidence-$stamp.tar.gz" .
find "$BACKUP_DIR" -name 'sikap-*.dump' -mtime +"${KEEP_DAYS:-30}" -delete
find "$BACKUP_DIR" -name 'evidence-*.tar.gz' -mtime +"${KEEP_DAYS:-30}" -delete
echo "$BACKUP_DIR/sikap-$stamp.dump"
echo "$BACKUP_DIR/evidence-$stamp.tar.gz"
