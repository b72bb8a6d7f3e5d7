"""SKP segments: several appraisals per employee and period, one per jabatan held.

Reviewed by hand. The appraisal gets its segment number, the dates it covers and
the jabatan (its id, and its name as it was). Existing appraisals become segment 1
covering their whole period, with the employee's current position. The unique key
(employee, period) becomes (employee, period, segment).

Revision ID: 5e8a2c7f3b19
Revises: c5a8e2f417d9
Create Date: 2026-12-03 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e8a2c7f3b19'
down_revision = 'c5a8e2f417d9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('appraisal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('segment', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('start_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('end_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('position_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('position_name', sa.String(length=200), nullable=True))
    op.execute(
        "UPDATE appraisal SET "
        "start_date = (SELECT start_date FROM period WHERE period.id = appraisal.period_id), "
        "end_date = (SELECT end_date FROM period WHERE period.id = appraisal.period_id), "
        "position_id = (SELECT position_id FROM employee WHERE employee.id = appraisal.employee_id)"
    )
    op.execute(
        "UPDATE appraisal SET position_name = "
        "(SELECT name FROM \"position\" p WHERE p.id = appraisal.position_id) "
        "WHERE position_id IS NOT NULL"
    )
    with op.batch_alter_table('appraisal', schema=None) as batch_op:
        batch_op.alter_column('start_date', existing_type=sa.Date(), nullable=False)
        batch_op.alter_column('end_date', existing_type=sa.Date(), nullable=False)
        batch_op.create_foreign_key(batch_op.f('fk_appraisal_position_id_position'), 'position', ['position_id'], ['id'])
        batch_op.drop_constraint(batch_op.f('uq_appraisal_employee_id_period_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_appraisal_employee_id_period_id_segment'), ['employee_id', 'period_id', 'segment'])
        batch_op.create_check_constraint('segment', 'segment >= 1')
        batch_op.create_check_constraint('segment_dates', 'end_date >= start_date')


def downgrade():
    # The old unique key allows one SKP per employee and period. Later segments carry
    # tasks, content and an audit trail that must not be thrown away silently: refuse.
    later = op.get_bind().execute(sa.text("SELECT count(*) FROM appraisal WHERE segment > 1")).scalar()
    if later:
        raise RuntimeError(
            f"{later} SKP segments after the first exist; they cannot be kept under the old "
            "one-SKP-per-period key. Remove them by hand before downgrading."
        )
    with op.batch_alter_table('appraisal', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_appraisal_segment_dates'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_appraisal_segment'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_appraisal_employee_id_period_id_segment'), type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_appraisal_position_id_position'), type_='foreignkey')
        batch_op.drop_column('position_name')
        batch_op.drop_column('position_id')
        batch_op.drop_column('end_date')
        batch_op.drop_column('start_date')
        batch_op.drop_column('segment')
        batch_op.create_unique_constraint(batch_op.f('uq_appraisal_employee_id_period_id'), ['employee_id', 'period_id'])
