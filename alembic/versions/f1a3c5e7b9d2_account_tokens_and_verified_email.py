"""account tokens (e-mailed reset, verification and e-mail change links) and user.email_verified

Existing users count as verified (server default true).

Revision ID: f1a3c5e7b9d2
Revises: f2a1c3e5b7d9
Create Date: 2026-12-06 03:40:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

# revision identifiers, used by Alembic.
revision: str = 'f1a3c5e7b9d2'
down_revision: Union[str, Sequence[str], None] = 'f2a1c3e5b7d9'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'accounttoken',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('purpose', sa.String(length=16), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('used_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    op.create_index(op.f('ix_accounttoken_user_id'), 'accounttoken', ['user_id'], unique=False)
    op.create_index(op.f('ix_accounttoken_expires_at'), 'accounttoken', ['expires_at'], unique=False)
    with op.batch_alter_table('user') as batch_op:
        batch_op.add_column(sa.Column('email_verified', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.create_index(batch_op.f('ix_user_email_verified'), ['email_verified'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('user') as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_email_verified'))
        batch_op.drop_column('email_verified')
    op.drop_index(op.f('ix_accounttoken_expires_at'), table_name='accounttoken')
    op.drop_index(op.f('ix_accounttoken_user_id'), table_name='accounttoken')
    op.drop_table('accounttoken')
