"""Who rated an appraisal: the verifier of an SKP may not be the one who rated it.

Reviewed by hand: one nullable column with a named foreign key to employee.
Appraisals already rated are credited to their current appraiser, who gave the
ratings unless the appraisal was reassigned since (the audit trail says).

Revision ID: 7d2f4c8e1a90
Revises: 5c1e7a9d3b42
Create Date: 2026-12-01 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d2f4c8e1a90'
down_revision = '5c1e7a9d3b42'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('appraisal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rated_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_appraisal_rated_by_id_employee'), 'employee', ['rated_by_id'], ['id'])
    op.execute(
        "UPDATE appraisal SET rated_by_id = appraiser_id "
        "WHERE rating_hk IS NOT NULL OR rating_pk IS NOT NULL"
    )


def downgrade():
    with op.batch_alter_table('appraisal', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_appraisal_rated_by_id_employee'), type_='foreignkey')
        batch_op.drop_column('rated_by_id')
