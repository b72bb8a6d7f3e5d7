"""An IKI may take its realisasi from a unit layanan's IKM (SKM into performance).

Reviewed by hand. iki gains service_unit_id: a satisfaction-index IKI bound to
a unit layanan of the appraisee's OPD reads its realisasi from that unit's IKM
for the appraisal's period. Nullable (every existing IKI is typed as before);
removing a unit unbinds its IKI rather than deleting them.

Revision ID: 5c1e9a7d3b20
Revises: 1041c46a0a42
Create Date: 2026-12-07 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c1e9a7d3b20'
down_revision = '1041c46a0a42'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('iki', schema=None) as batch_op:
        batch_op.add_column(sa.Column('service_unit_id', sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f('ix_iki_service_unit_id'), ['service_unit_id'], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_iki_service_unit_id_service_unit'), 'service_unit',
            ['service_unit_id'], ['id'], ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('iki', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_iki_service_unit_id_service_unit'), type_='foreignkey'
        )
        batch_op.drop_index(batch_op.f('ix_iki_service_unit_id'))
        batch_op.drop_column('service_unit_id')
