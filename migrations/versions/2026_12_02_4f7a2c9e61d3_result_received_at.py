"""When the appraisee received the final result: the keberatan window runs from it.

Reviewed by hand: one nullable timestamp on appraisal, and on outbox_message a
nullable foreign key naming the appraisal whose final result the mail delivers
(its delivery counts as receipt). Appraisals finalised before this change are
taken as received when they were finalised, so that no window reopens.

Revision ID: 4f7a2c9e61d3
Revises: b3e9a4d61c27
Create Date: 2026-12-02 13:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4f7a2c9e61d3'
down_revision = 'b3e9a4d61c27'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('appraisal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('result_received_at', sa.DateTime(), nullable=True))
    op.execute("UPDATE appraisal SET result_received_at = finalised_at WHERE finalised_at IS NOT NULL")
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('receipt_appraisal_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_outbox_message_receipt_appraisal_id_appraisal'),
            'appraisal', ['receipt_appraisal_id'], ['id'], ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_message_receipt_appraisal_id_appraisal'), type_='foreignkey')
        batch_op.drop_column('receipt_appraisal_id')
    with op.batch_alter_table('appraisal', schema=None) as batch_op:
        batch_op.drop_column('result_received_at')
