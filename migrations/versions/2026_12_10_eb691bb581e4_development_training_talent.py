"""Tindak lanjut: development plans, training events and attendance, talent assessments.

Reviewed by hand. New tables only, no data moves:
- development_plan (one per SKP: the pegawai's agreement or comment, versioned),
  development_need (competency gap: teknis/manajerial/sosial_kultural, the
  BerAKHLAK value or IKI it shows in) and development_action (catalogue kind,
  target year and quarter 1-4, planned/done/cancelled; done needs done_on and JP;
  the certificate file; the training event it was done at). Deleted with the SKP.
- training_event (pelatihan or sosialisasi, dates in order, JP >= 0, versioned),
  training_event_opd (the invited OPDs) and training_attendance (one per event and
  employee, with the certificate).
- talent_assessment (one score 0-100 per employee and year: the 9-box's potential).
- followup_setting (a city's tables by key as JSON, versioned).

Revision ID: eb691bb581e4
Revises: 4e2b7c9d1a53
Create Date: 2026-12-01 22:46:30.375268

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'eb691bb581e4'
down_revision = '4e2b7c9d1a53'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('development_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appraisal_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('agreed_at', sa.DateTime(), nullable=True),
    sa.Column('employee_comment', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('version >= 1', name=op.f('ck_development_plan_version')),
    sa.ForeignKeyConstraint(['appraisal_id'], ['appraisal.id'], name=op.f('fk_development_plan_appraisal_id_appraisal'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['employee.id'], name=op.f('fk_development_plan_created_by_id_employee')),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_development_plan_employee_id_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_development_plan')),
    sa.UniqueConstraint('appraisal_id', name=op.f('uq_development_plan_appraisal_id'))
    )
    with op.batch_alter_table('development_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_development_plan_employee_id'), ['employee_id'], unique=False)

    op.create_table('followup_setting',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('version >= 1', name=op.f('ck_followup_setting_version')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['account.id'], name=op.f('fk_followup_setting_updated_by_id_account')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_followup_setting'))
    )
    op.create_table('talent_assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('score', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('score >= 0 AND score <= 100', name=op.f('ck_talent_assessment_score')),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_talent_assessment_employee_id_employee')),
    sa.ForeignKeyConstraint(['imported_by_id'], ['account.id'], name=op.f('fk_talent_assessment_imported_by_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talent_assessment')),
    sa.UniqueConstraint('employee_id', 'year', name=op.f('uq_talent_assessment_employee_id_year'))
    )
    with op.batch_alter_table('talent_assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_talent_assessment_employee_id'), ['employee_id'], unique=False)

    op.create_table('training_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('topic', sa.String(length=300), nullable=True),
    sa.Column('organiser', sa.String(length=200), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('jp', sa.Numeric(precision=5, scale=1), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('pelatihan', 'sosialisasi')", name=op.f('ck_training_event_kind')),
    sa.CheckConstraint('end_date >= start_date', name=op.f('ck_training_event_dates')),
    sa.CheckConstraint('jp >= 0', name=op.f('ck_training_event_jp')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_training_event_version')),
    sa.ForeignKeyConstraint(['created_by_id'], ['account.id'], name=op.f('fk_training_event_created_by_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_event'))
    )
    with op.batch_alter_table('training_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_event_start_date'), ['start_date'], unique=False)

    op.create_table('training_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('attended', sa.Boolean(), nullable=False),
    sa.Column('certificate_name', sa.String(length=255), nullable=True),
    sa.Column('certificate_stored', sa.String(length=80), nullable=True),
    sa.Column('certificate_sha256', sa.String(length=64), nullable=True),
    sa.Column('marked_by_id', sa.Integer(), nullable=False),
    sa.Column('marked_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_training_attendance_employee_id_employee')),
    sa.ForeignKeyConstraint(['event_id'], ['training_event.id'], name=op.f('fk_training_attendance_event_id_training_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['marked_by_id'], ['account.id'], name=op.f('fk_training_attendance_marked_by_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_attendance')),
    sa.UniqueConstraint('certificate_stored', name=op.f('uq_training_attendance_certificate_stored')),
    sa.UniqueConstraint('event_id', 'employee_id', name=op.f('uq_training_attendance_event_id_employee_id'))
    )
    with op.batch_alter_table('training_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_attendance_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_attendance_event_id'), ['event_id'], unique=False)

    op.create_table('training_event_opd',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('opd_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['training_event.id'], name=op.f('fk_training_event_opd_event_id_training_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['opd_id'], ['opd.id'], name=op.f('fk_training_event_opd_opd_id_opd'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'opd_id', name=op.f('pk_training_event_opd'))
    )
    op.create_table('development_need',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('competency', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('behaviour', sa.String(length=30), nullable=True),
    sa.Column('iki_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("competency IN ('teknis', 'manajerial', 'sosial_kultural')", name=op.f('ck_development_need_competency')),
    sa.ForeignKeyConstraint(['iki_id'], ['iki.id'], name=op.f('fk_development_need_iki_id_iki'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['plan_id'], ['development_plan.id'], name=op.f('fk_development_need_plan_id_development_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_development_need'))
    )
    with op.batch_alter_table('development_need', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_development_need_plan_id'), ['plan_id'], unique=False)

    op.create_table('development_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=True),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('target_year', sa.Integer(), nullable=False),
    sa.Column('target_quarter', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('jp', sa.Numeric(precision=5, scale=1), nullable=True),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('training_event_id', sa.Integer(), nullable=True),
    sa.Column('certificate_name', sa.String(length=255), nullable=True),
    sa.Column('certificate_stored', sa.String(length=80), nullable=True),
    sa.Column('certificate_sha256', sa.String(length=64), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('diklat', 'kursus', 'seminar', 'pelatihan_teknis', 'coaching', 'mentoring', 'job_enrichment', 'detasering', 'e_learning')", name=op.f('ck_development_action_kind')),
    sa.CheckConstraint("status != 'done' OR (done_on IS NOT NULL AND jp IS NOT NULL)", name=op.f('ck_development_action_done_has_jp')),
    sa.CheckConstraint("status IN ('planned', 'done', 'cancelled')", name=op.f('ck_development_action_status')),
    sa.CheckConstraint('jp IS NULL OR jp >= 0', name=op.f('ck_development_action_jp')),
    sa.CheckConstraint('target_quarter BETWEEN 1 AND 4', name=op.f('ck_development_action_target_quarter')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_development_action_version')),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_development_action_employee_id_employee')),
    sa.ForeignKeyConstraint(['need_id'], ['development_need.id'], name=op.f('fk_development_action_need_id_development_need'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['plan_id'], ['development_plan.id'], name=op.f('fk_development_action_plan_id_development_plan'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['training_event_id'], ['training_event.id'], name=op.f('fk_development_action_training_event_id_training_event'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_development_action')),
    sa.UniqueConstraint('certificate_stored', name=op.f('uq_development_action_certificate_stored'))
    )
    with op.batch_alter_table('development_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_development_action_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_development_action_plan_id'), ['plan_id'], unique=False)



def downgrade():
    with op.batch_alter_table('development_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_development_action_plan_id'))
        batch_op.drop_index(batch_op.f('ix_development_action_employee_id'))

    op.drop_table('development_action')
    with op.batch_alter_table('development_need', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_development_need_plan_id'))

    op.drop_table('development_need')
    op.drop_table('training_event_opd')
    with op.batch_alter_table('training_attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_attendance_event_id'))
        batch_op.drop_index(batch_op.f('ix_training_attendance_employee_id'))

    op.drop_table('training_attendance')
    with op.batch_alter_table('training_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_event_start_date'))

    op.drop_table('training_event')
    with op.batch_alter_table('talent_assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_talent_assessment_employee_id'))

    op.drop_table('talent_assessment')
    op.drop_table('followup_setting')
    with op.batch_alter_table('development_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_development_plan_employee_id'))

    op.drop_table('development_plan')
