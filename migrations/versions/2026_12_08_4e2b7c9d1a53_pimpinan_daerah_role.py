"""The pimpinan daerah role: the city's monitoring, read-only, granted by admin BKD.

Reviewed by hand. Only the check constraint on role_grant.role changes (its list
of granted roles gains 'pimpinan_daerah'); no data moves. Downgrade removes any
pimpinan_daerah grants first, so the narrower check holds.

Revision ID: 4e2b7c9d1a53
Revises: 7a0c68ea1cc9
Create Date: 2026-12-01 22:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4e2b7c9d1a53'
down_revision = '7a0c68ea1cc9'
branch_labels = None
depends_on = None

OLD = "role IN ('verifikator_bkd', 'admin_bkd')"
NEW = "role IN ('verifikator_bkd', 'admin_bkd', 'pimpinan_daerah')"


def upgrade():
    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_role_grant_role'), type_='check')
        batch_op.create_check_constraint('role', NEW)


def downgrade():
    op.execute(sa.text("DELETE FROM role_grant WHERE role = 'pimpinan_daerah'"))
    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_role_grant_role'), type_='check')
        batch_op.create_check_constraint('role', OLD)
