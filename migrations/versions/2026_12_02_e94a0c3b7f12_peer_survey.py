"""The closed peer survey on an employee's BerAKHLAK (PermenPANRB 6/2022).

Reviewed by hand. Three tables: peer_survey (one per appraisal, asked by its
appraiser), peer_survey_invite (who is asked, and only whether they answered) and
peer_survey_answer (the ratings 1-5 per value and a comment; no respondent and no
timestamp, so that no answer can be traced to an invite).

Revision ID: e94a0c3b7f12
Revises: d61b7e2a4c58
Create Date: 2026-12-02 15:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e94a0c3b7f12'
down_revision = 'd61b7e2a4c58'
branch_labels = None
depends_on = None

VALUES = ('berorientasi_pelayanan', 'akuntabel', 'kompeten', 'harmonis', 'loyal', 'adaptif', 'kolaboratif')


def upgrade():
    op.create_table(
        'peer_survey',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('appraisal_id', sa.Integer(), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=False),
        sa.Column('due_date', sa.Date(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['appraisal_id'], ['appraisal.id'], name=op.f('fk_peer_survey_appraisal_id_appraisal'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['requested_by_id'], ['employee.id'], name=op.f('fk_peer_survey_requested_by_id_employee')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_peer_survey')),
        sa.UniqueConstraint('appraisal_id', name=op.f('uq_peer_survey_appraisal_id')),
    )
    op.create_table(
        'peer_survey_invite',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('survey_id', sa.Integer(), nullable=False),
        sa.Column('employee_id', sa.Integer(), nullable=False),
        sa.Column('answered', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_peer_survey_invite_employee_id_employee')),
        sa.ForeignKeyConstraint(['survey_id'], ['peer_survey.id'], name=op.f('fk_peer_survey_invite_survey_id_peer_survey'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_peer_survey_invite')),
        sa.UniqueConstraint('survey_id', 'employee_id', name=op.f('uq_peer_survey_invite_survey_id_employee_id')),
    )
    op.create_index('ix_peer_survey_invite_open', 'peer_survey_invite', ['employee_id', 'answered'], unique=False)
    op.create_table(
        'peer_survey_answer',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('survey_id', sa.Integer(), nullable=False),
        *[sa.Column(value, sa.SmallInteger(), nullable=False) for value in VALUES],
        sa.Column('comment', sa.Text(), nullable=True),
        *[sa.CheckConstraint(f'{value} BETWEEN 1 AND 5', name=op.f(f'ck_peer_survey_answer_{value}_scale')) for value in VALUES],
        sa.ForeignKeyConstraint(['survey_id'], ['peer_survey.id'], name=op.f('fk_peer_survey_answer_survey_id_peer_survey'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_peer_survey_answer')),
    )
    op.create_index(op.f('ix_peer_survey_answer_survey_id'), 'peer_survey_answer', ['survey_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_peer_survey_answer_survey_id'), table_name='peer_survey_answer')
    op.drop_table('peer_survey_answer')
    op.drop_index('ix_peer_survey_invite_open', table_name='peer_survey_invite')
    op.drop_table('peer_survey_invite')
    op.drop_table('peer_survey')
