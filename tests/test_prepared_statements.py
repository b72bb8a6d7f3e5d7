"""app.prepared: read-only transactions commit so psycopg keeps its prepared statements;
anything that wrote still rolls back (PostgreSQL only: SQLite has no prepared plans)."""

import psycopg
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Opd
from tests.factories import make_opd

pytestmark = pytest.mark.postgres_only

LOOKUP = sa.select(Opd.name).where(Opd.id == sa.bindparam("id"))


def _prepared(connection: sa.Connection) -> list[str]:
    return connection.scalars(
        sa.text(
            "SELECT statement FROM pg_prepared_statements"
            " WHERE statement LIKE 'SELECT opd.name %FROM opd%WHERE opd.id = $1%'"
        )
    ).all()


def _name(opd_id: int) -> str:
    with db.engine.connect() as other:
        return other.scalar(LOOKUP, {"id": opd_id})


def test_read_only_transactions_keep_the_prepared_statements(app):
    opd = make_opd()
    db.session.commit()
    with db.engine.connect() as connection:
        # As a page does: a few reads, then the session's rollback, seven requests long.
        for _ in range(7):
            assert connection.scalar(LOOKUP, {"id": opd.id}) == "Dinas Kesehatan"
            connection.rollback()
            # Ended (by a commit), not left open.
            assert connection.connection.driver_connection.info.transaction_status == (
                psycopg.pq.TransactionStatus.IDLE
            )
        # psycopg prepared it at the fifth run and kept it through the "rollbacks".
        assert len(_prepared(connection)) == 1


def test_a_transaction_that_wrote_still_rolls_back(app):
    opd = make_opd()
    db.session.commit()
    with db.engine.connect() as connection:
        connection.execute(sa.update(Opd).where(Opd.id == opd.id).values(name="Dinas X"))
        connection.rollback()
    assert _name(opd.id) == "Dinas Kesehatan"


def test_a_write_through_the_driver_cursor_still_rolls_back(app):
    """Writes SQLAlchemy never saw (COPY, the job queue's functions) are caught too:
    the question is the server's, not a guess from the statements' text."""
    opd = make_opd()
    db.session.commit()
    with db.engine.connect() as connection:
        cursor = connection.connection.driver_connection.cursor()
        # A query that reads like one and writes, as the job queue's defer function does.
        cursor.execute(
            "WITH changed AS (UPDATE opd SET name = 'Dinas Y' WHERE id = %s RETURNING id)"
            " SELECT id FROM changed",
            (opd.id,),
        )
        connection.rollback()
    assert _name(opd.id) == "Dinas Kesehatan"


def test_a_failed_transaction_rolls_back_and_the_connection_goes_on(app):
    opd = make_opd()
    db.session.commit()
    with db.engine.connect() as connection:
        with pytest.raises(sa.exc.DataError):
            connection.execute(sa.text("SELECT 1 / 0"))
        connection.rollback()
        assert connection.scalar(LOOKUP, {"id": opd.id}) == "Dinas Kesehatan"
