"""Set-based statements the period opener is made of: bulk inserts, id windows, id maps."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db


def bulk_insert(statement: sa.Insert, model: type[db.Model], rows: list[dict]) -> list[int]:
    """Insert many rows, returning the new ids (none for rows skipped as duplicates).

    Asking for RETURNING also makes SQLAlchemy send the rows in batches of
    multi-row VALUES, which is several times faster than one statement per row.
    """
    return db.session.scalars(statement.returning(model.id), rows).all()


def insert_ignoring_duplicates(model: type[db.Model]) -> sa.Insert:
    """INSERT ... ON CONFLICT DO NOTHING, in the dialect of the session's database."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(model).on_conflict_do_nothing()


def window(column: sa.ColumnElement, ids) -> sa.ColumnElement:
    """`column` between the smallest and largest of `ids`; the caller filters the rest.

    Used instead of IN (2,500 ids): right after bulk inserts the planner's statistics
    are stale, and a long IN list then becomes a linear scan per row, while a range
    stays an index range scan. Chunks hold neighbouring ids, so little is filtered.
    """
    ids = list(ids)
    return column.between(min(ids), max(ids))


def id_map(name: str, pairs) -> sa.CTE:
    """(old_id, new_id) pairs as a VALUES table, so that rows are copied by INSERT ... SELECT.

    Integers only, rendered inline: no limit on bound parameters applies.
    """
    return (
        sa.values(
            sa.column("old_id", sa.Integer),
            sa.column("new_id", sa.Integer),
            name=name,
            literal_binds=True,
        )
        .data(list(pairs))
        .cte(name)
    )
