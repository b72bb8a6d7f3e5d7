"""Joint steps: one open task per appraisal and role (was: per appraisal).

Reviewed by hand. A joint step (the explanations on a keberatan, PP 30/2019
Pasal 59 ayat 3) has an open task for the appraiser and one for the appraisee
at once; the partial unique index now keys on (appraisal_id, role). Every
existing row satisfies the new index, which is weaker than the old.

Revision ID: 8c3e5b1f9a47
Revises: 4f7a2c9e61d3
Create Date: 2026-12-02 14:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8c3e5b1f9a47'
down_revision = '4f7a2c9e61d3'
branch_labels = None
depends_on = None

OPEN = sa.text('closed_at IS NULL')


def upgrade():
    op.drop_index('uq_task_open_per_appraisal', table_name='task', postgresql_where=OPEN, sqlite_where=OPEN)
    op.create_index('uq_task_open_per_appraisal_role', 'task', ['appraisal_id', 'role'], unique=True, postgresql_where=OPEN, sqlite_where=OPEN)


def downgrade():
    # Only one open task per appraisal again: a joint step's second task is closed first.
    op.execute(
        "UPDATE task SET closed_at = opened_at WHERE closed_at IS NULL AND id NOT IN "
        "(SELECT MIN(id) FROM task WHERE closed_at IS NULL GROUP BY appraisal_id)"
    )
    op.drop_index('uq_task_open_per_appraisal_role', table_name='task', postgresql_where=OPEN, sqlite_where=OPEN)
    op.create_index('uq_task_open_per_appraisal', 'task', ['appraisal_id'], unique=True, postgresql_where=OPEN, sqlite_where=OPEN)
