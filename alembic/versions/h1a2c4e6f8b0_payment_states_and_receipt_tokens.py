"""payment states (recorded, confirmed, disputed, voided), the dispute and its resolution; receipt tokens

Existing payments count as recorded (server default).

Revision ID: h1a2c4e6f8b0
Revises: g1a2b3c4d5e6
Create Date: 2026-12-06 18:30:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

# revision identifiers, used by Alembic.
revision: str = 'h1a2c4e6f8b0'
down_revision: Union[str, Sequence[str], None] = 'g1a2b3c4d5e6'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('payment') as batch_op:
        batch_op.add_column(sa.Column('state', sa.String(length=10), nullable=False, server_default='recorded'))
        batch_op.add_column(sa.Column('dispute_reason', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('answered_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('answered_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('resolution', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('resolution_reason', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('resolved_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('resolved_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_payment_state'), ['state'], unique=False)
        # the admin analytics' paid per month stays covered now that it filters on the state
        batch_op.drop_index('ix_payment_paid_amount')
        batch_op.create_index('ix_payment_paid_amount', ['paid_on', 'amount_cents', 'state'], unique=False)
        batch_op.create_foreign_key('fk_payment_answered_by_id_user', 'user', ['answered_by_id'], ['id'])
        batch_op.create_foreign_key('fk_payment_resolved_by_id_user', 'user', ['resolved_by_id'], ['id'])
    op.create_table(
        'receipttoken',
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('payment_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('used_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('token_hash'),
    )
    op.create_index(op.f('ix_receipttoken_payment_id'), 'receipttoken', ['payment_id'], unique=False)
    op.create_index(op.f('ix_receipttoken_user_id'), 'receipttoken', ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_receipttoken_user_id'), table_name='receipttoken')
    op.drop_index(op.f('ix_receipttoken_payment_id'), table_name='receipttoken')
    op.drop_table('receipttoken')
    with op.batch_alter_table('payment') as batch_op:
        batch_op.drop_constraint('fk_payment_resolved_by_id_user', type_='foreignkey')
        batch_op.drop_constraint('fk_payment_answered_by_id_user', type_='foreignkey')
        batch_op.drop_index('ix_payment_paid_amount')
        batch_op.create_index('ix_payment_paid_amount', ['paid_on', 'amount_cents'], unique=False)
        batch_op.drop_index(batch_op.f('ix_payment_state'))
        for column in ('resolved_at', 'resolved_by_id', 'resolution_reason', 'resolution', 'answered_at',
                       'answered_by_id', 'dispute_reason', 'state'):
            batch_op.drop_column(column)
