"""The first-sign-in tour flag and announcements (pengumuman) with their readers.

Reviewed by hand: one nullable account column (every existing account sees the
tour once, which is the point: the guidance is new to everyone) and three new
tables. announcement_opd and announcement_read have composite primary keys and
cascade with their announcement; a read mark also goes with its account.

Revision ID: b3e91c5a7f20
Revises: b3e9a1c4d2f7
Create Date: 2026-12-02 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3e91c5a7f20'
down_revision = 'b3e9a1c4d2f7'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('account', sa.Column('tour_seen_at', sa.DateTime(), nullable=True))
    op.create_table('announcement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_format', sa.String(length=10), nullable=False),
    sa.Column('audience', sa.String(length=10), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("body_format IN ('text', 'markdown')", name=op.f('ck_announcement_body_format')),
    sa.CheckConstraint("audience IN ('city', 'opds')", name=op.f('ck_announcement_audience')),
    sa.ForeignKeyConstraint(['created_by_id'], ['account.id'], name=op.f('fk_announcement_created_by_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_announcement'))
    )
    op.create_index(op.f('ix_announcement_created_at'), 'announcement', ['created_at'], unique=False)
    op.create_table('announcement_opd',
    sa.Column('announcement_id', sa.Integer(), nullable=False),
    sa.Column('opd_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['announcement_id'], ['announcement.id'], name=op.f('fk_announcement_opd_announcement_id_announcement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['opd_id'], ['opd.id'], name=op.f('fk_announcement_opd_opd_id_opd')),
    sa.PrimaryKeyConstraint('announcement_id', 'opd_id', name=op.f('pk_announcement_opd'))
    )
    op.create_index(op.f('ix_announcement_opd_opd_id'), 'announcement_opd', ['opd_id'], unique=False)
    op.create_table('announcement_read',
    sa.Column('announcement_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_announcement_read_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['announcement_id'], ['announcement.id'], name=op.f('fk_announcement_read_announcement_id_announcement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('announcement_id', 'account_id', name=op.f('pk_announcement_read'))
    )
    op.create_index(op.f('ix_announcement_read_account_id'), 'announcement_read', ['account_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_announcement_read_account_id'), table_name='announcement_read')
    op.drop_table('announcement_read')
    op.drop_index(op.f('ix_announcement_opd_opd_id'), table_name='announcement_opd')
    op.drop_table('announcement_opd')
    op.drop_index(op.f('ix_announcement_created_at'), table_name='announcement')
    op.drop_table('announcement')
    op.drop_column('account', 'tour_seen_at')
