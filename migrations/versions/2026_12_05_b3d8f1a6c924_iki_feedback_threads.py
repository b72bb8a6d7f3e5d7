"""Umpan balik berkelanjutan: a dated thread of posts per IKI, and notices of them.

Reviewed by hand. New table iki_feedback (one immutable post: IKI, appraisal,
author, body, time; gone with its IKI or appraisal). notice gains
iki_feedback_id (the post a "feedback" notice tells of) and the kind
"feedback" joins the allowed kinds. The downgrade drops the feedback notices
first, so that the narrower check holds again.

Revision ID: b3d8f1a6c924
Revises: e5a1c9f7b284
Create Date: 2026-12-05 16:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3d8f1a6c924'
down_revision = 'e5a1c9f7b284'
branch_labels = None
depends_on = None

OLD_KINDS = "kind IN ('transition', 'due_soon', 'overdue', 'escalation', 'new_work')"
NEW_KINDS = "kind IN ('transition', 'due_soon', 'overdue', 'escalation', 'new_work', 'feedback')"


def upgrade():
    op.create_table('iki_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('iki_id', sa.Integer(), nullable=False),
    sa.Column('appraisal_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['appraisal_id'], ['appraisal.id'], name=op.f('fk_iki_feedback_appraisal_id_appraisal'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['employee.id'], name=op.f('fk_iki_feedback_author_id_employee')),
    sa.ForeignKeyConstraint(['iki_id'], ['iki.id'], name=op.f('fk_iki_feedback_iki_id_iki'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_iki_feedback'))
    )
    op.create_index(op.f('ix_iki_feedback_appraisal_id'), 'iki_feedback', ['appraisal_id'], unique=False)
    op.create_index(op.f('ix_iki_feedback_iki_id'), 'iki_feedback', ['iki_id'], unique=False)
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('iki_feedback_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_notice_iki_feedback_id_iki_feedback'), 'iki_feedback',
            ['iki_feedback_id'], ['id'], ondelete='CASCADE',
        )
        batch_op.drop_constraint(batch_op.f('ck_notice_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notice_kind'), NEW_KINDS)


def downgrade():
    op.execute("DELETE FROM notice WHERE kind = 'feedback'")
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_notice_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_notice_kind'), OLD_KINDS)
        batch_op.drop_constraint(batch_op.f('fk_notice_iki_feedback_id_iki_feedback'), type_='foreignkey')
        batch_op.drop_column('iki_feedback_id')
    op.drop_index(op.f('ix_iki_feedback_iki_id'), table_name='iki_feedback')
    op.drop_index(op.f('ix_iki_feedback_appraisal_id'), table_name='iki_feedback')
    op.drop_table('iki_feedback')
