"""used form tokens: a create form is sent once

Revision ID: 8f3b2d6a4c10
Revises: 5c1e0a7d9b21
Create Date: 2026-11-27 17:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8f3b2d6a4c10'
down_revision = '5c1e0a7d9b21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('used_form_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('form', sa.String(length=80), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('location', sa.String(length=500), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_used_form_tokens_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_used_form_tokens')),
    sa.UniqueConstraint('nonce', name=op.f('uq_used_form_tokens_nonce'))
    )


def downgrade():
    op.drop_table('used_form_tokens')
