"""Tim kerja: teams across the units of an OPD, their members, and the RHK given to them.

Reviewed by hand. New tables: tim_kerja (an OPD's team in a period: name unique
per OPD and period, purpose, lead, and a version that makes two edits at once
end with one winner), tim_kerja_member (team, employee; deleted with the team)
and team_assignment (an atasan's RHK given to a team in the matriks peran
hasil: role and shared result, one per RHK and team, deleted with either).
rhk.tim_kerja_id, nullable, marks an RHK pre-filled as a team's shared result;
set to NULL if the team goes, so the member's plan keeps the RHK. No data moves.

Revision ID: 7a0c68ea1cc9
Revises: 118eac79c315
Create Date: 2026-12-01 19:17:02.705608

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7a0c68ea1cc9'
down_revision = '118eac79c315'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('tim_kerja',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opd_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('version >= 1', name=op.f('ck_tim_kerja_version')),
    sa.ForeignKeyConstraint(['created_by_id'], ['account.id'], name=op.f('fk_tim_kerja_created_by_id_account')),
    sa.ForeignKeyConstraint(['lead_id'], ['employee.id'], name=op.f('fk_tim_kerja_lead_id_employee')),
    sa.ForeignKeyConstraint(['opd_id'], ['opd.id'], name=op.f('fk_tim_kerja_opd_id_opd')),
    sa.ForeignKeyConstraint(['period_id'], ['period.id'], name=op.f('fk_tim_kerja_period_id_period')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['account.id'], name=op.f('fk_tim_kerja_updated_by_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tim_kerja')),
    sa.UniqueConstraint('opd_id', 'period_id', 'name', name=op.f('uq_tim_kerja_opd_id_period_id_name'))
    )
    with op.batch_alter_table('tim_kerja', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tim_kerja_lead_id'), ['lead_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tim_kerja_opd_id'), ['opd_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tim_kerja_period_id'), ['period_id'], unique=False)

    op.create_table('tim_kerja_member',
    sa.Column('tim_kerja_id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_tim_kerja_member_employee_id_employee')),
    sa.ForeignKeyConstraint(['tim_kerja_id'], ['tim_kerja.id'], name=op.f('fk_tim_kerja_member_tim_kerja_id_tim_kerja'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tim_kerja_id', 'employee_id', name=op.f('pk_tim_kerja_member'))
    )
    with op.batch_alter_table('tim_kerja_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tim_kerja_member_employee_id'), ['employee_id'], unique=False)

    op.create_table('team_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('atasan_rhk_id', sa.Integer(), nullable=False),
    sa.Column('tim_kerja_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Text(), nullable=False),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['atasan_rhk_id'], ['rhk.id'], name=op.f('fk_team_assignment_atasan_rhk_id_rhk'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['employee.id'], name=op.f('fk_team_assignment_created_by_id_employee')),
    sa.ForeignKeyConstraint(['tim_kerja_id'], ['tim_kerja.id'], name=op.f('fk_team_assignment_tim_kerja_id_tim_kerja'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_assignment')),
    sa.UniqueConstraint('atasan_rhk_id', 'tim_kerja_id', name=op.f('uq_team_assignment_atasan_rhk_id_tim_kerja_id'))
    )
    with op.batch_alter_table('team_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_assignment_tim_kerja_id'), ['tim_kerja_id'], unique=False)

    with op.batch_alter_table('rhk', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tim_kerja_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_rhk_tim_kerja_id'), ['tim_kerja_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_rhk_tim_kerja_id_tim_kerja'), 'tim_kerja', ['tim_kerja_id'], ['id'], ondelete='SET NULL'
        )



def downgrade():
    with op.batch_alter_table('rhk', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_rhk_tim_kerja_id_tim_kerja'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_rhk_tim_kerja_id'))
        batch_op.drop_column('tim_kerja_id')

    with op.batch_alter_table('team_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_assignment_tim_kerja_id'))

    op.drop_table('team_assignment')
    with op.batch_alter_table('tim_kerja_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tim_kerja_member_employee_id'))

    op.drop_table('tim_kerja_member')
    with op.batch_alter_table('tim_kerja', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tim_kerja_period_id'))
        batch_op.drop_index(batch_op.f('ix_tim_kerja_opd_id'))
        batch_op.drop_index(batch_op.f('ix_tim_kerja_lead_id'))

    op.drop_table('tim_kerja')
