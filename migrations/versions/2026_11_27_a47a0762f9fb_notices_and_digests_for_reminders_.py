"""Notifications: notices (reminders, escalations, digest items) and daily digests.

Reviewed by hand: two new tables, no change to existing ones; timestamps are
plain DateTime columns holding UTC; plain create_index for the new tables. The
partial unique index makes each reminder, escalation and new-work listing happen
once per (task, kind, recipient); the partial index on recipient_id covers the
notices that wait for the next digest.

Revision ID: a47a0762f9fb
Revises: 43249ae65cae
Create Date: 2026-11-27 23:30:51.833728

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a47a0762f9fb'
down_revision = '43249ae65cae'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('digest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('items', sa.Integer(), nullable=False),
    sa.Column('outbox_message_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['outbox_message_id'], ['outbox_message.id'], name=op.f('fk_digest_outbox_message_id_outbox_message')),
    sa.ForeignKeyConstraint(['recipient_id'], ['employee.id'], name=op.f('fk_digest_recipient_id_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_digest')),
    sa.UniqueConstraint('recipient_id', 'day', name=op.f('uq_digest_recipient_id_day'))
    )
    op.create_table('notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('appraisal_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('audit_event_id', sa.Integer(), nullable=True),
    sa.Column('outbox_message_id', sa.Integer(), nullable=True),
    sa.Column('digest_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('transition', 'due_soon', 'overdue', 'escalation', 'new_work')", name=op.f('ck_notice_kind')),
    sa.ForeignKeyConstraint(['appraisal_id'], ['appraisal.id'], name=op.f('fk_notice_appraisal_id_appraisal')),
    sa.ForeignKeyConstraint(['audit_event_id'], ['audit_event.id'], name=op.f('fk_notice_audit_event_id_audit_event')),
    sa.ForeignKeyConstraint(['digest_id'], ['digest.id'], name=op.f('fk_notice_digest_id_digest')),
    sa.ForeignKeyConstraint(['outbox_message_id'], ['outbox_message.id'], name=op.f('fk_notice_outbox_message_id_outbox_message')),
    sa.ForeignKeyConstraint(['recipient_id'], ['employee.id'], name=op.f('fk_notice_recipient_id_employee')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_notice_task_id_task')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice'))
    )
    op.create_index(op.f('ix_notice_appraisal_id'), 'notice', ['appraisal_id'], unique=False)
    op.create_index(op.f('ix_notice_digest_id'), 'notice', ['digest_id'], unique=False)
    op.create_index('ix_notice_waiting', 'notice', ['recipient_id'], unique=False, postgresql_where=sa.text('digest_id IS NULL AND outbox_message_id IS NULL'), sqlite_where=sa.text('digest_id IS NULL AND outbox_message_id IS NULL'))
    op.create_index('uq_notice_once_per_task', 'notice', ['task_id', 'kind', 'recipient_id'], unique=True, postgresql_where=sa.text("kind <> 'transition'"), sqlite_where=sa.text("kind <> 'transition'"))


def downgrade():
    op.drop_index('uq_notice_once_per_task', table_name='notice')
    op.drop_index('ix_notice_waiting', table_name='notice')
    op.drop_index(op.f('ix_notice_digest_id'), table_name='notice')
    op.drop_index(op.f('ix_notice_appraisal_id'), table_name='notice')
    op.drop_table('notice')
    op.drop_table('digest')
