"""Initial schema: organisation, accounts, outbox.

Reviewed by hand: timestamps are plain DateTime columns holding UTC (the
models' UTCDateTime decorates them); indexes are created directly.

Revision ID: 09d779267592
Revises: 
Create Date: 2026-11-27 23:06:06.882735

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '09d779267592'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('opd',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.CheckConstraint("kind IN ('sekretariat', 'dinas', 'badan', 'inspektorat', 'kecamatan', 'kelurahan', 'rsud', 'uptd')", name=op.f('ck_opd_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opd')),
    sa.UniqueConstraint('code', name=op.f('uq_opd_code'))
    )
    op.create_table('outbox_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=True),
    sa.Column('template', sa.String(length=80), nullable=False),
    sa.Column('locale', sa.String(length=2), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'sent', 'dead')", name=op.f('ck_outbox_message_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message'))
    )
    op.create_index('ix_outbox_message_due', 'outbox_message', ['status', 'next_attempt_at'], unique=False)
    op.create_table('unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opd_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['opd_id'], ['opd.id'], name=op.f('fk_unit_opd_id_opd')),
    sa.ForeignKeyConstraint(['parent_id'], ['unit.id'], name=op.f('fk_unit_parent_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit'))
    )
    op.create_index(op.f('ix_unit_opd_id'), 'unit', ['opd_id'], unique=False)
    op.create_index(op.f('ix_unit_parent_id'), 'unit', ['parent_id'], unique=False)
    op.create_table('position',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opd_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.CheckConstraint("kind IN ('jpt', 'administrator', 'pengawas', 'pelaksana', 'fungsional')", name=op.f('ck_position_kind')),
    sa.ForeignKeyConstraint(['opd_id'], ['opd.id'], name=op.f('fk_position_opd_id_opd')),
    sa.ForeignKeyConstraint(['parent_id'], ['position.id'], name=op.f('fk_position_parent_id_position')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_position_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_position'))
    )
    op.create_index(op.f('ix_position_opd_id'), 'position', ['opd_id'], unique=False)
    op.create_index(op.f('ix_position_parent_id'), 'position', ['parent_id'], unique=False)
    op.create_index(op.f('ix_position_unit_id'), 'position', ['unit_id'], unique=False)
    op.create_table('employee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nip', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('pangkat_golongan', sa.String(length=60), nullable=True),
    sa.Column('status', sa.String(length=4), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=30), nullable=True),
    sa.Column('position_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint("status IN ('PNS', 'PPPK')", name=op.f('ck_employee_status')),
    sa.ForeignKeyConstraint(['position_id'], ['position.id'], name=op.f('fk_employee_position_id_position')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employee')),
    sa.UniqueConstraint('email', name=op.f('uq_employee_email')),
    sa.UniqueConstraint('nip', name=op.f('uq_employee_nip'))
    )
    op.create_index(op.f('ix_employee_position_id'), 'employee', ['position_id'], unique=False)
    op.create_table('account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('is_enabled', sa.Boolean(), nullable=False),
    sa.Column('locale', sa.String(length=2), nullable=False),
    sa.Column('mail_mode', sa.String(length=10), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('session_epoch', sa.Integer(), nullable=False),
    sa.Column('password_changed_at', sa.DateTime(), nullable=True),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("locale IN ('id', 'en')", name=op.f('ck_account_locale')),
    sa.CheckConstraint("mail_mode IN ('immediate', 'digest')", name=op.f('ck_account_mail_mode')),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_account_employee_id_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account')),
    sa.UniqueConstraint('employee_id', name=op.f('uq_account_employee_id'))
    )
    op.create_table('acting_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=3), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.CheckConstraint("kind IN ('plt', 'plh')", name=op.f('ck_acting_assignment_kind')),
    sa.CheckConstraint('end_date >= start_date', name=op.f('ck_acting_assignment_dates')),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_acting_assignment_employee_id_employee')),
    sa.ForeignKeyConstraint(['position_id'], ['position.id'], name=op.f('fk_acting_assignment_position_id_position')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_acting_assignment'))
    )
    op.create_index(op.f('ix_acting_assignment_employee_id'), 'acting_assignment', ['employee_id'], unique=False)
    op.create_index(op.f('ix_acting_assignment_position_id'), 'acting_assignment', ['position_id'], unique=False)
    op.create_table('role_grant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.Column('granted_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("role IN ('verifikator_bkd', 'admin_bkd')", name=op.f('ck_role_grant_role')),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_role_grant_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['granted_by_id'], ['account.id'], name=op.f('fk_role_grant_granted_by_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_role_grant')),
    sa.UniqueConstraint('account_id', 'role', name=op.f('uq_role_grant_account_id_role'))
    )


def downgrade():
    op.drop_table('role_grant')
    op.drop_index(op.f('ix_acting_assignment_position_id'), table_name='acting_assignment')
    op.drop_index(op.f('ix_acting_assignment_employee_id'), table_name='acting_assignment')
    op.drop_table('acting_assignment')
    op.drop_table('account')
    op.drop_index(op.f('ix_employee_position_id'), table_name='employee')
    op.drop_table('employee')
    op.drop_index(op.f('ix_position_unit_id'), table_name='position')
    op.drop_index(op.f('ix_position_parent_id'), table_name='position')
    op.drop_index(op.f('ix_position_opd_id'), table_name='position')
    op.drop_table('position')
    op.drop_index(op.f('ix_unit_parent_id'), table_name='unit')
    op.drop_index(op.f('ix_unit_opd_id'), table_name='unit')
    op.drop_table('unit')
    op.drop_index('ix_outbox_message_due', table_name='outbox_message')
    op.drop_table('outbox_message')
    op.drop_table('opd')
