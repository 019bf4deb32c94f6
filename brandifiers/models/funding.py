"""Card funding of ad requests through a payment gateway: the funding rows, the gateway events that
changed them (one row per event id), and the differences the reconciliation found."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from brandifiers.clock import utcnow

FUNDING_STATUSES = ("pending", "held", "released", "refunded", "failed")


class Funding(SQLModel, table=True):
    """One card payment for one ad request: authorised (held), captured (released) or given back."""

    __table_args__ = (
        sa.CheckConstraint("amount_cents > 0", name="ck_funding_amount_pos"),
        sa.Index("ix_funding_request_status", "ad_request_id", "status", "amount_cents"),
    )

    id: int | None = Field(default=None, primary_key=True)
    ad_request_id: int = Field(foreign_key="adrequest.id", index=True, ondelete="CASCADE")
    amount_cents: int = Field(sa_type=sa.BigInteger)
    currency: str = Field(default="usd", sa_type=sa.String(8))
    gateway: str = Field(sa_type=sa.String(16))  # manual | stripe
    payment_id: str | None = Field(default=None, sa_type=sa.String(120), unique=True)  # e.g. the PaymentIntent id
    status: str = Field(default="pending", sa_type=sa.String(16), index=True)
    failure: str = Field(default="", sa_type=sa.String(500))
    funded_by_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    updated_at: datetime = Field(default_factory=utcnow)
    held_at: datetime | None = None
    released_at: datetime | None = None
    refunded_at: datetime | None = None


class GatewayEvent(SQLModel, table=True):
    """A gateway event (webhook or our own API answer) applied once: its id is the idempotency key."""

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(sa_type=sa.String(160), unique=True)
    funding_id: int | None = Field(default=None, foreign_key="funding.id", index=True, ondelete="CASCADE")
    kind: str = Field(sa_type=sa.String(60))
    before: str | None = Field(default=None, sa_type=sa.String(16))
    after: str | None = Field(default=None, sa_type=sa.String(16))  # None: nothing changed (late or duplicate)
    received_at: datetime = Field(default_factory=utcnow, index=True)


class ReconciliationDifference(SQLModel, table=True):
    """One difference between our ledger and the gateway's records (never fixed by the job itself)."""

    id: int | None = Field(default=None, primary_key=True)
    funding_id: int | None = Field(default=None, foreign_key="funding.id", index=True, ondelete="CASCADE")
    payment_id: str | None = Field(default=None, sa_type=sa.String(120), index=True)
    kind: str = Field(sa_type=sa.String(30))  # missing_here | missing_there | amount | status | stale_hold
    ours: str = Field(default="", sa_type=sa.String(200))
    theirs: str = Field(default="", sa_type=sa.String(200))
    found_at: datetime = Field(default_factory=utcnow, index=True)
    resolved_at: datetime | None = None
    resolution: str = Field(default="", sa_type=sa.String(500))
