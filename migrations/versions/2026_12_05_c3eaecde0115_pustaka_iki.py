"""Pustaka IKI: the library of RHK/IKI templates, its audit trail, and the IKI's reference to it.

Reviewed by hand: two new tables (the entry with its status and version; one row
per change), and a nullable iki.library_entry_id (SET NULL when an entry is
deleted) with its index, added in batch mode for SQLite.

Revision ID: c3eaecde0115
Revises: d3f8b1c6a742
Create Date: 2026-12-01 16:09:55.654563

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3eaecde0115'
down_revision = 'd3f8b1c6a742'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('library_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('function', sa.String(length=24), nullable=False),
    sa.Column('jabatan', sa.Text(), nullable=False),
    sa.Column('rhk_text', sa.Text(), nullable=False),
    sa.Column('iki_text', sa.Text(), nullable=False),
    sa.Column('aspect', sa.String(length=10), nullable=False),
    sa.Column('unit', sa.String(length=50), nullable=True),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('measurement', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('target_min', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('target_max', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('target_text', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('proposed_opd_id', sa.Integer(), nullable=True),
    sa.Column('review_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("aspect IN ('kuantitas', 'kualitas', 'waktu', 'biaya')", name=op.f('ck_library_entry_aspect')),
    sa.CheckConstraint("direction IN ('higher', 'lower', 'exact', 'quality')", name=op.f('ck_library_entry_direction')),
    sa.CheckConstraint("function IN ('administrasi_umum', 'keuangan', 'kepegawaian', 'perencanaan', 'teknologi_informasi', 'pengawasan', 'kesehatan', 'pendidikan', 'kependudukan', 'perizinan', 'ketertiban', 'penyuluhan', 'kewilayahan', 'sosial')", name=op.f('ck_library_entry_function')),
    sa.CheckConstraint("status IN ('proposed', 'approved', 'rejected', 'retired')", name=op.f('ck_library_entry_status')),
    sa.CheckConstraint('target_min IS NULL OR target_max IS NULL OR target_min <= target_max', name=op.f('ck_library_entry_target_range')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['employee.id'], name=op.f('fk_library_entry_proposed_by_id_employee')),
    sa.ForeignKeyConstraint(['proposed_opd_id'], ['opd.id'], name=op.f('fk_library_entry_proposed_opd_id_opd')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_library_entry')),
    sa.UniqueConstraint('code', name=op.f('uq_library_entry_code'))
    )
    with op.batch_alter_table('library_entry', schema=None) as batch_op:
        batch_op.create_index('ix_library_entry_status_function', ['status', 'function'], unique=False)

    op.create_table('library_entry_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('from_status', sa.String(length=10), nullable=True),
    sa.Column('to_status', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("action IN ('create', 'propose', 'edit', 'approve', 'reject', 'retire', 'restore', 'import')", name=op.f('ck_library_entry_change_action')),
    sa.ForeignKeyConstraint(['actor_id'], ['employee.id'], name=op.f('fk_library_entry_change_actor_id_employee')),
    sa.ForeignKeyConstraint(['entry_id'], ['library_entry.id'], name=op.f('fk_library_entry_change_entry_id_library_entry'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_library_entry_change'))
    )
    with op.batch_alter_table('library_entry_change', schema=None) as batch_op:
        batch_op.create_index('ix_library_entry_change_entry', ['entry_id', 'changed_at'], unique=False)

    with op.batch_alter_table('iki', schema=None) as batch_op:
        batch_op.add_column(sa.Column('library_entry_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_iki_library_entry_id'), ['library_entry_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_iki_library_entry_id_library_entry'), 'library_entry', ['library_entry_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('iki', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_iki_library_entry_id_library_entry'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_iki_library_entry_id'))
        batch_op.drop_column('library_entry_id')

    with op.batch_alter_table('library_entry_change', schema=None) as batch_op:
        batch_op.drop_index('ix_library_entry_change_entry')

    op.drop_table('library_entry_change')
    with op.batch_alter_table('library_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_library_entry_status_function')

    op.drop_table('library_entry')
