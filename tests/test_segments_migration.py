"""The segments migration: existing appraisals become segment 1 of their whole period."""

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db
from config import TestingConfig

BEFORE = "b3e9a4d61c27"
SEGMENTS = "5e8a2c7f3b19"


def test_existing_appraisals_become_segment_one_and_back(tmp_path):
    fresh = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'm.sqlite'}")
    with fresh.app_context():
        upgrade(revision=BEFORE)
        run = db.session.execute
        run(
            sa.text(
                "INSERT INTO opd (id, code, name, kind) VALUES (1, 'DINKES', 'Dinkes', 'dinas')"
            )
        )
        run(
            sa.text(
                "INSERT INTO position (id, opd_id, name, kind) "
                "VALUES (7, 1, 'Perawat', 'fungsional')"
            )
        )
        run(
            sa.text(
                "INSERT INTO employee (id, nip, name, status, position_id, active) "
                "VALUES (3, '198503122010031001', 'Budi', 'PNS', 7, 1)"
            )
        )
        run(
            sa.text(
                "INSERT INTO period (id, name, year, kind, start_date, end_date, plan_deadline, "
                "assessment_deadline, status, workflow) VALUES (5, 'SKP 2026', 2026, 'annual', "
                "'2026-01-01', '2026-12-31', '2026-01-31', '2027-01-31', 'open', 'skp_annual')"
            )
        )
        run(
            sa.text(
                "INSERT INTO appraisal (id, employee_id, period_id, workflow, state, version, "
                "approach, created_at, updated_at) VALUES (9, 3, 5, 'skp_annual', 'draft', 1, "
                "'kuantitatif', '2026-01-02 00:00:00', '2026-01-02 00:00:00')"
            )
        )
        db.session.commit()

        upgrade(revision=SEGMENTS)
        row = run(
            sa.text(
                "SELECT segment, start_date, end_date, position_id, position_name "
                "FROM appraisal WHERE id = 9"
            )
        ).one()
        assert tuple(row) == (1, "2026-01-01", "2026-12-31", 7, "Perawat")
        # A second segment now fits beside it; the old key would have refused it.
        run(
            sa.text(
                "INSERT INTO appraisal (id, employee_id, period_id, segment, start_date, end_date, "
                "workflow, state, version, approach, created_at, updated_at) VALUES (10, 3, 5, 2, "
                "'2026-07-01', '2026-12-31', 'skp_annual', 'draft', 1, 'kuantitatif', "
                "'2026-07-01 00:00:00', '2026-07-01 00:00:00')"
            )
        )
        db.session.commit()

        # The old key allows one SKP per employee and period: a later segment stops the
        # downgrade rather than being thrown away with its trail.
        with pytest.raises(SystemExit):  # flask-migrate reports the RuntimeError and exits
            downgrade(revision=BEFORE)
        db.session.rollback()
        run(sa.text("DELETE FROM appraisal WHERE id = 10"))
        db.session.commit()
        downgrade(revision=BEFORE)
        ids = run(sa.text("SELECT id FROM appraisal ORDER BY id")).scalars().all()
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("appraisal")}
        db.session.remove()
        db.engine.dispose()
    assert ids == [9] and "segment" not in columns
