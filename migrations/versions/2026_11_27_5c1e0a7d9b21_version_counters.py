"""version counters for sections, questions and target groups

Revision ID: 5c1e0a7d9b21
Revises: 3b7c1e9a5d20
Create Date: 2026-11-27 17:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c1e0a7d9b21'
down_revision = '3b7c1e9a5d20'
branch_labels = None
depends_on = None

TABLES = ('target_groups', 'questionnaire_sections', 'questions')


def upgrade():
    for table in TABLES:
        # Existing rows start at 1, as a new row does; the server default is only for them.
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version_id', sa.Integer(), nullable=False,
                                          server_default='1'))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('version_id', server_default=None)


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version_id')
