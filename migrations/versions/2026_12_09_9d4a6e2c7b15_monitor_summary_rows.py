"""The monitor's summary rows: progress_count, open_task_count, task_day_count, by triggers.

Reviewed by hand. Three new tables of insert-only deltas (app/dashboard/progress_counts.py
says why these keys), their triggers (PostgreSQL: statement-level with transition
tables on appraisal and task, row-level on planning_exclusion, period and position;
SQLite: row-level), the backfill from the existing rows, and an index on
appraisal.position_id (a position moving unit finds its appraisals by it).

Revision ID: 9d4a6e2c7b15
Revises: 6d3a8f1c2e57
Create Date: 2026-12-09 22:45:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "9d4a6e2c7b15"
down_revision = '6d3a8f1c2e57'
branch_labels = None
depends_on = None

PROGRESS = "period_id, opd_id, unit_id, appraiser_id, state"
TASKS = "period_id, opd_id, unit_id, appraiser_id, holder_id, role, opened_on, due_on"
DAYS = "period_id, opd_id, unit_id, appraiser_id, opened_on, due_on"
# Appraisal columns that move an open task from one group to another.
TASK_KEYS = ("period_id", "opd_id", "position_id", "appraiser_id")
# Appraisal columns that decide whether and where an appraisal is counted.
PROGRESS_KEYS = (
    "period_id",
    "employee_id",
    "opd_id",
    "position_id",
    "appraiser_id",
    "state",
    "end_date",
)
TASK_COLUMNS = (
    "appraisal_id",
    "assignee_id",
    "claimed_by_id",
    "role",
    "opened_at",
    "due_date",
    "closed_at",
)


def unit(a: str) -> str:
    """SQL: the unit of the appraisal's position (None without one)."""
    return f"(SELECT p.unit_id FROM position p WHERE p.id = {a}.position_id)"


def latest(a: str) -> str:
    """SQL: the row is an employee's latest segment (the one running to the period's end)."""
    return f"{a}.end_date = (SELECT pe.end_date FROM period pe WHERE pe.id = {a}.period_id)"


def counted(a: str) -> str:
    """SQL: the row is an employee's latest segment, not excluded from planning."""
    return (
        f"{latest(a)} AND NOT EXISTS (SELECT 1 FROM planning_exclusion x"
        f" WHERE x.employee_id = {a}.employee_id AND x.period_id = {a}.period_id)"
    )


def progress_rows(
    a: str, sign: str, source: str = "", where: str = "", unit_sql: str = "", test: str = ""
) -> str:
    """SQL: one signed row per counted appraisal `a` (read from `source`, if any)."""
    return (
        f"SELECT {a}.period_id AS period_id, {a}.opd_id AS opd_id,"
        f" {unit_sql or unit(a)} AS unit_id, {a}.appraiser_id AS appraiser_id,"
        f" {a}.state AS state, {sign or '+'}1 AS delta"
        f" {('FROM ' + source) if source else ''} WHERE {test or counted(a)} {where}"
    )


def exclusion_rows(r: str, sign: str) -> str:
    """SQL: the latest segment of the exclusion `r`'s employee and period, signed.

    Not `counted`: the exclusion row is already there (INSERT) or gone (DELETE).
    """
    return progress_rows(
        "a",
        sign,
        "appraisal a",
        f"AND a.employee_id = {r}.employee_id AND a.period_id = {r}.period_id",
        test=latest("a"),
    )


# The period's last day moves: the segments ending on the old day stop counting, those
# ending on the new one start.
PERIOD_ROWS = progress_rows(
    "a",
    "",
    "appraisal a",
    "AND a.period_id = NEW.id AND a.end_date IN (OLD.end_date, NEW.end_date)",
    test="NOT EXISTS (SELECT 1 FROM planning_exclusion x"
    " WHERE x.employee_id = a.employee_id AND x.period_id = a.period_id)",
).replace("+1 AS delta", "CASE WHEN a.end_date = OLD.end_date THEN -1 ELSE 1 END AS delta")


def task_rows(
    t: str, a: str, sign: str, day: str, source: str, where: str = "", unit_sql: str = ""
) -> str:
    """SQL: one signed row per open appraisal task `t` of appraisal `a`."""
    return (
        f"SELECT {a}.period_id AS period_id, {a}.opd_id AS opd_id,"
        f" {unit_sql or unit(a)} AS unit_id, {a}.appraiser_id AS appraiser_id,"
        f" coalesce({t}.claimed_by_id, {t}.assignee_id) AS holder_id, {t}.role AS role,"
        f" {day.format(f'{t}.opened_at')} AS opened_on, {t}.due_date AS due_on, {sign or '+'}1 AS delta"
        f" FROM {source} WHERE {t}.closed_at IS NULL AND {t}.appraisal_id IS NOT NULL {where}"
    )


def insert(table: str, columns: str, *parts: str) -> str:
    """SQL: INSERT the non-zero sums of the signed rows, one per group.

    The open tasks go to both their tables (two statements): task_day_count is
    open_task_count summed over the holder and the role.
    """
    if table == "open_task_count":
        both = insert("_open_task_count", TASKS, *parts), insert("task_day_count", DAYS, *parts)
        return " ".join(both)
    table = table.lstrip("_")
    return (
        f"INSERT INTO {table} ({columns}, delta) SELECT {columns}, sum(delta) FROM"
        f" ({' UNION ALL '.join(parts)}) moved GROUP BY {columns} HAVING sum(delta) <> 0;"
    )


def changed(old: str, new: str, columns: tuple[str, ...], distinct: str) -> str:
    return " OR ".join(f"{old}.{c} {distinct} {new}.{c}" for c in columns)


# -- PostgreSQL ----------------------------------------------------------------------------
PG_DAY = "CAST({} AS date)"


def pg_tasks(t_table: str, a_table: str, sign: str) -> str:
    return task_rows(
        "t", "a", sign, PG_DAY, f"{t_table} t JOIN {a_table} a ON a.id = t.appraisal_id"
    )


MOVED = f"old_rows o JOIN new_rows n ON n.id = o.id WHERE {changed('o', 'n', TASK_KEYS, 'IS DISTINCT FROM')}"

POSTGRES = [
    f"""
    CREATE FUNCTION progress_count_track() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        {insert("progress_count", PROGRESS, progress_rows("r", "", "new_rows r"))}
      ELSIF TG_OP = 'DELETE' THEN
        {insert("progress_count", PROGRESS, progress_rows("r", "-", "old_rows r"))}
      ELSE
        {
        insert(
            "progress_count",
            PROGRESS,
            progress_rows("r", "-", "old_rows r"),
            progress_rows("r", "", "new_rows r"),
        )
    }
      END IF;
      RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER progress_count_insert AFTER INSERT ON appraisal"
    " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION progress_count_track()",
    "CREATE TRIGGER progress_count_update AFTER UPDATE ON appraisal"
    " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION progress_count_track()",
    "CREATE TRIGGER progress_count_delete AFTER DELETE ON appraisal"
    " REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION progress_count_track()",
    f"""
    CREATE FUNCTION open_task_count_track() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        {insert("open_task_count", TASKS, pg_tasks("new_rows", "appraisal", ""))}
      ELSIF TG_OP = 'DELETE' THEN
        {insert("open_task_count", TASKS, pg_tasks("old_rows", "appraisal", "-"))}
      ELSE
        {
        insert(
            "open_task_count",
            TASKS,
            pg_tasks("old_rows", "appraisal", "-"),
            pg_tasks("new_rows", "appraisal", ""),
        )
    }
      END IF;
      RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER open_task_count_insert AFTER INSERT ON task"
    " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION open_task_count_track()",
    "CREATE TRIGGER open_task_count_update AFTER UPDATE ON task"
    " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION open_task_count_track()",
    "CREATE TRIGGER open_task_count_delete AFTER DELETE ON task"
    " REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION open_task_count_track()",
    # An appraisal reassigned (OPD, appraiser) or given another position: its open
    # tasks move group. Only the rows whose keys changed are looked at.
    f"""
    CREATE FUNCTION open_task_count_appraisal() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      {
        insert(
            "open_task_count",
            TASKS,
            pg_tasks("task", f"(SELECT o.* FROM {MOVED})", "-"),
            pg_tasks("task", f"(SELECT n.* FROM {MOVED})", ""),
        )
    }
      RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER open_task_count_appraisal AFTER UPDATE ON appraisal"
    " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION open_task_count_appraisal()",
    f"""
    CREATE FUNCTION progress_count_exclusion() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        {insert("progress_count", PROGRESS, exclusion_rows("NEW", "-"))}
      ELSE
        {insert("progress_count", PROGRESS, exclusion_rows("OLD", ""))}
      END IF;
      RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER progress_count_exclusion AFTER INSERT OR DELETE ON planning_exclusion"
    " FOR EACH ROW EXECUTE FUNCTION progress_count_exclusion()",
    f"""
    CREATE FUNCTION progress_count_period() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      {insert("progress_count", PROGRESS, PERIOD_ROWS)}
      RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER progress_count_period AFTER UPDATE OF end_date ON period FOR EACH ROW"
    " WHEN (OLD.end_date IS DISTINCT FROM NEW.end_date) EXECUTE FUNCTION progress_count_period()",
    f"""
    CREATE FUNCTION monitor_count_position() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      {
        insert(
            "progress_count",
            PROGRESS,
            progress_rows("a", "-", "appraisal a", "AND a.position_id = NEW.id", "OLD.unit_id"),
            progress_rows("a", "", "appraisal a", "AND a.position_id = NEW.id", "NEW.unit_id"),
        )
    }
      {
        insert(
            "open_task_count",
            TASKS,
            task_rows(
                "t",
                "a",
                "-",
                PG_DAY,
                "task t JOIN appraisal a ON a.id = t.appraisal_id",
                "AND a.position_id = NEW.id",
                "OLD.unit_id",
            ),
            task_rows(
                "t",
                "a",
                "",
                PG_DAY,
                "task t JOIN appraisal a ON a.id = t.appraisal_id",
                "AND a.position_id = NEW.id",
                "NEW.unit_id",
            ),
        )
    }
      RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER monitor_count_position AFTER UPDATE OF unit_id ON position FOR EACH ROW"
    " WHEN (OLD.unit_id IS DISTINCT FROM NEW.unit_id) EXECUTE FUNCTION monitor_count_position()",
]

# -- SQLite (development and tests): row-level -------------------------------------------
LITE_DAY = "date({})"


def lite_progress(row: str, sign: str) -> str:
    return progress_rows(row, sign)


def lite_tasks_of(a: str, sign: str) -> str:
    """The open tasks of the appraisal row `a` (OLD or NEW)."""
    return task_rows("t", a, sign, LITE_DAY, "task t", f"AND t.appraisal_id = {a}.id")


def lite_task(t: str, sign: str) -> str:
    """The task row `t` (OLD or NEW), if it is an open appraisal task."""
    return task_rows(t, "a", sign, LITE_DAY, "appraisal a", f"AND a.id = {t}.appraisal_id")


def lite_exclusion(r: str, sign: str) -> str:
    return insert("progress_count", PROGRESS, exclusion_rows(r, sign))


SQLITE = [
    f"CREATE TRIGGER progress_count_insert AFTER INSERT ON appraisal BEGIN"
    f" {insert('progress_count', PROGRESS, lite_progress('NEW', ''))} END",
    f"CREATE TRIGGER progress_count_update AFTER UPDATE OF {', '.join(PROGRESS_KEYS)} ON appraisal"
    f" WHEN {changed('OLD', 'NEW', PROGRESS_KEYS, 'IS NOT')} BEGIN"
    f" {insert('progress_count', PROGRESS, lite_progress('OLD', '-'), lite_progress('NEW', ''))} END",
    f"CREATE TRIGGER progress_count_delete AFTER DELETE ON appraisal BEGIN"
    f" {insert('progress_count', PROGRESS, lite_progress('OLD', '-'))} END",
    f"CREATE TRIGGER open_task_count_appraisal AFTER UPDATE OF {', '.join(TASK_KEYS)} ON appraisal"
    f" WHEN {changed('OLD', 'NEW', TASK_KEYS, 'IS NOT')} BEGIN"
    f" {insert('open_task_count', TASKS, lite_tasks_of('OLD', '-'), lite_tasks_of('NEW', ''))} END",
    f"CREATE TRIGGER progress_count_exclude AFTER INSERT ON planning_exclusion BEGIN"
    f" {lite_exclusion('NEW', '-')} END",
    f"CREATE TRIGGER progress_count_include AFTER DELETE ON planning_exclusion BEGIN"
    f" {lite_exclusion('OLD', '')} END",
    f"""CREATE TRIGGER progress_count_period AFTER UPDATE OF end_date ON period
    WHEN OLD.end_date IS NOT NEW.end_date BEGIN
      {insert("progress_count", PROGRESS, PERIOD_ROWS)}
    END""",
    f"""CREATE TRIGGER monitor_count_position AFTER UPDATE OF unit_id ON position
    WHEN OLD.unit_id IS NOT NEW.unit_id BEGIN
      {
        insert(
            "progress_count",
            PROGRESS,
            progress_rows("a", "-", "appraisal a", "AND a.position_id = NEW.id", "OLD.unit_id"),
            progress_rows("a", "", "appraisal a", "AND a.position_id = NEW.id", "NEW.unit_id"),
        )
    }
      {
        insert(
            "open_task_count",
            TASKS,
            task_rows(
                "t",
                "a",
                "-",
                LITE_DAY,
                "task t JOIN appraisal a ON a.id = t.appraisal_id",
                "AND a.position_id = NEW.id",
                "OLD.unit_id",
            ),
            task_rows(
                "t",
                "a",
                "",
                LITE_DAY,
                "task t JOIN appraisal a ON a.id = t.appraisal_id",
                "AND a.position_id = NEW.id",
                "NEW.unit_id",
            ),
        )
    }
    END""",
    f"CREATE TRIGGER open_task_count_insert AFTER INSERT ON task BEGIN"
    f" {insert('open_task_count', TASKS, lite_task('NEW', ''))} END",
    f"CREATE TRIGGER open_task_count_update AFTER UPDATE OF {', '.join(TASK_COLUMNS)} ON task"
    f" WHEN {changed('OLD', 'NEW', TASK_COLUMNS, 'IS NOT')} BEGIN"
    f" {insert('open_task_count', TASKS, lite_task('OLD', '-'), lite_task('NEW', ''))} END",
    f"CREATE TRIGGER open_task_count_delete AFTER DELETE ON task BEGIN"
    f" {insert('open_task_count', TASKS, lite_task('OLD', '-'))} END",
]

SQLITE_TRIGGERS = (
    "progress_count_insert",
    "progress_count_update",
    "progress_count_delete",
    "open_task_count_appraisal",
    "progress_count_exclude",
    "progress_count_include",
    "progress_count_period",
    "monitor_count_position",
    "open_task_count_insert",
    "open_task_count_update",
    "open_task_count_delete",
)
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS progress_count_insert ON appraisal",
    "DROP TRIGGER IF EXISTS progress_count_update ON appraisal",
    "DROP TRIGGER IF EXISTS progress_count_delete ON appraisal",
    "DROP TRIGGER IF EXISTS open_task_count_appraisal ON appraisal",
    "DROP TRIGGER IF EXISTS open_task_count_insert ON task",
    "DROP TRIGGER IF EXISTS open_task_count_update ON task",
    "DROP TRIGGER IF EXISTS open_task_count_delete ON task",
    "DROP TRIGGER IF EXISTS progress_count_exclusion ON planning_exclusion",
    "DROP TRIGGER IF EXISTS progress_count_period ON period",
    "DROP TRIGGER IF EXISTS monitor_count_position ON position",
    "DROP FUNCTION IF EXISTS progress_count_track()",
    "DROP FUNCTION IF EXISTS open_task_count_track()",
    "DROP FUNCTION IF EXISTS open_task_count_appraisal()",
    "DROP FUNCTION IF EXISTS progress_count_exclusion()",
    "DROP FUNCTION IF EXISTS progress_count_period()",
    "DROP FUNCTION IF EXISTS monitor_count_position()",
]


def _summary_table(name: str, *columns: sa.Column) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("opd_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("appraiser_id", sa.Integer(), nullable=True),
        *columns,
        sa.Column("delta", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["period.id"],
            name=op.f(f"fk_{name}_period_id_period"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["opd_id"], ["opd.id"], name=op.f(f"fk_{name}_opd_id_opd"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f(f"fk_{name}_unit_id_unit"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["appraiser_id"],
            ["employee.id"],
            name=op.f(f"fk_{name}_appraiser_id_employee"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
    )
    op.create_index(f"ix_{name}_period_opd", name, ["period_id", "opd_id"], unique=False)
    op.create_index(
        f"ix_{name}_period_appraiser", name, ["period_id", "appraiser_id"], unique=False
    )


def upgrade():
    # Not in batch mode: rebuilding appraisal on SQLite would drop its count triggers.
    op.create_index("ix_appraisal_position_id", "appraisal", ["position_id"], unique=False)
    _summary_table("progress_count", sa.Column("state", sa.String(length=40), nullable=False))
    _summary_table(
        "open_task_count",
        sa.Column("holder_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["holder_id"],
            ["employee.id"],
            name=op.f("fk_open_task_count_holder_id_employee"),
            ondelete="CASCADE",
        ),
    )
    _summary_table(
        "task_day_count",
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRES if postgres else SQLITE:
        op.execute(statement)
    # Backfill: the counts as they stand (after the triggers, in the same transaction,
    # so that nothing written meanwhile is missed or doubled).
    op.execute(insert("progress_count", PROGRESS, progress_rows("a", "", "appraisal a")))
    open_tasks = task_rows(
        "t", "a", "", PG_DAY if postgres else LITE_DAY,
        "task t JOIN appraisal a ON a.id = t.appraisal_id",
    )
    op.execute(insert("_open_task_count", TASKS, open_tasks))
    op.execute(insert("task_day_count", DAYS, open_tasks))


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRES_DROP:
            op.execute(statement)
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for name in ("task_day_count", "open_task_count", "progress_count"):
        op.drop_index(f"ix_{name}_period_appraiser", table_name=name)
        op.drop_index(f"ix_{name}_period_opd", table_name=name)
        op.drop_table(name)
    op.drop_index("ix_appraisal_position_id", table_name="appraisal")
