"""Who appraises whom: appraiser rules, position level, the kepala daerah; pengelola kinerja.

Reviewed by hand. The rule table starts with the default the code holds
(app.org.appraisers.DEFAULT_RULES), so that BKD sees and edits the whole table;
a kind or level without a row falls back to the same default. position.kind
gains 'kepala_daerah' (the wali kota's position), position gains a level (which
JPT, the JF jenjang). A pengelola kinerja is appointed per OPD; a plan they
drafted and the audit events of their steps name the employee they acted for.

Revision ID: c5a8e2f417d9
Revises: e94a0c3b7f12
Create Date: 2026-12-03 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c5a8e2f417d9'
down_revision = 'e94a0c3b7f12'
branch_labels = None
depends_on = None

OLD_KINDS = "kind IN ('jpt', 'administrator', 'pengawas', 'pelaksana', 'fungsional')"
NEW_KINDS = (
    "kind IN ('jpt', 'administrator', 'pengawas', 'pelaksana', 'fungsional', 'kepala_daerah')"
)
PENILAI = (
    "penilai IN ('direct', 'min_pengawas', 'min_administrator', 'min_jpt', 'sekda', "
    "'kepala_daerah')"
)
ATASAN = "atasan_penilai IN ('atasan_of_penilai', 'same_as_penilai', 'sekda', 'kepala_daerah')"

# The default of app.org.appraisers.DEFAULT_RULES when this was written (sources cited there).
DEFAULTS = [
    ('jpt', '', 'kepala_daerah', 'kepala_daerah'),
    ('jpt', 'sekda', 'kepala_daerah', 'kepala_daerah'),
    ('jpt', 'pratama', 'kepala_daerah', 'kepala_daerah'),
    ('administrator', '', 'min_pengawas', 'atasan_of_penilai'),
    ('pengawas', '', 'min_pengawas', 'atasan_of_penilai'),
    ('pelaksana', '', 'min_pengawas', 'atasan_of_penilai'),
    ('fungsional', '', 'min_pengawas', 'atasan_of_penilai'),
    ('fungsional', 'pemula', 'min_pengawas', 'atasan_of_penilai'),
    ('fungsional', 'terampil', 'min_pengawas', 'atasan_of_penilai'),
    ('fungsional', 'mahir', 'min_pengawas', 'atasan_of_penilai'),
    ('fungsional', 'penyelia', 'min_pengawas', 'atasan_of_penilai'),
    ('fungsional', 'ahli_pertama', 'min_pengawas', 'atasan_of_penilai'),
    ('fungsional', 'ahli_muda', 'min_pengawas', 'atasan_of_penilai'),
    ('fungsional', 'ahli_madya', 'min_pengawas', 'atasan_of_penilai'),
    ('fungsional', 'ahli_utama', 'min_pengawas', 'atasan_of_penilai'),
]


def upgrade():
    with op.batch_alter_table('position', schema=None) as batch_op:
        batch_op.add_column(sa.Column('level', sa.String(length=20), nullable=True))
        batch_op.drop_constraint(batch_op.f('ck_position_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_position_kind'), NEW_KINDS)

    rules = op.create_table('appraiser_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position_kind', sa.String(length=20), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('penilai', sa.String(length=20), nullable=False),
    sa.Column('atasan_penilai', sa.String(length=20), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint(PENILAI, name=op.f('ck_appraiser_rule_penilai')),
    sa.CheckConstraint(ATASAN, name=op.f('ck_appraiser_rule_atasan_penilai')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['account.id'], name=op.f('fk_appraiser_rule_updated_by_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appraiser_rule')),
    sa.UniqueConstraint('position_kind', 'level', name=op.f('uq_appraiser_rule_position_kind_level'))
    )
    op.bulk_insert(rules, [
        {'position_kind': kind, 'level': level, 'penilai': penilai, 'atasan_penilai': atasan}
        for kind, level, penilai, atasan in DEFAULTS
    ])
    op.create_table('appraiser_rule_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position_kind', sa.String(length=20), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('old_penilai', sa.String(length=20), nullable=False),
    sa.Column('new_penilai', sa.String(length=20), nullable=False),
    sa.Column('old_atasan_penilai', sa.String(length=20), nullable=False),
    sa.Column('new_atasan_penilai', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['account.id'], name=op.f('fk_appraiser_rule_change_changed_by_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appraiser_rule_change'))
    )
    op.create_table('pengelola_kinerja',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opd_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('appointed_by_id', sa.Integer(), nullable=True),
    sa.Column('appointed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['opd_id'], ['opd.id'], name=op.f('fk_pengelola_kinerja_opd_id_opd')),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_pengelola_kinerja_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['appointed_by_id'], ['account.id'], name=op.f('fk_pengelola_kinerja_appointed_by_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pengelola_kinerja')),
    sa.UniqueConstraint('opd_id', 'account_id', name=op.f('uq_pengelola_kinerja_opd_id_account_id'))
    )
    op.create_index(op.f('ix_pengelola_kinerja_opd_id'), 'pengelola_kinerja', ['opd_id'], unique=False)
    op.create_index(op.f('ix_pengelola_kinerja_account_id'), 'pengelola_kinerja', ['account_id'], unique=False)

    with op.batch_alter_table('appraisal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plan_drafted_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_appraisal_plan_drafted_by_id_employee'), 'employee', ['plan_drafted_by_id'], ['id'])
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('on_behalf_of_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_audit_event_on_behalf_of_id_employee'), 'employee', ['on_behalf_of_id'], ['id'])


def downgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_audit_event_on_behalf_of_id_employee'), type_='foreignkey')
        batch_op.drop_column('on_behalf_of_id')
    with op.batch_alter_table('appraisal', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_appraisal_plan_drafted_by_id_employee'), type_='foreignkey')
        batch_op.drop_column('plan_drafted_by_id')
    op.drop_index(op.f('ix_pengelola_kinerja_account_id'), table_name='pengelola_kinerja')
    op.drop_index(op.f('ix_pengelola_kinerja_opd_id'), table_name='pengelola_kinerja')
    op.drop_table('pengelola_kinerja')
    op.drop_table('appraiser_rule_change')
    op.drop_table('appraiser_rule')
    op.execute("DELETE FROM position WHERE kind = 'kepala_daerah'")
    with op.batch_alter_table('position', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_position_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_position_kind'), OLD_KINDS)
        batch_op.drop_column('level')
