"""Penetapan predikat kinerja: the kepala OPD's signed snapshot of the OPD's predikat.

Reviewed by hand: a new table only, indexed by (opd, period) for "the latest one".

Revision ID: d3f8b1c6a742
Revises: c2e7a9d4f510
Create Date: 2026-12-05 17:10:00.000000

"""
from alembic import op
import sqlalchemy as sa

import app.models.types


# revision identifiers, used by Alembic.
revision = 'd3f8b1c6a742'
down_revision = 'c2e7a9d4f510'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'penetapan_predikat',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('opd_id', sa.Integer(), nullable=False),
        sa.Column('period_id', sa.Integer(), nullable=False),
        sa.Column('signed_by_id', sa.Integer(), nullable=False),
        sa.Column('signed_at', app.models.types.UTCDateTime(), nullable=False),
        sa.Column('org_predikat', sa.String(length=16), nullable=True),
        sa.Column('rows', sa.JSON(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['opd_id'], ['opd.id'], name=op.f('fk_penetapan_predikat_opd_id_opd')),
        sa.ForeignKeyConstraint(['period_id'], ['period.id'], name=op.f('fk_penetapan_predikat_period_id_period'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['signed_by_id'], ['employee.id'], name=op.f('fk_penetapan_predikat_signed_by_id_employee')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_penetapan_predikat')),
    )
    op.create_index('ix_penetapan_predikat_opd_period', 'penetapan_predikat', ['opd_id', 'period_id'], unique=False)


def downgrade():
    op.drop_index('ix_penetapan_predikat_opd_period', table_name='penetapan_predikat')
    op.drop_table('penetapan_predikat')
