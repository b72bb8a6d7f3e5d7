"""SKM: service units (unit layanan), their services and positions, and the public's responses.

Reviewed by hand. New tables only: service_unit (a public code per unit, the
yearly user count that sizes the sample), service_kind (jenis layanan),
service_unit_position (who serves there), skm_response (the nine answers u1-u9
checked 1-4, the respondent profile, a salted client hash and a unique
fingerprint; never an address), skm_contact (a complainant's contact, deleted
after the retention period). The (service_unit_id, served_on) index carries the
answers on PostgreSQL (INCLUDE) so a period's sums need not visit the table.

Revision ID: 1041c46a0a42
Revises: b3d81f6c0a27
Create Date: 2026-12-01 19:10:16.123705

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1041c46a0a42'
down_revision = 'b3d81f6c0a27'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('service_unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opd_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('head_position_id', sa.Integer(), nullable=True),
    sa.Column('yearly_users', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('yearly_users IS NULL OR yearly_users >= 0', name=op.f('ck_service_unit_yearly_users')),
    sa.ForeignKeyConstraint(['head_position_id'], ['position.id'], name=op.f('fk_service_unit_head_position_id_position')),
    sa.ForeignKeyConstraint(['opd_id'], ['opd.id'], name=op.f('fk_service_unit_opd_id_opd')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_service_unit_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_unit')),
    sa.UniqueConstraint('code', name=op.f('uq_service_unit_code'))
    )
    with op.batch_alter_table('service_unit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_unit_opd_id'), ['opd_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_unit_unit_id'), ['unit_id'], unique=False)

    op.create_table('service_kind',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_unit_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['service_unit_id'], ['service_unit.id'], name=op.f('fk_service_kind_service_unit_id_service_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_kind')),
    sa.UniqueConstraint('service_unit_id', 'name', name=op.f('uq_service_kind_service_unit_id_name'))
    )
    with op.batch_alter_table('service_kind', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_kind_service_unit_id'), ['service_unit_id'], unique=False)

    op.create_table('service_unit_position',
    sa.Column('service_unit_id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['position_id'], ['position.id'], name=op.f('fk_service_unit_position_position_id_position'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_unit_id'], ['service_unit.id'], name=op.f('fk_service_unit_position_service_unit_id_service_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('service_unit_id', 'position_id', name=op.f('pk_service_unit_position'))
    )
    op.create_table('skm_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_unit_id', sa.Integer(), nullable=False),
    sa.Column('service_kind_id', sa.Integer(), nullable=True),
    sa.Column('served_on', sa.Date(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('u1', sa.SmallInteger(), nullable=False),
    sa.Column('u2', sa.SmallInteger(), nullable=False),
    sa.Column('u3', sa.SmallInteger(), nullable=False),
    sa.Column('u4', sa.SmallInteger(), nullable=False),
    sa.Column('u5', sa.SmallInteger(), nullable=False),
    sa.Column('u6', sa.SmallInteger(), nullable=False),
    sa.Column('u7', sa.SmallInteger(), nullable=False),
    sa.Column('u8', sa.SmallInteger(), nullable=False),
    sa.Column('u9', sa.SmallInteger(), nullable=False),
    sa.Column('gender', sa.String(length=1), nullable=False),
    sa.Column('age', sa.SmallInteger(), nullable=False),
    sa.Column('education', sa.String(length=12), nullable=False),
    sa.Column('occupation', sa.String(length=16), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('is_complaint', sa.Boolean(), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('client_hash', sa.String(length=64), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('comment_hidden_at', sa.DateTime(), nullable=True),
    sa.Column('comment_hidden_by_id', sa.Integer(), nullable=True),
    sa.Column('comment_hidden_reason', sa.Text(), nullable=True),
    sa.CheckConstraint("education IN ('sd', 'smp', 'sma', 'diploma', 's1', 's2')", name=op.f('ck_skm_response_education')),
    sa.CheckConstraint("gender IN ('L', 'P')", name=op.f('ck_skm_response_gender')),
    sa.CheckConstraint("occupation IN ('pns_tni_polri', 'swasta', 'wiraswasta', 'pelajar', 'lainnya')", name=op.f('ck_skm_response_occupation')),
    sa.CheckConstraint('age BETWEEN 10 AND 110', name=op.f('ck_skm_response_age')),
    sa.CheckConstraint('comment IS NULL OR length(comment) <= 2000', name=op.f('ck_skm_response_comment')),
    sa.CheckConstraint('u1 BETWEEN 1 AND 4', name=op.f('ck_skm_response_u1')),
    sa.CheckConstraint('u2 BETWEEN 1 AND 4', name=op.f('ck_skm_response_u2')),
    sa.CheckConstraint('u3 BETWEEN 1 AND 4', name=op.f('ck_skm_response_u3')),
    sa.CheckConstraint('u4 BETWEEN 1 AND 4', name=op.f('ck_skm_response_u4')),
    sa.CheckConstraint('u5 BETWEEN 1 AND 4', name=op.f('ck_skm_response_u5')),
    sa.CheckConstraint('u6 BETWEEN 1 AND 4', name=op.f('ck_skm_response_u6')),
    sa.CheckConstraint('u7 BETWEEN 1 AND 4', name=op.f('ck_skm_response_u7')),
    sa.CheckConstraint('u8 BETWEEN 1 AND 4', name=op.f('ck_skm_response_u8')),
    sa.CheckConstraint('u9 BETWEEN 1 AND 4', name=op.f('ck_skm_response_u9')),
    sa.ForeignKeyConstraint(['comment_hidden_by_id'], ['employee.id'], name=op.f('fk_skm_response_comment_hidden_by_id_employee')),
    sa.ForeignKeyConstraint(['service_kind_id'], ['service_kind.id'], name=op.f('fk_skm_response_service_kind_id_service_kind')),
    sa.ForeignKeyConstraint(['service_unit_id'], ['service_unit.id'], name=op.f('fk_skm_response_service_unit_id_service_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skm_response')),
    sa.UniqueConstraint('fingerprint', name=op.f('uq_skm_response_fingerprint'))
    )
    with op.batch_alter_table('skm_response', schema=None) as batch_op:
        batch_op.create_index('ix_skm_response_unit_served', ['service_unit_id', 'served_on'], unique=False, postgresql_include=['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8', 'u9'])

    op.create_table('skm_contact',
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=30), nullable=True),
    sa.ForeignKeyConstraint(['response_id'], ['skm_response.id'], name=op.f('fk_skm_contact_response_id_skm_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('response_id', name=op.f('pk_skm_contact'))
    )


def downgrade():
    op.drop_table('skm_contact')
    with op.batch_alter_table('skm_response', schema=None) as batch_op:
        batch_op.drop_index('ix_skm_response_unit_served', postgresql_include=['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8', 'u9'])

    op.drop_table('skm_response')
    op.drop_table('service_unit_position')
    with op.batch_alter_table('service_kind', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_kind_service_unit_id'))

    op.drop_table('service_kind')
    with op.batch_alter_table('service_unit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_unit_unit_id'))
        batch_op.drop_index(batch_op.f('ix_service_unit_opd_id'))

    op.drop_table('service_unit')
