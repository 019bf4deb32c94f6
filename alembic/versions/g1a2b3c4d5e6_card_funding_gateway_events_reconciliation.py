"""card funding through a payment gateway, the gateway events applied, reconciliation differences

Revision ID: g1a2b3c4d5e6
Revises: f4a1c3e5b7d9
Create Date: 2026-12-06 18:40:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

# revision identifiers, used by Alembic.
revision: str = 'g1a2b3c4d5e6'
down_revision: Union[str, Sequence[str], None] = 'f4a1c3e5b7d9'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_T = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table('funding',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ad_request_id', sa.Integer(), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=8), nullable=False),
    sa.Column('gateway', sa.String(length=16), nullable=False),
    sa.Column('payment_id', sa.String(length=120), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('failure', sa.String(length=500), nullable=False),
    sa.Column('funded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', _T(), nullable=False),
    sa.Column('updated_at', _T(), nullable=False),
    sa.Column('held_at', _T(), nullable=True),
    sa.Column('released_at', _T(), nullable=True),
    sa.Column('refunded_at', _T(), nullable=True),
    sa.CheckConstraint('amount_cents > 0', name='ck_funding_amount_pos'),
    sa.ForeignKeyConstraint(['ad_request_id'], ['adrequest.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['funded_by_id'], ['user.id']),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('payment_id')
    )
    with op.batch_alter_table('funding', schema=None) as batch_op:
        batch_op.create_index('ix_funding_request_status', ['ad_request_id', 'status', 'amount_cents'], unique=False)
        batch_op.create_index(batch_op.f('ix_funding_ad_request_id'), ['ad_request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_funding_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_funding_funded_by_id'), ['funded_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_funding_status'), ['status'], unique=False)
    op.create_table('gatewayevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.String(length=160), nullable=False),
    sa.Column('funding_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('before', sa.String(length=16), nullable=True),
    sa.Column('after', sa.String(length=16), nullable=True),
    sa.Column('received_at', _T(), nullable=False),
    sa.ForeignKeyConstraint(['funding_id'], ['funding.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id')
    )
    with op.batch_alter_table('gatewayevent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gatewayevent_funding_id'), ['funding_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_gatewayevent_received_at'), ['received_at'], unique=False)
    op.create_table('reconciliationdifference',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('funding_id', sa.Integer(), nullable=True),
    sa.Column('payment_id', sa.String(length=120), nullable=True),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('ours', sa.String(length=200), nullable=False),
    sa.Column('theirs', sa.String(length=200), nullable=False),
    sa.Column('found_at', _T(), nullable=False),
    sa.Column('resolved_at', _T(), nullable=True),
    sa.Column('resolution', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['funding_id'], ['funding.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('reconciliationdifference', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reconciliationdifference_funding_id'), ['funding_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reconciliationdifference_payment_id'), ['payment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reconciliationdifference_found_at'), ['found_at'], unique=False)


def downgrade() -> None:
    op.drop_table('reconciliationdifference')
    op.drop_table('gatewayevent')
    op.drop_table('funding')
