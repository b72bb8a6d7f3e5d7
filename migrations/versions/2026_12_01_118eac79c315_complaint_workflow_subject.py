"""Pengaduan as a second workflow subject: the complaint case, and tasks and audit events
that name either an appraisal or a complaint.

Reviewed by hand. New table complaint (one case per complaint response: its
workflow state and version, the SLA due date, the unit's answer, when it was
answered and closed). task and audit_event get a nullable complaint_id and their
appraisal_id becomes nullable, with a CHECK that exactly one of the two is set;
a complaint's open tasks are unique per role like an appraisal's, and its audit
events are numbered (and hash-chained) per complaint. task.role also admits the
complaint's task roles (unit_head, kepala_opd). notice.appraisal_id becomes
nullable: a complaint's reminder names its task only. Every existing row keeps
its meaning (they all name an appraisal).

Downgrade deletes every complaint and what points at one (on PostgreSQL the
append-only trigger of audit_event is disabled for that DELETE only).

Revision ID: 118eac79c315
Revises: d892f85cc3bf
Create Date: 2026-12-01 19:17:10.123077

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '118eac79c315'
down_revision = 'd892f85cc3bf'
branch_labels = None
depends_on = None

OPEN = sa.text('closed_at IS NULL')
ONE_SUBJECT = '(appraisal_id IS NULL) <> (complaint_id IS NULL)'
OLD_ROLES = "role IN ('appraisee', 'appraiser', 'appraiser_superior', 'verifikator_bkd')"
NEW_ROLES = (
    "role IN ('appraisee', 'appraiser', 'appraiser_superior', 'verifikator_bkd', "
    "'unit_head', 'kepala_opd')"
)


def upgrade():
    op.create_table('complaint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('service_unit_id', sa.Integer(), nullable=False),
    sa.Column('workflow', sa.String(length=40), nullable=False),
    sa.Column('state', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['response_id'], ['skm_response.id'], name=op.f('fk_complaint_response_id_skm_response')),
    sa.ForeignKeyConstraint(['service_unit_id'], ['service_unit.id'], name=op.f('fk_complaint_service_unit_id_service_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint')),
    sa.UniqueConstraint('response_id', name=op.f('uq_complaint_response_id'))
    )
    op.create_index('ix_complaint_unit_opened', 'complaint', ['service_unit_id', 'opened_at'], unique=False)

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('complaint_id', sa.Integer(), nullable=True))
        batch_op.alter_column('appraisal_id', existing_type=sa.INTEGER(), nullable=True)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_event_complaint_id_seq'), ['complaint_id', 'seq'])
        batch_op.create_foreign_key(batch_op.f('fk_audit_event_complaint_id_complaint'), 'complaint', ['complaint_id'], ['id'])
        batch_op.create_check_constraint(batch_op.f('ck_audit_event_one_subject'), ONE_SUBJECT)

    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.alter_column('appraisal_id', existing_type=sa.INTEGER(), nullable=True)

    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('complaint_id', sa.Integer(), nullable=True))
        batch_op.alter_column('appraisal_id', existing_type=sa.INTEGER(), nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_task_complaint_id_complaint'), 'complaint', ['complaint_id'], ['id'])
        batch_op.drop_constraint(batch_op.f('ck_task_role'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_task_role'), NEW_ROLES)
        batch_op.create_check_constraint(batch_op.f('ck_task_one_subject'), ONE_SUBJECT)
    op.create_index('uq_task_open_per_complaint_role', 'task', ['complaint_id', 'role'], unique=True, postgresql_where=OPEN, sqlite_where=OPEN)


def downgrade():
    postgres = op.get_bind().dialect.name == 'postgresql'
    op.execute('DELETE FROM notice WHERE appraisal_id IS NULL')
    op.execute('UPDATE outbox_message SET audit_event_id = NULL WHERE audit_event_id IN '
               '(SELECT id FROM audit_event WHERE complaint_id IS NOT NULL)')
    if postgres:
        op.execute('ALTER TABLE audit_event DISABLE TRIGGER audit_event_immutable')
    op.execute('DELETE FROM audit_event WHERE complaint_id IS NOT NULL')
    if postgres:
        op.execute('ALTER TABLE audit_event ENABLE TRIGGER audit_event_immutable')
    op.execute('DELETE FROM task WHERE complaint_id IS NOT NULL')

    op.drop_index('uq_task_open_per_complaint_role', table_name='task', postgresql_where=OPEN, sqlite_where=OPEN)
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_task_one_subject'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_task_role'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_task_role'), OLD_ROLES)
        batch_op.drop_constraint(batch_op.f('fk_task_complaint_id_complaint'), type_='foreignkey')
        batch_op.alter_column('appraisal_id', existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column('complaint_id')

    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.alter_column('appraisal_id', existing_type=sa.INTEGER(), nullable=False)

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_audit_event_one_subject'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_audit_event_complaint_id_complaint'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_audit_event_complaint_id_seq'), type_='unique')
        batch_op.alter_column('appraisal_id', existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column('complaint_id')

    op.drop_index('ix_complaint_unit_opened', table_name='complaint')
    op.drop_table('complaint')
