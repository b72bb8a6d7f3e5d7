"""Appraisal: document_facts, what the document shows of others as it stood at finalisation.

Reviewed by hand: one nullable JSON column; documents finalised before it show
the facts as they are now (they were not recorded).

Revision ID: c2e7a9d4f510
Revises: b8d41f6a2e93
Create Date: 2026-12-05 16:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c2e7a9d4f510'
down_revision = 'b8d41f6a2e93'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('appraisal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('document_facts', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('appraisal', schema=None) as batch_op:
        batch_op.drop_column('document_facts')
