"""Periods: background jobs, deadline extensions, roster imports.

Reviewed by hand: three new tables, no change to existing ones; plain
create_index for the new tables.

Revision ID: 43249ae65cae
Revises: 1f0437e9153a
Create Date: 2026-11-27 23:29:37.900881

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '43249ae65cae'
down_revision = '1f0437e9153a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('deadline_extension',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appraisal_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=20), nullable=False),
    sa.Column('new_deadline', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=False),
    sa.Column('granted_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("step IN ('draft', 'self_assessment')", name=op.f('ck_deadline_extension_step')),
    sa.ForeignKeyConstraint(['appraisal_id'], ['appraisal.id'], name=op.f('fk_deadline_extension_appraisal_id_appraisal'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['granted_by_id'], ['account.id'], name=op.f('fk_deadline_extension_granted_by_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadline_extension'))
    )
    op.create_index('ix_deadline_extension_lookup', 'deadline_extension', ['appraisal_id', 'step'], unique=False)

    op.create_table('job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=True),
    sa.Column('params', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('counts', sa.Text(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('open_period')", name=op.f('ck_job_kind')),
    sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name=op.f('ck_job_status')),
    sa.CheckConstraint('done >= 0 AND total >= 0', name=op.f('ck_job_progress')),
    sa.ForeignKeyConstraint(['created_by_id'], ['account.id'], name=op.f('fk_job_created_by_id_account')),
    sa.ForeignKeyConstraint(['period_id'], ['period.id'], name=op.f('fk_job_period_id_period')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job'))
    )
    op.create_index('ix_job_period_status', 'job', ['period_id', 'status'], unique=False)

    op.create_table('roster_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('counts', sa.Text(), nullable=False),
    sa.Column('applied_by_id', sa.Integer(), nullable=False),
    sa.Column('applied_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['applied_by_id'], ['account.id'], name=op.f('fk_roster_import_applied_by_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roster_import'))
    )


def downgrade():
    op.drop_table('roster_import')
    op.drop_index('ix_job_period_status', table_name='job')

    op.drop_table('job')
    op.drop_index('ix_deadline_extension_lookup', table_name='deadline_extension')

    op.drop_table('deadline_extension')
