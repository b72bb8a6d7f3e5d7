"""Period status changes: closing and reopening a period, with who, when and why.

Reviewed by hand: one new table with named constraints, following the naming
convention; nothing existing changes. Periods closed before this revision have
no entry (their closing was not recorded).

Revision ID: 9b4e6c2d8f15
Revises: b3e91c5a7f20
Create Date: 2026-12-01 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9b4e6c2d8f15'
down_revision = 'b3e91c5a7f20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('period_status_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=6), nullable=False),
    sa.Column('to_status', sa.String(length=6), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('changed_by_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("from_status IN ('draft', 'open', 'closed')", name=op.f('ck_period_status_change_from_status')),
    sa.CheckConstraint("to_status IN ('draft', 'open', 'closed')", name=op.f('ck_period_status_change_to_status')),
    sa.ForeignKeyConstraint(['changed_by_id'], ['account.id'], name=op.f('fk_period_status_change_changed_by_id_account')),
    sa.ForeignKeyConstraint(['period_id'], ['period.id'], name=op.f('fk_period_status_change_period_id_period'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_period_status_change'))
    )
    op.create_index('ix_period_status_change_period', 'period_status_change', ['period_id', 'changed_at'], unique=False)


def downgrade():
    op.drop_index('ix_period_status_change_period', table_name='period_status_change')
    op.drop_table('period_status_change')
