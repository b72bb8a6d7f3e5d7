"""Matriks peran hasil: rhk_assignment, one subordinate's role and result in an atasan's RHK.

Reviewed by hand: a new table only; deleting the atasan's RHK or the subordinate's
SKP deletes the cell, deleting the pre-filled RHK only forgets it.

Revision ID: b8d41f6a2e93
Revises: e7c2b95d1f36
Create Date: 2026-12-05 16:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

import app.models.types


# revision identifiers, used by Alembic.
revision = 'b8d41f6a2e93'
down_revision = 'e7c2b95d1f36'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'rhk_assignment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('atasan_rhk_id', sa.Integer(), nullable=False),
        sa.Column('appraisal_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.Text(), nullable=False),
        sa.Column('result', sa.Text(), nullable=False),
        sa.Column('rhk_id', sa.Integer(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', app.models.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['appraisal_id'], ['appraisal.id'], name=op.f('fk_rhk_assignment_appraisal_id_appraisal'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['atasan_rhk_id'], ['rhk.id'], name=op.f('fk_rhk_assignment_atasan_rhk_id_rhk'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by_id'], ['employee.id'], name=op.f('fk_rhk_assignment_created_by_id_employee')),
        sa.ForeignKeyConstraint(['rhk_id'], ['rhk.id'], name=op.f('fk_rhk_assignment_rhk_id_rhk'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_rhk_assignment')),
        sa.UniqueConstraint('atasan_rhk_id', 'appraisal_id', name=op.f('uq_rhk_assignment_atasan_rhk_id_appraisal_id')),
    )
    with op.batch_alter_table('rhk_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rhk_assignment_appraisal_id'), ['appraisal_id'], unique=False)


def downgrade():
    with op.batch_alter_table('rhk_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rhk_assignment_appraisal_id'))
    op.drop_table('rhk_assignment')
