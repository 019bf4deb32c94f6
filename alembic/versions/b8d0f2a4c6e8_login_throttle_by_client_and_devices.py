"""log-in throttle by key (e-mail and client address, client address, e-mail, device, request rate) and
the browsers that recently logged in

The old table counted failures per e-mail only (anyone could lock any account). Its rows are short-lived
counters, so the table is made anew rather than converted.

Revision ID: b8d0f2a4c6e8
Revises: a7c9e1f3b5d7
Create Date: 2026-12-05 22:20:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op


# revision identifiers, used by Alembic.
revision: str = 'b8d0f2a4c6e8'
down_revision: Union[str, Sequence[str], None] = 'a7c9e1f3b5d7'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.drop_table('loginthrottle')
    op.create_table('loginthrottle',
                    sa.Column('key', sa.String(length=400), nullable=False),
                    sa.Column('kind', sa.String(length=12), nullable=False),
                    sa.Column('email', sa.String(length=254), nullable=True),
                    sa.Column('client', sa.String(length=64), nullable=True),
                    sa.Column('failures', sa.Integer(), nullable=False),
                    sa.Column('window_start', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
                    sa.Column('locked_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
                    sa.PrimaryKeyConstraint('key'))
    op.create_index(op.f('ix_loginthrottle_email'), 'loginthrottle', ['email'], unique=False)
    op.create_index(op.f('ix_loginthrottle_window_start'), 'loginthrottle', ['window_start'], unique=False)
    op.create_index(op.f('ix_loginthrottle_locked_until'), 'loginthrottle', ['locked_until'], unique=False)
    op.create_table('logindevice',
                    sa.Column('token_hash', sa.String(length=64), nullable=False),
                    sa.Column('user_id', sa.Integer(), nullable=False),
                    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
                    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
                    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
                    sa.PrimaryKeyConstraint('token_hash'))
    op.create_index(op.f('ix_logindevice_user_id'), 'logindevice', ['user_id'], unique=False)
    op.create_index(op.f('ix_logindevice_expires_at'), 'logindevice', ['expires_at'], unique=False)


def downgrade() -> None:
    op.drop_table('logindevice')
    op.drop_table('loginthrottle')
    op.create_table('loginthrottle',
                    sa.Column('email', sa.String(length=254), nullable=False),
                    sa.Column('failures', sa.Integer(), nullable=False),
                    sa.Column('window_start', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
                    sa.Column('locked_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
                    sa.PrimaryKeyConstraint('email'))
