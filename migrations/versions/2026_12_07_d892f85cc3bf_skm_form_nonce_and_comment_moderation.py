"""SKM: a response remembers its form token's nonce; comment hiding keeps a history.

Reviewed by hand. skm_response.form_nonce (nullable, unique): the nonce of the
signed one-time token the public form was sent with, so that a replayed token is
refused by the database itself (responses made without the form, as by the demo
seed, have none). skm_comment_moderation: one row per hiding or unhiding of a
response's comment (action hide/unhide, who, why, when); the response's own
comment_hidden_* columns keep only the current state.

Revision ID: d892f85cc3bf
Revises: 5c1e9a7d3b20
Create Date: 2026-12-07 19:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "d892f85cc3bf"
down_revision = "5c1e9a7d3b20"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("skm_response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("form_nonce", sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_skm_response_form_nonce"), ["form_nonce"]
        )

    op.create_table(
        "skm_comment_moderation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "action IN ('hide', 'unhide')", name=op.f("ck_skm_comment_moderation_action")
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["employee.id"],
            name=op.f("fk_skm_comment_moderation_actor_id_employee"),
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["skm_response.id"],
            name=op.f("fk_skm_comment_moderation_response_id_skm_response"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skm_comment_moderation")),
    )
    with op.batch_alter_table("skm_comment_moderation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_skm_comment_moderation_response_id"), ["response_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("skm_comment_moderation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_skm_comment_moderation_response_id"))
    op.drop_table("skm_comment_moderation")

    with op.batch_alter_table("skm_response", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_skm_response_form_nonce"), type_="unique")
        batch_op.drop_column("form_nonce")
