"""one Message-ID per outbox message, and its own headers

Revision ID: 5b1e0c7d9a21
Revises: 8f3b2d6a4c10
Create Date: 2026-11-27 17:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b1e0c7d9a21'
down_revision = '8f3b2d6a4c10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbound_emails', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_id', sa.String(length=250), nullable=True))
        batch_op.add_column(sa.Column('headers', sa.JSON(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_outbound_emails_message_id'),
                                          ['message_id'])


def downgrade():
    with op.batch_alter_table('outbound_emails', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_outbound_emails_message_id'), type_='unique')
        batch_op.drop_column('headers')
        batch_op.drop_column('message_id')
