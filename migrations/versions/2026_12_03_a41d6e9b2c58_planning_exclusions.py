"""Planning exclusions: employees BKD excludes from SKP planning in a period, and why.

Reviewed by hand: one new table.

Revision ID: a41d6e9b2c58
Revises: 5e8a2c7f3b19
Create Date: 2026-12-03 09:30:00.000000

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = 'a41d6e9b2c58'
down_revision = '5e8a2c7f3b19'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('planning_exclusion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=30), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("reason IN ('tugas_belajar', 'cltn', 'diberhentikan_sementara', 'diperbantukan', 'lainnya')", name=op.f('ck_planning_exclusion_reason')),
    sa.CheckConstraint('end_date >= start_date', name=op.f('ck_planning_exclusion_dates')),
    sa.ForeignKeyConstraint(['created_by_id'], ['account.id'], name=op.f('fk_planning_exclusion_created_by_id_account')),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_planning_exclusion_employee_id_employee')),
    sa.ForeignKeyConstraint(['period_id'], ['period.id'], name=op.f('fk_planning_exclusion_period_id_period')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_planning_exclusion')),
    sa.UniqueConstraint('employee_id', 'period_id', name=op.f('uq_planning_exclusion_employee_id_period_id'))
    )
    with op.batch_alter_table('planning_exclusion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_planning_exclusion_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_planning_exclusion_period_id'), ['period_id'], unique=False)


def downgrade():
    with op.batch_alter_table('planning_exclusion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_planning_exclusion_period_id'))
        batch_op.drop_index(batch_op.f('ix_planning_exclusion_employee_id'))
    op.drop_table('planning_exclusion')
