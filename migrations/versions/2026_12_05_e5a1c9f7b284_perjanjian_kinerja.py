"""Perjanjian Kinerja: the OPD's sasaran and indicators per year; a JPT RHK links to a sasaran.

Reviewed by hand: three new tables (perjanjian_kinerja unique per OPD and year;
pk_sasaran and pk_indikator deleted with their parent) and rhk.pk_sasaran_id,
nullable, set to NULL when its sasaran goes.

Revision ID: e5a1c9f7b284
Revises: c3eaecde0115
Create Date: 2026-12-05 17:20:00.000000

"""
from alembic import op
import sqlalchemy as sa

import app.models.types


# revision identifiers, used by Alembic.
revision = 'e5a1c9f7b284'
down_revision = 'c3eaecde0115'
branch_labels = None
depends_on = None


def _amount(name):
    return sa.Column(name, sa.Numeric(precision=14, scale=2), nullable=True)


def upgrade():
    op.create_table(
        'perjanjian_kinerja',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('opd_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('created_at', app.models.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['opd_id'], ['opd.id'], name=op.f('fk_perjanjian_kinerja_opd_id_opd')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_perjanjian_kinerja')),
        sa.UniqueConstraint('opd_id', 'year', name=op.f('uq_perjanjian_kinerja_opd_id_year')),
    )
    op.create_table(
        'pk_sasaran',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('pk_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['pk_id'], ['perjanjian_kinerja.id'], name=op.f('fk_pk_sasaran_pk_id_perjanjian_kinerja'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pk_sasaran')),
    )
    op.create_index(op.f('ix_pk_sasaran_pk_id'), 'pk_sasaran', ['pk_id'], unique=False)
    op.create_table(
        'pk_indikator',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('sasaran_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('unit', sa.String(length=50), nullable=False),
        sa.Column('direction', sa.String(length=8), nullable=False),
        sa.Column('tolerance', sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column('target_year', sa.Numeric(precision=14, scale=2), nullable=False),
        _amount('target_q1'), _amount('target_q2'), _amount('target_q3'), _amount('target_q4'),
        _amount('realisasi_q1'), _amount('realisasi_q2'), _amount('realisasi_q3'), _amount('realisasi_q4'),
        _amount('realisasi_year'),
        sa.CheckConstraint("direction IN ('higher', 'lower', 'exact')", name=op.f('ck_pk_indikator_direction')),
        sa.CheckConstraint('tolerance IS NULL OR (tolerance >= 0 AND tolerance <= 100)', name=op.f('ck_pk_indikator_tolerance')),
        sa.ForeignKeyConstraint(['sasaran_id'], ['pk_sasaran.id'], name=op.f('fk_pk_indikator_sasaran_id_pk_sasaran'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pk_indikator')),
    )
    op.create_index(op.f('ix_pk_indikator_sasaran_id'), 'pk_indikator', ['sasaran_id'], unique=False)
    with op.batch_alter_table('rhk', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pk_sasaran_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_rhk_pk_sasaran_id'), ['pk_sasaran_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_rhk_pk_sasaran_id_pk_sasaran'), 'pk_sasaran', ['pk_sasaran_id'], ['id'], ondelete='SET NULL'
        )


def downgrade():
    with op.batch_alter_table('rhk', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_rhk_pk_sasaran_id_pk_sasaran'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_rhk_pk_sasaran_id'))
        batch_op.drop_column('pk_sasaran_id')
    op.drop_index(op.f('ix_pk_indikator_sasaran_id'), table_name='pk_indikator')
    op.drop_table('pk_indikator')
    op.drop_index(op.f('ix_pk_sasaran_pk_id'), table_name='pk_sasaran')
    op.drop_table('pk_sasaran')
    op.drop_table('perjanjian_kinerja')
