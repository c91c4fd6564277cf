"""the data revision the caches key on

Revision ID: 7d2a9c4e1b30
Revises: 5b1e0c7d9a21
Create Date: 2026-11-27 21:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d2a9c4e1b30'
down_revision = '5b1e0c7d9a21'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'data_revisions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_data_revisions')),
    )
    op.bulk_insert(table, [{'id': 1, 'token': 'initial'}])


def downgrade():
    op.drop_table('data_revisions')
