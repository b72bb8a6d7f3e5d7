"""Appraisal counts for the dashboard: insert-only delta rows kept by triggers, backfilled.

Reviewed by hand: one new table, its triggers (PostgreSQL: statement-level with
transition tables, one aggregated INSERT per statement; SQLite: row-level), and
the backfill from the existing appraisals. See app/dashboard/summary.py.

Revision ID: 7c3f9a1d2e84
Revises: 7e4b1d9c2a60
Create Date: 2026-12-04 14:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c3f9a1d2e84'
down_revision = '7e4b1d9c2a60'
branch_labels = None
depends_on = None

COLUMNS = "period_id, opd_id, state, predikat"
TARGET = f"INSERT INTO appraisal_count ({COLUMNS}, delta)"


def counted(alias: str) -> str:
    """SQL: the row is an employee's latest segment (runs to the period's end), not excluded."""
    return (
        f"{alias}.end_date = (SELECT p.end_date FROM period p WHERE p.id = {alias}.period_id)"
        f" AND NOT EXISTS (SELECT 1 FROM planning_exclusion x"
        f" WHERE x.employee_id = {alias}.employee_id AND x.period_id = {alias}.period_id)"
    )


def rows_of(table: str, sign: str) -> str:
    """SQL: the counted rows of a transition table, grouped, with their signed count."""
    return (
        f"SELECT {COLUMNS}, {sign}count(*) AS delta FROM {table} r WHERE {counted('r')}"
        f" GROUP BY {COLUMNS}"
    )


POSTGRES = [
    f"""
    CREATE FUNCTION appraisal_count_track() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        {TARGET} {rows_of('new_rows', '')};
      ELSIF TG_OP = 'DELETE' THEN
        {TARGET} {rows_of('old_rows', '-')};
      ELSE
        {TARGET} SELECT {COLUMNS}, sum(delta) FROM (
          {rows_of('old_rows', '-')} UNION ALL {rows_of('new_rows', '')}
        ) moved GROUP BY {COLUMNS} HAVING sum(delta) <> 0;
      END IF;
      RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER appraisal_count_insert AFTER INSERT ON appraisal"
    " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION appraisal_count_track()",
    "CREATE TRIGGER appraisal_count_update AFTER UPDATE ON appraisal"
    " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION appraisal_count_track()",
    "CREATE TRIGGER appraisal_count_delete AFTER DELETE ON appraisal"
    " REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION appraisal_count_track()",
    f"""
    CREATE FUNCTION appraisal_count_exclusion() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      r planning_exclusion;
      sign integer;
    BEGIN
      IF TG_OP = 'INSERT' THEN r := NEW; sign := -1; ELSE r := OLD; sign := 1; END IF;
      {TARGET} SELECT {COLUMNS}, sign * count(*) FROM appraisal a
        WHERE a.employee_id = r.employee_id AND a.period_id = r.period_id
          AND a.end_date = (SELECT p.end_date FROM period p WHERE p.id = a.period_id)
        GROUP BY {COLUMNS};
      RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER appraisal_count_exclusion AFTER INSERT OR DELETE ON planning_exclusion"
    " FOR EACH ROW EXECUTE FUNCTION appraisal_count_exclusion()",
    f"""
    CREATE FUNCTION appraisal_count_period() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      {TARGET} SELECT {COLUMNS}, sum(delta) FROM (
        SELECT {COLUMNS}, CASE WHEN a.end_date = OLD.end_date THEN -1 ELSE 1 END AS delta
        FROM appraisal a WHERE a.period_id = NEW.id
          AND a.end_date IN (OLD.end_date, NEW.end_date)
          AND NOT EXISTS (SELECT 1 FROM planning_exclusion x
            WHERE x.employee_id = a.employee_id AND x.period_id = a.period_id)
      ) moved GROUP BY {COLUMNS} HAVING sum(delta) <> 0;
      RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER appraisal_count_period AFTER UPDATE OF end_date ON period FOR EACH ROW"
    " WHEN (OLD.end_date IS DISTINCT FROM NEW.end_date) EXECUTE FUNCTION appraisal_count_period()",
]

TRACKED = ("period_id", "employee_id", "opd_id", "state", "predikat", "end_date")


def _one(row: str, sign: str) -> str:
    return f"{TARGET} SELECT {row}.period_id, {row}.opd_id, {row}.state, {row}.predikat, {sign}1 WHERE {counted(row)};"


SQLITE = [
    f"CREATE TRIGGER appraisal_count_insert AFTER INSERT ON appraisal BEGIN {_one('NEW', '')} END",
    f"CREATE TRIGGER appraisal_count_update AFTER UPDATE OF {', '.join(TRACKED)} ON appraisal"
    f" WHEN {' OR '.join(f'OLD.{c} IS NOT NEW.{c}' for c in TRACKED)}"
    f" BEGIN {_one('OLD', '-')} {_one('NEW', '')} END",
    f"CREATE TRIGGER appraisal_count_delete AFTER DELETE ON appraisal BEGIN {_one('OLD', '-')} END",
    f"""CREATE TRIGGER appraisal_count_exclude AFTER INSERT ON planning_exclusion BEGIN
      {TARGET} SELECT {COLUMNS}, -count(*) FROM appraisal a
        WHERE a.employee_id = NEW.employee_id AND a.period_id = NEW.period_id
          AND a.end_date = (SELECT p.end_date FROM period p WHERE p.id = a.period_id)
        GROUP BY {COLUMNS};
    END""",
    f"""CREATE TRIGGER appraisal_count_include AFTER DELETE ON planning_exclusion BEGIN
      {TARGET} SELECT {COLUMNS}, count(*) FROM appraisal a
        WHERE a.employee_id = OLD.employee_id AND a.period_id = OLD.period_id
          AND a.end_date = (SELECT p.end_date FROM period p WHERE p.id = a.period_id)
        GROUP BY {COLUMNS};
    END""",
    f"""CREATE TRIGGER appraisal_count_period AFTER UPDATE OF end_date ON period
    WHEN OLD.end_date IS NOT NEW.end_date BEGIN
      {TARGET} SELECT {COLUMNS}, sum(delta) FROM (
        SELECT {COLUMNS}, CASE WHEN a.end_date = OLD.end_date THEN -1 ELSE 1 END AS delta
        FROM appraisal a WHERE a.period_id = NEW.id
          AND a.end_date IN (OLD.end_date, NEW.end_date)
          AND NOT EXISTS (SELECT 1 FROM planning_exclusion x
            WHERE x.employee_id = a.employee_id AND x.period_id = a.period_id)
      ) GROUP BY {COLUMNS} HAVING sum(delta) <> 0;
    END""",
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS appraisal_count_insert",
    "DROP TRIGGER IF EXISTS appraisal_count_update",
    "DROP TRIGGER IF EXISTS appraisal_count_delete",
    "DROP TRIGGER IF EXISTS appraisal_count_exclude",
    "DROP TRIGGER IF EXISTS appraisal_count_include",
    "DROP TRIGGER IF EXISTS appraisal_count_period",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS appraisal_count_insert ON appraisal",
    "DROP TRIGGER IF EXISTS appraisal_count_update ON appraisal",
    "DROP TRIGGER IF EXISTS appraisal_count_delete ON appraisal",
    "DROP TRIGGER IF EXISTS appraisal_count_exclusion ON planning_exclusion",
    "DROP TRIGGER IF EXISTS appraisal_count_period ON period",
    "DROP FUNCTION IF EXISTS appraisal_count_track()",
    "DROP FUNCTION IF EXISTS appraisal_count_exclusion()",
    "DROP FUNCTION IF EXISTS appraisal_count_period()",
]


def upgrade():
    op.create_table('appraisal_count',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('opd_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=40), nullable=False),
    sa.Column('predikat', sa.String(length=16), nullable=True),
    sa.Column('delta', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['opd_id'], ['opd.id'], name=op.f('fk_appraisal_count_opd_id_opd'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['period_id'], ['period.id'], name=op.f('fk_appraisal_count_period_id_period'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appraisal_count'))
    )
    op.create_index('ix_appraisal_count_period_opd', 'appraisal_count', ['period_id', 'opd_id'], unique=False)
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRES if postgres else SQLITE:
        op.execute(statement)
    # Backfill: the counts as they stand, one row per group (after the triggers, in
    # the same transaction, so that nothing written meanwhile is missed or doubled).
    op.execute(
        f"{TARGET} SELECT {COLUMNS}, count(*) FROM appraisal a WHERE {counted('a')}"
        f" GROUP BY {COLUMNS}"
    )


def downgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRES_DROP if postgres else SQLITE_DROP:
        op.execute(statement)
    op.drop_index('ix_appraisal_count_period_opd', table_name='appraisal_count')
    op.drop_table('appraisal_count')
