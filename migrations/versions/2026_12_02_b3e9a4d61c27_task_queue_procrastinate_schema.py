"""The task queue: procrastinate's schema (PostgreSQL only).

Reviewed by hand. procrastinate keeps its jobs, workers, periodic defers and
events in its own tables, types, functions and triggers; this creates them with
the SQL the installed procrastinate ships (its schema manager's `get_schema()`,
the version pinned in pyproject.toml). SQLite (development) has no queue: tasks
run in-process there (app.jobs), so nothing is created on it. A later
procrastinate upgrade that changes its schema comes with a migration that runs
procrastinate's own migration scripts for that version.

Revision ID: b3e9a4d61c27
Revises: 9b4e6c2d8f15
Create Date: 2026-12-02 09:00:00.000000

"""
from alembic import op
from procrastinate.schema import SchemaManager


# revision identifiers, used by Alembic.
revision = 'b3e9a4d61c27'
down_revision = '9b4e6c2d8f15'
branch_labels = None
depends_on = None


def _run_script(sql):
    """Run a script of several statements as is (its literal % doubled, as procrastinate does)."""
    op.get_bind().exec_driver_sql(sql.replace('%', '%%'))


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    _run_script(SchemaManager.get_schema())


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    # Everything the schema created is named procrastinate_*: drop its tables (with their
    # triggers and indexes), then its functions and types.
    _run_script(
        r"""
        DO $$
        DECLARE item record;
        BEGIN
            FOR item IN SELECT tablename FROM pg_tables
                        WHERE schemaname = current_schema() AND tablename LIKE 'procrastinate\_%'
            LOOP
                EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', item.tablename);
            END LOOP;
            FOR item IN SELECT p.oid::regprocedure AS signature FROM pg_proc p
                        JOIN pg_namespace n ON n.oid = p.pronamespace
                        WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate\_%'
            LOOP
                EXECUTE format('DROP ROUTINE IF EXISTS %s CASCADE', item.signature);
            END LOOP;
            FOR item IN SELECT t.typname FROM pg_type t
                        JOIN pg_namespace n ON n.oid = t.typnamespace
                        WHERE n.nspname = current_schema() AND t.typname LIKE 'procrastinate\_%'
                          AND t.typtype IN ('e', 'c')
            LOOP
                EXECUTE format('DROP TYPE IF EXISTS %I CASCADE', item.typname);
            END LOOP;
        END $$;
        """
    )
