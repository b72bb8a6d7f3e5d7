"""The backup and the restore of the deployment guide, done for real (PostgreSQL).

deploy/backup.sh dumps the database and packs the bukti dukung files;
deploy/restore.sh loads them into an empty database and directory. The restored
copy has every row, an intact audit trail, and the same files.
"""

import hashlib
import os
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import create_app
from app.extensions import db
from app.workflow.audit import verify_chains
from app.workflow.engine import fire
from config import TestingConfig
from tests.conftest import fresh_pg_database
from tests.factories import make_period
from tests.workflow_helpers import appraisal_in_state

pytestmark = pytest.mark.postgres_only
DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
TABLES = ("employee", "account", "appraisal", "audit_event", "task", "outbox_message", "rhk")


def _counts(connection) -> dict[str, int]:
    return {t: connection.execute(sa.text(f'SELECT count(*) FROM "{t}"')).scalar() for t in TABLES}


@pytest.fixture
def empty_database():
    yield from fresh_pg_database("sikap_restore")


def test_a_backup_restores_whole(app, team, tmp_path, empty_database):
    appraisal = appraisal_in_state(team, make_period(2026), "plan_review")
    fire(appraisal, "approve_plan", team["kasi"], {})
    fire(appraisal, "submit_assessment", team["staf"], {"comment": "Selesai."})
    db.session.commit()
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    (evidence / "a1b2c3.pdf").write_bytes(b"%PDF-1.4 bukti dukung")
    with db.engine.connect() as conn:
        before = _counts(conn)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    env = os.environ | {
        "DATABASE_URL": url,
        "EVIDENCE_DIR": str(evidence),
        "BACKUP_DIR": str(tmp_path / "backup"),
    }
    made = subprocess.run(
        [DEPLOY / "backup.sh"], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    dump, tarball = made
    restored_files = tmp_path / "restored-evidence"
    env |= {"DATABASE_URL": empty_database, "EVIDENCE_DIR": str(restored_files)}
    subprocess.run([DEPLOY / "restore.sh", dump, tarball], env=env, check=True)

    copy = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=empty_database)
    with copy.app_context():
        with db.engine.connect() as conn:
            assert _counts(conn) == before
        checked, broken = verify_chains()
        assert broken is None and checked == before["audit_event"] >= 2
        db.session.remove()
        db.engine.dispose()
    restored = restored_files / "a1b2c3.pdf"
    original = evidence / "a1b2c3.pdf"
    assert (
        hashlib.sha256(restored.read_bytes()).digest()
        == hashlib.sha256(original.read_bytes()).digest()
    )
