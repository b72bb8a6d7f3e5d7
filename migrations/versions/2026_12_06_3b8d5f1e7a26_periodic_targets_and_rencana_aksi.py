"""Periodic targets and rencana aksi per IKI, the quarters' sources, the annual pre-fill.

Reviewed by hand. iki_part holds an annual IKI's target and rencana aksi for
each quarter (or month: period.target_breakdown). A quarter's RHK and IKI
remember the annual rows they were copied from (source_rhk_id, source_iki_id),
so that the quarter is measured against its own target, links to the atasan's
same-quarter RHK, and the annual evaluation can read the four quarters back.
iki gains how its annual realisasi follows from the quarters (accumulation)
and the reason a pegawai gives for changing the pre-filled value. Existing
IKI read "sum"; existing periods set quarterly targets.

Revision ID: 3b8d5f1e7a26
Revises: b3d8f1a6c924
Create Date: 2026-12-06 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3b8d5f1e7a26'
down_revision = 'b3d8f1a6c924'
branch_labels = None
depends_on = None

BREAKDOWN = "target_breakdown IN ('quarter', 'month')"


def upgrade():
    op.create_table(
        'iki_part',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('iki_id', sa.Integer(), nullable=False),
        sa.Column('part', sa.Integer(), nullable=False),
        sa.Column('target_value', sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column('rencana_aksi', sa.Text(), nullable=True),
        sa.CheckConstraint('part >= 1 AND part <= 12', name=op.f('ck_iki_part_part')),
        sa.CheckConstraint(
            'target_value IS NULL OR target_value >= 0', name=op.f('ck_iki_part_target_value')
        ),
        sa.ForeignKeyConstraint(
            ['iki_id'], ['iki.id'], name=op.f('fk_iki_part_iki_id_iki'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_iki_part')),
        sa.UniqueConstraint('iki_id', 'part', name=op.f('uq_iki_part_iki_id_part')),
    )
    with op.batch_alter_table('iki', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('accumulation', sa.String(length=7), server_default='sum', nullable=False)
        )
        batch_op.add_column(sa.Column('source_iki_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('realisasi_reason', sa.Text(), nullable=True))
        batch_op.create_check_constraint(
            batch_op.f('ck_iki_accumulation'), "accumulation IN ('sum', 'average', 'last')"
        )
        batch_op.create_index(batch_op.f('ix_iki_source_iki_id'), ['source_iki_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_iki_source_iki_id_iki'), 'iki', ['source_iki_id'], ['id'],
            ondelete='SET NULL',
        )
    with op.batch_alter_table('rhk', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_rhk_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_rhk_source_rhk_id'), ['source_rhk_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_rhk_source_rhk_id_rhk'), 'rhk', ['source_rhk_id'], ['id'],
            ondelete='SET NULL',
        )
    # Not in batch mode: rebuilding period on SQLite would drop the dashboard's count
    # triggers on it; SQLite takes the check constraint with the column instead.
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(
            "ALTER TABLE period ADD COLUMN target_breakdown VARCHAR(7) DEFAULT 'quarter' NOT NULL"
            f" CONSTRAINT ck_period_target_breakdown CHECK ({BREAKDOWN})"
        )
    else:
        op.add_column(
            'period',
            sa.Column(
                'target_breakdown', sa.String(length=7), server_default='quarter', nullable=False
            ),
        )
        op.create_check_constraint(op.f('ck_period_target_breakdown'), 'period', BREAKDOWN)


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        # A column-level check goes with its column (SQLite 3.35+).
        op.execute("ALTER TABLE period DROP COLUMN target_breakdown")
    else:
        op.drop_constraint(op.f('ck_period_target_breakdown'), 'period', type_='check')
        op.drop_column('period', 'target_breakdown')
    with op.batch_alter_table('rhk', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_rhk_source_rhk_id_rhk'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_rhk_source_rhk_id'))
        batch_op.drop_column('source_rhk_id')
    with op.batch_alter_table('iki', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_iki_source_iki_id_iki'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_iki_source_iki_id'))
        batch_op.drop_constraint(batch_op.f('ck_iki_accumulation'), type_='check')
        batch_op.drop_column('realisasi_reason')
        batch_op.drop_column('source_iki_id')
        batch_op.drop_column('accumulation')
    op.drop_table('iki_part')
