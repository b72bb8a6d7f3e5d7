"""Outbox: a mail may be stored as what to render, and rendered by the worker at send time.

Reviewed by hand: on outbox_message, a nullable JSON `context` (the ids and plain
values a renderer needs) and subject/body_text become nullable (empty until the
worker renders the row). Rows already rendered are sent as they are.

Revision ID: e7c2b95d1f36
Revises: 7c3f9a1d2e84
Create Date: 2026-12-03 14:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7c2b95d1f36'
down_revision = '7c3f9a1d2e84'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('context', sa.JSON(), nullable=True))
        batch_op.alter_column('subject', existing_type=sa.String(length=300), nullable=True)
        batch_op.alter_column('body_text', existing_type=sa.Text(), nullable=True)


def downgrade():
    # A row still waiting to be rendered cannot be sent by the older code: it is
    # given up on (visible to admins as dead) rather than sent empty.
    op.execute(
        "UPDATE outbox_message SET subject = '', body_text = '', status = 'dead',"
        " last_error = 'not rendered before the downgrade' WHERE body_text IS NULL"
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.alter_column('body_text', existing_type=sa.Text(), nullable=False)
        batch_op.alter_column('subject', existing_type=sa.String(length=300), nullable=False)
        batch_op.drop_column('context')
