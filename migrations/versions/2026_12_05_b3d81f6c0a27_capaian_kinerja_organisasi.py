"""Capaian kinerja organisasi per satuan organisasi and the table that gives its predikat.

Reviewed by hand. New tables: org_predikat_band (the published table capaian ->
organisation predikat, seeded with the default of app.skp.scoring.DEFAULT_ORG_BANDS)
with its change log, and org_achievement (the capaian of an OPD or unit per
period, versioned) with its change log. The predikat admin BKD typed per OPD
(opd_predikat) moves over as a capaian at the lower threshold of that predikat in
the default table, so that every OPD keeps its organisation predikat; the moved
rows say so in their source and reason. notice gains the kind 'distribution'.

Revision ID: b3d81f6c0a27
Revises: 3b8d5f1e7a26
Create Date: 2026-12-05 16:30:00.000000

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3d81f6c0a27'
down_revision = '3b8d5f1e7a26'
branch_labels = None
depends_on = None

ORG_PREDIKAT = "('istimewa', 'baik', 'butuh_perbaikan', 'kurang', 'sangat_kurang')"
# app.skp.scoring.DEFAULT_ORG_BANDS, as it was written here.
DEFAULT_BANDS = {
    'istimewa': '110.00',
    'baik': '90.00',
    'butuh_perbaikan': '70.00',
    'kurang': '50.00',
    'sangat_kurang': '0.00',
}
MIGRATED_REASON = 'Dipindahkan dari predikat organisasi yang ditetapkan admin BKD per OPD.'
OLD_KINDS = "('transition', 'due_soon', 'overdue', 'escalation', 'new_work', 'feedback')"
NEW_KINDS = "('transition', 'due_soon', 'overdue', 'escalation', 'new_work', 'feedback', 'distribution')"


def _capaian_of_predikat() -> str:
    cases = ' '.join(f"WHEN '{key}' THEN {value}" for key, value in DEFAULT_BANDS.items())
    return f'CASE predikat {cases} END'


def upgrade():
    band = op.create_table('org_predikat_band',
    sa.Column('predikat', sa.String(length=16), nullable=False),
    sa.Column('min_capaian', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint(f"predikat IN {ORG_PREDIKAT}", name=op.f('ck_org_predikat_band_predikat')),
    sa.CheckConstraint('min_capaian >= 0', name=op.f('ck_org_predikat_band_min_capaian')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['account.id'], name=op.f('fk_org_predikat_band_updated_by_id_account')),
    sa.PrimaryKeyConstraint('predikat', name=op.f('pk_org_predikat_band'))
    )
    op.bulk_insert(band, [
        {'predikat': key, 'min_capaian': value, 'version': 1} for key, value in DEFAULT_BANDS.items()
    ])
    op.create_table('org_predikat_band_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('old_table', sa.Text(), nullable=False),
    sa.Column('new_table', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['account.id'], name=op.f('fk_org_predikat_band_change_changed_by_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_predikat_band_change'))
    )
    op.create_table('org_achievement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opd_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('capaian', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('set_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("source IN ('manual', 'migrated', 'pk')", name=op.f('ck_org_achievement_source')),
    sa.CheckConstraint('capaian >= 0', name=op.f('ck_org_achievement_capaian')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_org_achievement_version')),
    sa.ForeignKeyConstraint(['opd_id'], ['opd.id'], name=op.f('fk_org_achievement_opd_id_opd')),
    sa.ForeignKeyConstraint(['period_id'], ['period.id'], name=op.f('fk_org_achievement_period_id_period')),
    sa.ForeignKeyConstraint(['set_by_id'], ['account.id'], name=op.f('fk_org_achievement_set_by_id_account')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_org_achievement_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_achievement'))
    )
    op.create_index('uq_org_achievement_opd', 'org_achievement', ['opd_id', 'period_id'], unique=True, postgresql_where=sa.text('unit_id IS NULL'), sqlite_where=sa.text('unit_id IS NULL'))
    op.create_index('uq_org_achievement_unit', 'org_achievement', ['unit_id', 'period_id'], unique=True, postgresql_where=sa.text('unit_id IS NOT NULL'), sqlite_where=sa.text('unit_id IS NOT NULL'))
    op.create_index('ix_org_achievement_period_opd', 'org_achievement', ['period_id', 'opd_id'], unique=False)
    op.create_table('org_achievement_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('achievement_id', sa.Integer(), nullable=False),
    sa.Column('old_capaian', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('new_capaian', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['achievement_id'], ['org_achievement.id'], name=op.f('fk_org_achievement_change_achievement_id_org_achievement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['changed_by_id'], ['account.id'], name=op.f('fk_org_achievement_change_changed_by_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_achievement_change'))
    )
    op.create_index('ix_org_achievement_change_achievement', 'org_achievement_change', ['achievement_id', 'id'], unique=False)

    # The typed OPD predikat become capaian that give the same predikat by the default table.
    op.get_bind().execute(
        sa.text(
            "INSERT INTO org_achievement (opd_id, unit_id, period_id, capaian, source, reason, version, set_at) "
            f"SELECT opd_id, NULL, period_id, {_capaian_of_predikat()}, 'migrated', :reason, 1, :now "
            "FROM opd_predikat"
        ),
        # Naive UTC, as the app's UTCDateTime stores it.
        {'reason': MIGRATED_REASON, 'now': datetime.now(timezone.utc).replace(tzinfo=None)},
    )
    op.execute(
        "INSERT INTO org_achievement_change (achievement_id, old_capaian, new_capaian, reason, changed_at) "
        "SELECT id, NULL, capaian, reason, set_at FROM org_achievement"
    )
    op.drop_table('opd_predikat')

    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notice_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notice_kind'), f'kind IN {NEW_KINDS}')


def downgrade():
    op.execute("DELETE FROM notice WHERE kind = 'distribution'")
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notice_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notice_kind'), f'kind IN {OLD_KINDS}')
    op.create_table('opd_predikat',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opd_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('predikat', sa.String(length=16), nullable=False),
    sa.CheckConstraint(f"predikat IN {ORG_PREDIKAT}", name=op.f('ck_opd_predikat_predikat')),
    sa.ForeignKeyConstraint(['opd_id'], ['opd.id'], name=op.f('fk_opd_predikat_opd_id_opd')),
    sa.ForeignKeyConstraint(['period_id'], ['period.id'], name=op.f('fk_opd_predikat_period_id_period')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opd_predikat')),
    sa.UniqueConstraint('opd_id', 'period_id', name=op.f('uq_opd_predikat_opd_id_period_id'))
    )
    # Back to one predikat per OPD, read by the default table (a unit's capaian has no place there).
    cases = ' '.join(
        f"WHEN capaian >= {value} THEN '{key}'" for key, value in DEFAULT_BANDS.items()
    )
    op.execute(
        "INSERT INTO opd_predikat (opd_id, period_id, predikat) "
        f"SELECT opd_id, period_id, CASE {cases} END FROM org_achievement WHERE unit_id IS NULL"
    )
    op.drop_index('ix_org_achievement_change_achievement', table_name='org_achievement_change')
    op.drop_table('org_achievement_change')
    op.drop_index('ix_org_achievement_period_opd', table_name='org_achievement')
    op.drop_index('uq_org_achievement_unit', table_name='org_achievement')
    op.drop_index('uq_org_achievement_opd', table_name='org_achievement')
    op.drop_table('org_achievement')
    op.drop_table('org_predikat_band_change')
    op.drop_table('org_predikat_band')
