"""Capaian per IKI, RHK ratings, the suggested hasil kerja rating and its override reason.

Reviewed by hand. iki gains its direction (how realisasi is read against the
target), a tolerance for exact targets, the atasan's mark on a qualitative IKI
and the reason an IKI has no bukti dukung. Existing IKI with a numeric target
read "higher is better"; those with a target in words are qualitative. rhk
gains the atasan's rating; appraisal the suggested hasil kerja rating and the
reason for choosing another.

Revision ID: 7e4b1d9c2a60
Revises: a41d6e9b2c58
Create Date: 2026-12-03 14:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7e4b1d9c2a60'
down_revision = 'a41d6e9b2c58'
branch_labels = None
depends_on = None

DIRECTION = "direction IN ('higher', 'lower', 'exact', 'quality')"


def _marks(column):
    return f"{column} IN ('di_atas', 'sesuai', 'di_bawah')"


def upgrade():
    with op.batch_alter_table('iki', schema=None) as batch_op:
        batch_op.add_column(sa.Column('direction', sa.String(length=8), server_default='higher', nullable=False))
        batch_op.add_column(sa.Column('tolerance', sa.Numeric(precision=5, scale=2), nullable=True))
        batch_op.add_column(sa.Column('quality_mark', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('evidence_reason', sa.Text(), nullable=True))
        batch_op.create_check_constraint(batch_op.f('ck_iki_direction'), DIRECTION)
        batch_op.create_check_constraint(batch_op.f('ck_iki_quality_mark'), _marks('quality_mark'))
        batch_op.create_check_constraint(
            batch_op.f('ck_iki_tolerance'), 'tolerance IS NULL OR (tolerance >= 0 AND tolerance <= 100)'
        )
    # An IKI without a numeric target can only be judged in words: qualitative.
    op.execute("UPDATE iki SET direction = 'quality' WHERE target_kind <> 'number'")
    with op.batch_alter_table('rhk', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rating', sa.String(length=8), nullable=True))
        batch_op.create_check_constraint(batch_op.f('ck_rhk_rating'), _marks('rating'))
    with op.batch_alter_table('appraisal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rating_hk_suggested', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('rating_hk_reason', sa.Text(), nullable=True))
        batch_op.create_check_constraint(
            batch_op.f('ck_appraisal_rating_hk_suggested'), _marks('rating_hk_suggested')
        )


def downgrade():
    with op.batch_alter_table('appraisal', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_appraisal_rating_hk_suggested'), type_='check')
        batch_op.drop_column('rating_hk_reason')
        batch_op.drop_column('rating_hk_suggested')
    with op.batch_alter_table('rhk', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_rhk_rating'), type_='check')
        batch_op.drop_column('rating')
    with op.batch_alter_table('iki', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_iki_tolerance'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_iki_quality_mark'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_iki_direction'), type_='check')
        batch_op.drop_column('evidence_reason')
        batch_op.drop_column('quality_mark')
        batch_op.drop_column('tolerance')
        batch_op.drop_column('direction')
