"""Keep psycopg's prepared statements across requests: end a read-only transaction with COMMIT.

psycopg 3 prepares a statement on the server once it has run five times on a
connection, which spares PostgreSQL the planning (up to 1.3 ms for the user
loader's query). But psycopg forgets every prepared statement on ROLLBACK,
because a rolled-back transaction may have dropped what they refer to; and
every request that only reads ends with a ROLLBACK (the session's close, the
pool's reset). So no statement ever reached its fifth run, and every page paid
the planning of all its queries.

A transaction that wrote nothing ends the same way whether it commits or rolls
back. PostgreSQL assigns a transaction id at the first write (a row, a table, a
lock on a row), so `pg_current_xact_id_if_assigned()` tells read-only
transactions apart without trusting what the code meant to do; those commit,
everything else rolls back as before. The question costs a round trip; the
planning it saves costs several.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

# Whether this transaction has written anything; NULL until it has a transaction id.
_WROTE = "SELECT pg_current_xact_id_if_assigned() IS NOT NULL"


def keep_prepared_statements(engine: sa.Engine) -> None:
    """Make `engine` commit, instead of rolling back, transactions that wrote nothing.

    Only for psycopg connections that prepare statements (not behind PgBouncer in
    transaction mode, where `prepare_threshold` is None).
    """
    dialect = engine.dialect
    if dialect.name != "postgresql" or dialect.driver != "psycopg":
        return
    rollback = dialect.do_rollback

    def do_rollback(dbapi_connection: Any) -> None:
        connection = getattr(dbapi_connection, "driver_connection", dbapi_connection)
        if connection.prepare_threshold is not None and _read_only(connection):
            connection.commit()
        else:
            rollback(dbapi_connection)

    dialect.do_rollback = do_rollback


def _read_only(connection: Any) -> bool:
    """Whether the connection is in a healthy transaction that has written nothing."""
    from psycopg.pq import TransactionStatus

    if connection.info.transaction_status != TransactionStatus.INTRANS:
        return False  # idle (nothing to end) or failed (only a rollback ends it)
    with connection.cursor() as cursor:
        # Not prepared: the question itself must not fill the cache it protects.
        cursor.execute(_WROTE, prepare=False)
        return not cursor.fetchone()[0]
