"""Worker heartbeats: each background worker process says it is alive.

Reviewed by hand: one new table, read by /readyz ("a worker seen within a
minute") and by /metrics. Nothing else changes.

Revision ID: b3e9a1c4d2f7
Revises: 7d2f4c8e1a90
Create Date: 2026-12-01 11:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3e9a1c4d2f7'
down_revision = '7d2f4c8e1a90'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('worker_heartbeat',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('seen_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_worker_heartbeat'))
    )
    op.create_index(op.f('ix_worker_heartbeat_seen_at'), 'worker_heartbeat', ['seen_at'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_worker_heartbeat_seen_at'), table_name='worker_heartbeat')
    op.drop_table('worker_heartbeat')
