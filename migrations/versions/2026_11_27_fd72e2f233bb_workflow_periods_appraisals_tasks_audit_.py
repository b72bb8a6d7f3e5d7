"""Workflow: periods, appraisals, tasks, the audit trail.

Reviewed by hand: timestamps are plain DateTime columns holding UTC; at most one
open task per appraisal is a partial unique index; on PostgreSQL a trigger makes
audit_event append-only (UPDATE and DELETE raise). SQLite has no such trigger
here: the hash chain (`flask audit verify`) is the check that works on both.

Revision ID: fd72e2f233bb
Revises: 09d779267592
Create Date: 2026-11-27 23:13:59.329582

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'fd72e2f233bb'
down_revision = '09d779267592'
branch_labels = None
depends_on = None


AUDIT_IMMUTABLE_FUNCTION = """
CREATE FUNCTION audit_event_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
"""

AUDIT_IMMUTABLE_TRIGGER = """
CREATE TRIGGER audit_event_immutable
BEFORE UPDATE OR DELETE ON audit_event
FOR EACH ROW EXECUTE FUNCTION audit_event_immutable()
"""


def upgrade():
    op.create_table('period',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=6), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('plan_deadline', sa.Date(), nullable=False),
    sa.Column('assessment_deadline', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=6), nullable=False),
    sa.Column('workflow', sa.String(length=60), nullable=False),
    sa.CheckConstraint("kind IN ('annual', 'tw1', 'tw2', 'tw3', 'tw4')", name=op.f('ck_period_kind')),
    sa.CheckConstraint("status IN ('draft', 'open', 'closed')", name=op.f('ck_period_status')),
    sa.CheckConstraint('end_date >= start_date', name=op.f('ck_period_dates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_period')),
    sa.UniqueConstraint('year', 'kind', name=op.f('uq_period_year_kind'))
    )
    op.create_table('appraisal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('opd_id', sa.Integer(), nullable=True),
    sa.Column('appraiser_id', sa.Integer(), nullable=True),
    sa.Column('appraiser_acting', sa.String(length=3), nullable=True),
    sa.Column('workflow', sa.String(length=60), nullable=False),
    sa.Column('state', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('finalised_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("appraiser_acting IN ('plt', 'plh')", name=op.f('ck_appraisal_appraiser_acting')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_appraisal_version')),
    sa.ForeignKeyConstraint(['appraiser_id'], ['employee.id'], name=op.f('fk_appraisal_appraiser_id_employee')),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_appraisal_employee_id_employee')),
    sa.ForeignKeyConstraint(['opd_id'], ['opd.id'], name=op.f('fk_appraisal_opd_id_opd')),
    sa.ForeignKeyConstraint(['period_id'], ['period.id'], name=op.f('fk_appraisal_period_id_period')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appraisal')),
    sa.UniqueConstraint('employee_id', 'period_id', name=op.f('uq_appraisal_employee_id_period_id'))
    )
    op.create_index(op.f('ix_appraisal_appraiser_id'), 'appraisal', ['appraiser_id'], unique=False)
    op.create_index(op.f('ix_appraisal_opd_id'), 'appraisal', ['opd_id'], unique=False)
    op.create_index(op.f('ix_appraisal_period_id'), 'appraisal', ['period_id'], unique=False)
    op.create_index('ix_appraisal_period_state', 'appraisal', ['period_id', 'state'], unique=False)

    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appraisal_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('acting_as', sa.String(length=3), nullable=True),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('trigger', sa.String(length=40), nullable=False),
    sa.Column('from_state', sa.String(length=40), nullable=False),
    sa.Column('to_state', sa.String(length=40), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('request_id', sa.String(length=64), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.CheckConstraint('seq >= 1', name=op.f('ck_audit_event_seq')),
    sa.ForeignKeyConstraint(['actor_id'], ['employee.id'], name=op.f('fk_audit_event_actor_id_employee')),
    sa.ForeignKeyConstraint(['appraisal_id'], ['appraisal.id'], name=op.f('fk_audit_event_appraisal_id_appraisal')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event')),
    sa.UniqueConstraint('appraisal_id', 'seq', name=op.f('uq_audit_event_appraisal_id_seq'))
    )
    op.create_table('task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appraisal_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=40), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('claimed_by_id', sa.Integer(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("role IN ('appraisee', 'appraiser', 'appraiser_superior', 'verifikator_bkd')", name=op.f('ck_task_role')),
    sa.ForeignKeyConstraint(['appraisal_id'], ['appraisal.id'], name=op.f('fk_task_appraisal_id_appraisal')),
    sa.ForeignKeyConstraint(['assignee_id'], ['employee.id'], name=op.f('fk_task_assignee_id_employee')),
    sa.ForeignKeyConstraint(['claimed_by_id'], ['employee.id'], name=op.f('fk_task_claimed_by_id_employee')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['employee.id'], name=op.f('fk_task_closed_by_id_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task'))
    )
    op.create_index('ix_task_group', 'task', ['role', 'closed_at', 'due_date'], unique=False)
    op.create_index('ix_task_inbox', 'task', ['assignee_id', 'closed_at', 'due_date'], unique=False)
    op.create_index('uq_task_open_per_appraisal', 'task', ['appraisal_id'], unique=True, postgresql_where=sa.text('closed_at IS NULL'), sqlite_where=sa.text('closed_at IS NULL'))

    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audit_event_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_message_audit_event_id'), ['audit_event_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_outbox_message_audit_event_id_audit_event'), 'audit_event', ['audit_event_id'], ['id'])

    if op.get_bind().dialect.name == 'postgresql':
        op.execute(AUDIT_IMMUTABLE_FUNCTION)
        op.execute(AUDIT_IMMUTABLE_TRIGGER)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER audit_event_immutable ON audit_event')
        op.execute('DROP FUNCTION audit_event_immutable()')
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_message_audit_event_id_audit_event'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbox_message_audit_event_id'))
        batch_op.drop_column('audit_event_id')

    op.drop_index('uq_task_open_per_appraisal', table_name='task', postgresql_where=sa.text('closed_at IS NULL'), sqlite_where=sa.text('closed_at IS NULL'))
    op.drop_index('ix_task_inbox', table_name='task')
    op.drop_index('ix_task_group', table_name='task')

    op.drop_table('task')
    op.drop_table('audit_event')
    op.drop_index('ix_appraisal_period_state', table_name='appraisal')
    op.drop_index(op.f('ix_appraisal_period_id'), table_name='appraisal')
    op.drop_index(op.f('ix_appraisal_opd_id'), table_name='appraisal')
    op.drop_index(op.f('ix_appraisal_appraiser_id'), table_name='appraisal')

    op.drop_table('appraisal')
    op.drop_table('period')
