"""Pembinaan as a third workflow subject: the case a Kurang or Sangat Kurang predikat opens,
its monthly monitoring notes, and tasks and audit events that may name a case.

Reviewed by hand. New tables:
- pembinaan_case (one per SKP at most, unique appraisal_id: the employee, OPD and
  atasan, the predikat that opened it, the workflow state and version, the agreed
  plan and when it was agreed, the outcome (membaik, belum_membaik,
  dirujuk_hukuman_disiplin) with its note, opened/closed/updated times);
- pembinaan_note (the atasan's note for one month of a case: unique per case and
  month, its author).
task and audit_event get a nullable pembinaan_id; their one_subject CHECK now
says exactly one of appraisal_id, complaint_id and pembinaan_id is set. A case's
open tasks are unique per role, its audit events numbered (and hash-chained)
per case. task.role also admits the case's task roles (pegawai, atasan).
Every existing row keeps its meaning (it names an appraisal or a complaint).

Only task and audit_event are rebuilt in SQLite batch mode, which drops a
table's triggers without a word, and cannot rename the rebuilt table into place
while another table's trigger names it: on SQLite every trigger is read from
sqlite_master, dropped before and created again after (the counts kept on
appraisal and task among them). On PostgreSQL batch mode alters in place, so the
triggers (audit_event's append-only one among them) stay.

Downgrade deletes every case and what points at one (on PostgreSQL the
append-only trigger of audit_event is disabled for that DELETE only).

Revision ID: 6f2d9c4b8e15
Revises: 9d4a6e2c7b15
Create Date: 2026-12-11 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6f2d9c4b8e15'
down_revision = '9d4a6e2c7b15'
branch_labels = None
depends_on = None

OPEN = sa.text('closed_at IS NULL')
OLD_ONE_SUBJECT = '(appraisal_id IS NULL) <> (complaint_id IS NULL)'
NEW_ONE_SUBJECT = (
    '(CASE WHEN appraisal_id IS NULL THEN 0 ELSE 1 END'
    ' + CASE WHEN complaint_id IS NULL THEN 0 ELSE 1 END'
    ' + CASE WHEN pembinaan_id IS NULL THEN 0 ELSE 1 END) = 1'
)
OLD_ROLES = (
    "role IN ('appraisee', 'appraiser', 'appraiser_superior', 'verifikator_bkd', "
    "'unit_head', 'kepala_opd')"
)
NEW_ROLES = (
    "role IN ('appraisee', 'appraiser', 'appraiser_superior', 'verifikator_bkd', "
    "'unit_head', 'kepala_opd', 'pegawai', 'atasan')"
)


def _lift_triggers():
    """Drop every trigger (SQLite only) and return (name, CREATE TRIGGER statement) of each.

    A batch rebuild drops the rebuilt table's triggers, and SQLite refuses to rename
    the new table into place while a trigger of another table (appraisal's counts)
    names it; so all are lifted around the rebuild and created again after it.
    """
    bind = op.get_bind()
    if bind.dialect.name != 'sqlite':
        return []
    triggers = bind.execute(
        sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL")
    ).all()
    for name, _sql in triggers:
        op.execute(f'DROP TRIGGER "{name}"')
    return triggers


def _restore_triggers(triggers):
    for _name, sql in triggers:
        op.execute(sql)


def upgrade():
    triggers = _lift_triggers()
    op.create_table('pembinaan_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appraisal_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('opd_id', sa.Integer(), nullable=False),
    sa.Column('atasan_id', sa.Integer(), nullable=False),
    sa.Column('predikat', sa.String(length=16), nullable=False),
    sa.Column('workflow', sa.String(length=40), nullable=False),
    sa.Column('state', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('plan', sa.Text(), nullable=True),
    sa.Column('plan_agreed_at', sa.DateTime(), nullable=True),
    sa.Column('outcome', sa.String(length=30), nullable=True),
    sa.Column('outcome_note', sa.Text(), nullable=True),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("predikat IN ('kurang', 'sangat_kurang')", name=op.f('ck_pembinaan_case_predikat')),
    sa.CheckConstraint("outcome IN ('membaik', 'belum_membaik', 'dirujuk_hukuman_disiplin')", name=op.f('ck_pembinaan_case_outcome')),
    sa.ForeignKeyConstraint(['appraisal_id'], ['appraisal.id'], name=op.f('fk_pembinaan_case_appraisal_id_appraisal')),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_pembinaan_case_employee_id_employee')),
    sa.ForeignKeyConstraint(['opd_id'], ['opd.id'], name=op.f('fk_pembinaan_case_opd_id_opd')),
    sa.ForeignKeyConstraint(['atasan_id'], ['employee.id'], name=op.f('fk_pembinaan_case_atasan_id_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pembinaan_case')),
    sa.UniqueConstraint('appraisal_id', name=op.f('uq_pembinaan_case_appraisal_id'))
    )
    op.create_index('ix_pembinaan_case_opd_opened', 'pembinaan_case', ['opd_id', 'opened_at'], unique=False)
    op.create_index('ix_pembinaan_case_atasan', 'pembinaan_case', ['atasan_id'], unique=False)

    op.create_table('pembinaan_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['pembinaan_case.id'], name=op.f('fk_pembinaan_note_case_id_pembinaan_case')),
    sa.ForeignKeyConstraint(['author_id'], ['employee.id'], name=op.f('fk_pembinaan_note_author_id_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pembinaan_note')),
    sa.UniqueConstraint('case_id', 'month', name=op.f('uq_pembinaan_note_case_id_month'))
    )

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pembinaan_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_audit_event_pembinaan_id_seq'), ['pembinaan_id', 'seq'])
        batch_op.create_foreign_key(batch_op.f('fk_audit_event_pembinaan_id_pembinaan_case'), 'pembinaan_case', ['pembinaan_id'], ['id'])
        batch_op.drop_constraint(batch_op.f('ck_audit_event_one_subject'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_audit_event_one_subject'), NEW_ONE_SUBJECT)

    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pembinaan_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_task_pembinaan_id_pembinaan_case'), 'pembinaan_case', ['pembinaan_id'], ['id'])
        batch_op.drop_constraint(batch_op.f('ck_task_role'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_task_role'), NEW_ROLES)
        batch_op.drop_constraint(batch_op.f('ck_task_one_subject'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_task_one_subject'), NEW_ONE_SUBJECT)
    op.create_index('uq_task_open_per_pembinaan_role', 'task', ['pembinaan_id', 'role'], unique=True, postgresql_where=OPEN, sqlite_where=OPEN)
    _restore_triggers(triggers)


def downgrade():
    postgres = op.get_bind().dialect.name == 'postgresql'
    triggers = _lift_triggers()
    op.execute('DELETE FROM notice WHERE task_id IN (SELECT id FROM task WHERE pembinaan_id IS NOT NULL) '
               'OR audit_event_id IN (SELECT id FROM audit_event WHERE pembinaan_id IS NOT NULL)')
    op.execute('UPDATE outbox_message SET audit_event_id = NULL WHERE audit_event_id IN '
               '(SELECT id FROM audit_event WHERE pembinaan_id IS NOT NULL)')
    if postgres:
        op.execute('ALTER TABLE audit_event DISABLE TRIGGER audit_event_immutable')
    op.execute('DELETE FROM audit_event WHERE pembinaan_id IS NOT NULL')
    if postgres:
        op.execute('ALTER TABLE audit_event ENABLE TRIGGER audit_event_immutable')
    op.execute('DELETE FROM task WHERE pembinaan_id IS NOT NULL')

    op.drop_index('uq_task_open_per_pembinaan_role', table_name='task', postgresql_where=OPEN, sqlite_where=OPEN)
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_task_one_subject'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_task_one_subject'), OLD_ONE_SUBJECT)
        batch_op.drop_constraint(batch_op.f('ck_task_role'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_task_role'), OLD_ROLES)
        batch_op.drop_constraint(batch_op.f('fk_task_pembinaan_id_pembinaan_case'), type_='foreignkey')
        batch_op.drop_column('pembinaan_id')

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_audit_event_one_subject'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_audit_event_one_subject'), OLD_ONE_SUBJECT)
        batch_op.drop_constraint(batch_op.f('fk_audit_event_pembinaan_id_pembinaan_case'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_audit_event_pembinaan_id_seq'), type_='unique')
        batch_op.drop_column('pembinaan_id')

    _restore_triggers(triggers)

    op.drop_table('pembinaan_note')
    op.drop_index('ix_pembinaan_case_atasan', table_name='pembinaan_case')
    op.drop_index('ix_pembinaan_case_opd_opened', table_name='pembinaan_case')
    op.drop_table('pembinaan_case')
