"""The migrations build exactly the schema the models describe, on both databases."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.extensions import db
from app.jobs import is_queue_table


def _not_the_queue(name, type_, parent_names) -> bool:
    return not (type_ == "table" and is_queue_table(name))


def test_upgraded_database_matches_the_models(app, backend):
    # The session database was built by `flask db upgrade` (see conftest.base_app).
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": _not_the_queue}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_every_table_has_named_constraints(app):
    for table in db.metadata.sorted_tables:
        for constraint in table.constraints:
            assert constraint.name, f"unnamed constraint on {table.name}"


def test_check_constraints_of_the_models_exist_in_the_database(app):
    # Alembic's comparison ignores check constraints, so compare their names here.
    import sqlalchemy as sa

    inspector = sa.inspect(db.engine)
    for table in db.metadata.sorted_tables:
        expected = {
            c.name for c in table.constraints if isinstance(c, sa.CheckConstraint) and c.name
        }
        present = {c["name"] for c in inspector.get_check_constraints(table.name)}
        assert expected <= present, f"{table.name}: missing {sorted(expected - present)}"
