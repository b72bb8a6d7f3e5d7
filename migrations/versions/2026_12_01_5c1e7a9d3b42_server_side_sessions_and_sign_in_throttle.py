"""Server-side sessions and sign-in throttling instead of the account lock.

Reviewed by hand: two new tables (user_session, login_throttle) and three
account columns dropped. session_epoch is replaced by revoking user_session
rows; failed_logins and locked_until by the login_throttle counters, which
slow sign-ins down without locking an account. Existing sessions end with the
upgrade (their cookies name no user_session row), which is intended. The
column drops are plain ALTER TABLE ... DROP COLUMN: none of them is in an index
or constraint, so SQLite (3.35+) needs no batch copy.

Revision ID: 5c1e7a9d3b42
Revises: a47a0762f9fb
Create Date: 2026-12-01 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c1e7a9d3b42'
down_revision = 'a47a0762f9fb'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('user_session',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('user_agent', sa.String(length=80), nullable=False),
    sa.Column('remember', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_user_session_account_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_session'))
    )
    op.create_index(op.f('ix_user_session_account_id'), 'user_session', ['account_id'], unique=False)
    op.create_table('login_throttle',
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttle'))
    )
    op.drop_column('account', 'failed_logins')
    op.drop_column('account', 'locked_until')
    op.drop_column('account', 'session_epoch')


def downgrade():
    op.add_column('account', sa.Column('session_epoch', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('account', sa.Column('locked_until', sa.DateTime(), nullable=True))
    op.add_column('account', sa.Column('failed_logins', sa.Integer(), nullable=False, server_default='0'))
    op.drop_table('login_throttle')
    op.drop_index(op.f('ix_user_session_account_id'), table_name='user_session')
    op.drop_table('user_session')
