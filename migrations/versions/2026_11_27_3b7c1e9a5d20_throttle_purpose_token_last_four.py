"""Throttled attempts get a purpose (login, reset); API tokens keep their last four characters

Revision ID: 3b7c1e9a5d20
Revises: edf7874705e0
Create Date: 2026-11-27 17:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3b7c1e9a5d20'
down_revision = 'edf7874705e0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purpose', sa.String(length=16), nullable=False,
                                      server_default='login'))

    # Existing tokens stay without: only their SHA-256 was kept, and the page shows "…".
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_four', sa.String(length=4), nullable=True))


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('last_four')

    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.drop_column('purpose')
