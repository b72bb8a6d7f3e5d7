"""SKP content: RHK, IKI, evidence, perilaku, dialog, ratings.

Reviewed by hand: new columns on appraisal get server defaults where they are
NOT NULL, so that existing rows migrate; ratings and predikat are checked enums.

Revision ID: 1f0437e9153a
Revises: fd72e2f233bb
Create Date: 2026-11-27 23:23:30.958292

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1f0437e9153a'
down_revision = 'fd72e2f233bb'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('opd_predikat',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opd_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('predikat', sa.String(length=16), nullable=False),
    sa.CheckConstraint("predikat IN ('istimewa', 'baik', 'butuh_perbaikan', 'kurang', 'sangat_kurang')", name=op.f('ck_opd_predikat_predikat')),
    sa.ForeignKeyConstraint(['opd_id'], ['opd.id'], name=op.f('fk_opd_predikat_opd_id_opd')),
    sa.ForeignKeyConstraint(['period_id'], ['period.id'], name=op.f('fk_opd_predikat_period_id_period')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opd_predikat')),
    sa.UniqueConstraint('opd_id', 'period_id', name=op.f('uq_opd_predikat_opd_id_period_id'))
    )
    op.create_table('behaviour',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appraisal_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.String(length=30), nullable=False),
    sa.Column('expectation', sa.Text(), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=True),
    sa.CheckConstraint("value IN ('berorientasi_pelayanan', 'akuntabel', 'kompeten', 'harmonis', 'loyal', 'adaptif', 'kolaboratif')", name=op.f('ck_behaviour_value')),
    sa.ForeignKeyConstraint(['appraisal_id'], ['appraisal.id'], name=op.f('fk_behaviour_appraisal_id_appraisal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_behaviour')),
    sa.UniqueConstraint('appraisal_id', 'value', name=op.f('uq_behaviour_appraisal_id_value'))
    )
    op.create_table('dialog_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appraisal_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['appraisal_id'], ['appraisal.id'], name=op.f('fk_dialog_note_appraisal_id_appraisal'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['employee.id'], name=op.f('fk_dialog_note_author_id_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dialog_note'))
    )
    op.create_index(op.f('ix_dialog_note_appraisal_id'), 'dialog_note', ['appraisal_id'], unique=False)

    op.create_table('rhk',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appraisal_id', sa.Integer(), nullable=False),
    sa.Column('group_', sa.String(length=8), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('atasan_rhk_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("group_ IN ('utama', 'tambahan')", name=op.f('ck_rhk_group')),
    sa.ForeignKeyConstraint(['appraisal_id'], ['appraisal.id'], name=op.f('fk_rhk_appraisal_id_appraisal'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['atasan_rhk_id'], ['rhk.id'], name=op.f('fk_rhk_atasan_rhk_id_rhk'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rhk'))
    )
    op.create_index(op.f('ix_rhk_appraisal_id'), 'rhk', ['appraisal_id'], unique=False)
    op.create_index(op.f('ix_rhk_atasan_rhk_id'), 'rhk', ['atasan_rhk_id'], unique=False)

    op.create_table('iki',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rhk_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('aspect', sa.String(length=10), nullable=True),
    sa.Column('perspective', sa.String(length=20), nullable=True),
    sa.Column('target_kind', sa.String(length=6), nullable=False),
    sa.Column('target_value', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('target_unit', sa.String(length=50), nullable=True),
    sa.Column('target_text', sa.Text(), nullable=True),
    sa.Column('realisasi_value', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('realisasi_text', sa.Text(), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=True),
    sa.CheckConstraint("aspect IN ('kuantitas', 'kualitas', 'waktu', 'biaya')", name=op.f('ck_iki_aspect')),
    sa.CheckConstraint("perspective IN ('penerima_layanan', 'proses_bisnis', 'penguatan_internal', 'anggaran')", name=op.f('ck_iki_perspective')),
    sa.CheckConstraint("target_kind IN ('number', 'text')", name=op.f('ck_iki_target_kind')),
    sa.CheckConstraint('realisasi_value IS NULL OR realisasi_value >= 0', name=op.f('ck_iki_realisasi_value')),
    sa.CheckConstraint('target_value IS NULL OR target_value >= 0', name=op.f('ck_iki_target_value')),
    sa.ForeignKeyConstraint(['rhk_id'], ['rhk.id'], name=op.f('fk_iki_rhk_id_rhk'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_iki'))
    )
    op.create_index(op.f('ix_iki_rhk_id'), 'iki', ['rhk_id'], unique=False)

    op.create_table('evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('iki_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=4), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=True),
    sa.Column('stored_name', sa.String(length=80), nullable=True),
    sa.Column('content_type', sa.String(length=100), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("(kind = 'file' AND stored_name IS NOT NULL AND sha256 IS NOT NULL) OR (kind = 'link' AND url IS NOT NULL)", name=op.f('ck_evidence_file_or_link')),
    sa.CheckConstraint("kind IN ('file', 'link')", name=op.f('ck_evidence_kind')),
    sa.ForeignKeyConstraint(['iki_id'], ['iki.id'], name=op.f('fk_evidence_iki_id_iki'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['employee.id'], name=op.f('fk_evidence_uploaded_by_id_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_evidence_stored_name'))
    )
    op.create_index(op.f('ix_evidence_iki_id'), 'evidence', ['iki_id'], unique=False)

    with op.batch_alter_table('appraisal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approach', sa.String(length=12), nullable=False, server_default='kuantitatif'))
        batch_op.add_column(sa.Column('rating_hk', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('rating_pk', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('rating_comment', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('predikat', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('document_sha256', sa.String(length=64), nullable=True))
        # Autogenerate does not see check constraints on existing tables; added by hand.
        batch_op.create_check_constraint('approach', "approach IN ('kuantitatif', 'kualitatif')")
        batch_op.create_check_constraint('rating_hk', "rating_hk IN ('di_atas', 'sesuai', 'di_bawah')")
        batch_op.create_check_constraint('rating_pk', "rating_pk IN ('di_atas', 'sesuai', 'di_bawah')")
        batch_op.create_check_constraint(
            'predikat',
            "predikat IN ('sangat_baik', 'baik', 'butuh_perbaikan', 'kurang', 'sangat_kurang')",
        )


def downgrade():
    with op.batch_alter_table('appraisal', schema=None) as batch_op:
        for name in ('predikat', 'rating_pk', 'rating_hk', 'approach'):
            batch_op.drop_constraint(op.f(f'ck_appraisal_{name}'), type_='check')
        batch_op.drop_column('document_sha256')
        batch_op.drop_column('predikat')
        batch_op.drop_column('rating_comment')
        batch_op.drop_column('rating_pk')
        batch_op.drop_column('rating_hk')
        batch_op.drop_column('approach')

    op.drop_index(op.f('ix_evidence_iki_id'), table_name='evidence')

    op.drop_table('evidence')
    op.drop_index(op.f('ix_iki_rhk_id'), table_name='iki')

    op.drop_table('iki')
    op.drop_index(op.f('ix_rhk_atasan_rhk_id'), table_name='rhk')
    op.drop_index(op.f('ix_rhk_appraisal_id'), table_name='rhk')

    op.drop_table('rhk')
    op.drop_index(op.f('ix_dialog_note_appraisal_id'), table_name='dialog_note')

    op.drop_table('dialog_note')
    op.drop_table('behaviour')
    op.drop_table('opd_predikat')
