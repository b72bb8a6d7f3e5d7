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


# The dashboard's counts are kept by triggers (app/dashboard/summary.py). On SQLite a
# later migration that rebuilds a table in batch mode drops its triggers without a word;
# this notices it.
COUNT_TRIGGERS = {
    "sqlite": {
        "appraisal_count_insert",
        "appraisal_count_update",
        "appraisal_count_delete",
        "appraisal_count_exclude",
        "appraisal_count_include",
        "appraisal_count_period",
    },
    "postgresql": {
        "appraisal_count_insert",
        "appraisal_count_update",
        "appraisal_count_delete",
        "appraisal_count_exclusion",
        "appraisal_count_period",
    },
}


# The monitor's summary rows (app/dashboard/progress_counts.py), likewise.
MONITOR_TRIGGERS = {
    "sqlite": {
        "progress_count_insert",
        "progress_count_update",
        "progress_count_delete",
        "progress_count_exclude",
        "progress_count_include",
        "progress_count_period",
        "open_task_count_appraisal",
        "open_task_count_insert",
        "open_task_count_update",
        "open_task_count_delete",
        "monitor_count_position",
    },
    "postgresql": {
        "progress_count_insert",
        "progress_count_update",
        "progress_count_delete",
        "progress_count_exclusion",
        "progress_count_period",
        "open_task_count_appraisal",
        "open_task_count_insert",
        "open_task_count_update",
        "open_task_count_delete",
        "monitor_count_position",
    },
}


def test_the_dashboard_count_triggers_survive_every_migration(app, backend):
    import sqlalchemy as sa

    dialect = db.engine.dialect.name
    query = (
        "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        if dialect == "sqlite"
        else "SELECT DISTINCT trigger_name FROM information_schema.triggers"
    )
    with db.engine.connect() as connection:
        found = set(connection.scalars(sa.text(query)))
    expected = COUNT_TRIGGERS[dialect] | MONITOR_TRIGGERS[dialect]
    assert expected <= found, expected - found
