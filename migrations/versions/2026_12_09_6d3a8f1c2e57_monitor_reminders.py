"""Bottleneck reminders: the log of reminders sent from the monitor, and the last one per holder.

Reviewed by hand: two new tables, nothing else changes. monitor_reminder logs each
reminder (period, the OPD watched or none for the city, holder, sender, the counts
the mail named, its outbox row); monitor_reminder_latest keeps one row per holder,
claimed by an atomic upsert, so that a holder gets at most one reminder a day
however many people click at once (app.monitoring.reminding).

Revision ID: 6d3a8f1c2e57
Revises: eb691bb581e4
Create Date: 2026-12-09 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6d3a8f1c2e57'
down_revision = 'eb691bb581e4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('monitor_reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('opd_id', sa.Integer(), nullable=True),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=False),
    sa.Column('waiting', sa.Integer(), nullable=False),
    sa.Column('overdue', sa.Integer(), nullable=False),
    sa.Column('outbox_message_id', sa.Integer(), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('waiting > 0 AND overdue >= 0 AND overdue <= waiting', name=op.f('ck_monitor_reminder_counts')),
    sa.ForeignKeyConstraint(['holder_id'], ['employee.id'], name=op.f('fk_monitor_reminder_holder_id_employee')),
    sa.ForeignKeyConstraint(['opd_id'], ['opd.id'], name=op.f('fk_monitor_reminder_opd_id_opd')),
    sa.ForeignKeyConstraint(['outbox_message_id'], ['outbox_message.id'], name=op.f('fk_monitor_reminder_outbox_message_id_outbox_message')),
    sa.ForeignKeyConstraint(['period_id'], ['period.id'], name=op.f('fk_monitor_reminder_period_id_period'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sent_by_id'], ['employee.id'], name=op.f('fk_monitor_reminder_sent_by_id_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitor_reminder'))
    )
    op.create_index('ix_monitor_reminder_holder_sent', 'monitor_reminder', ['holder_id', 'sent_at'], unique=False)
    op.create_table('monitor_reminder_latest',
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['holder_id'], ['employee.id'], name=op.f('fk_monitor_reminder_latest_holder_id_employee')),
    sa.ForeignKeyConstraint(['sent_by_id'], ['employee.id'], name=op.f('fk_monitor_reminder_latest_sent_by_id_employee')),
    sa.PrimaryKeyConstraint('holder_id', name=op.f('pk_monitor_reminder_latest'))
    )


def downgrade():
    op.drop_table('monitor_reminder_latest')
    op.drop_index('ix_monitor_reminder_holder_sent', table_name='monitor_reminder')
    op.drop_table('monitor_reminder')
