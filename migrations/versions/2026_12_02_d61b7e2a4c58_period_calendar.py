"""The statutory calendar: the appraiser's deadlines on a period, and departures from it.

Reviewed by hand. Two nullable dates on period (the plan approved by, the review
done by; periods made before keep none, and their tasks keep counting due_days),
and period_calendar_change, one row per date admin BKD set away from the
statutory proposal, with the reason (app.periods.calendar).

Revision ID: d61b7e2a4c58
Revises: 8c3e5b1f9a47
Create Date: 2026-12-02 14:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd61b7e2a4c58'
down_revision = '8c3e5b1f9a47'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('period', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plan_approval_deadline', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('review_deadline', sa.Date(), nullable=True))
    op.create_table(
        'period_calendar_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('period_id', sa.Integer(), nullable=False),
        sa.Column('field', sa.String(length=30), nullable=False),
        sa.Column('proposed', sa.Date(), nullable=False),
        sa.Column('old_value', sa.Date(), nullable=True),
        sa.Column('new_value', sa.Date(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('changed_by_id', sa.Integer(), nullable=True),
        sa.Column('changed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['changed_by_id'], ['account.id'], name=op.f('fk_period_calendar_change_changed_by_id_account')),
        sa.ForeignKeyConstraint(['period_id'], ['period.id'], name=op.f('fk_period_calendar_change_period_id_period'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_period_calendar_change')),
    )
    op.create_index('ix_period_calendar_change_period', 'period_calendar_change', ['period_id', 'changed_at'], unique=False)


def downgrade():
    op.drop_index('ix_period_calendar_change_period', table_name='period_calendar_change')
    op.drop_table('period_calendar_change')
    with op.batch_alter_table('period', schema=None) as batch_op:
        batch_op.drop_column('review_deadline')
        batch_op.drop_column('plan_approval_deadline')
