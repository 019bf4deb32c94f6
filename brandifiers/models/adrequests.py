"""Ad requests, their negotiation ledger (offers), payments and deliverables."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from brandifiers.clock import utcnow
from brandifiers.models.enums import StrEnum


class AdRequest(SQLModel, table=True):
    __table_args__ = (
        sa.CheckConstraint("payment_cents >= 0", name="ck_adrequest_payment_nonneg"),
        sa.Index("ix_adrequest_campaign_status", "campaign_id", "status"),
        # Covering index for the sponsor's and influencer's dashboard sums (no row lookups).
        sa.Index("ix_adrequest_sponsor_status", "sponsor_id", "status", "payment_cents"),
        sa.Index("ix_adrequest_influencer_status", "influencer_id", "status", "payment_cents"),
        # Covering indexes for the admin analytics (agreed per month, spend per category).
        sa.Index("ix_adrequest_accepted_status_payment", "accepted_at", "status", "payment_cents"),
        sa.Index("ix_adrequest_status_campaign", "status", "campaign_id", "payment_cents"),
        # Covering index for the metric rollup's owners and spend of scattered requests (rollup_sql.attrs).
        sa.Index("ix_adrequest_rollup_attrs", "id", "campaign_id", "sponsor_id", "influencer_id", "status",
                 "payment_cents"),
    )

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True, ondelete="CASCADE")
    influencer_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    # Denormalised owner of the campaign: ownership checks and sponsor lists without a join.
    sponsor_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    initiated_by: str = Field(sa_type=sa.String(16))  # sponsor | influencer | admin
    created_by_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    requirements: str = Field(default="", sa_type=sa.String(4000))
    deliverables: str = Field(default="", sa_type=sa.String(2000))
    message: str = Field(default="", sa_type=sa.String(2000))
    # Current terms: the amount of the latest offer (the ledger is the truth).
    payment_cents: int = Field(sa_type=sa.BigInteger)
    due_date: date | None = Field(default=None, index=True)
    status: str = Field(sa_type=sa.String(16), index=True)
    revision_note: str | None = Field(default=None, sa_type=sa.String(2000))
    flagged: bool = Field(default=False, index=True)
    flag_reason: str | None = Field(default=None, sa_type=sa.String(500))
    accepted_at: datetime | None = Field(default=None, index=True)
    completed_at: datetime | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    updated_at: datetime = Field(default_factory=utcnow, index=True)


class Offer(SQLModel, table=True):
    """One immutable entry of the negotiation ledger."""

    __table_args__ = (sa.CheckConstraint("amount_cents >= 0", name="ck_offer_amount_nonneg"),)

    id: int | None = Field(default=None, primary_key=True)
    ad_request_id: int = Field(foreign_key="adrequest.id", index=True, ondelete="CASCADE")
    author_id: int = Field(foreign_key="user.id", index=True)
    author_role: str = Field(sa_type=sa.String(16))
    amount_cents: int = Field(sa_type=sa.BigInteger)
    terms: str = Field(default="", sa_type=sa.String(4000))
    message: str = Field(default="", sa_type=sa.String(2000))
    created_at: datetime = Field(default_factory=utcnow, index=True)


class PaymentState(StrEnum):
    """A manual entry's life: recorded by the sponsor, confirmed or disputed by the influencer; an admin
    resolves a dispute (upheld: voided, rejected: confirmed)."""

    RECORDED = "recorded"
    CONFIRMED = "confirmed"
    DISPUTED = "disputed"
    VOIDED = "voided"


def counts_as_paid(state_column=None):
    """The one rule of every paid sum: an entry counts unless it was voided (SQL expression)."""
    return (Payment.state if state_column is None else state_column) != PaymentState.VOIDED.value


def counts_as_paid_sql(alias: str) -> str:
    """The same rule for the raw SQL reads (exports): `alias.state <> 'voided'`."""
    return f"{alias}.state <> '{PaymentState.VOIDED.value}'"


class Payment(SQLModel, table=True):
    """A payment recorded by the sponsor for an accepted request, with the influencer's answer and an
    admin's resolution of a dispute (services.deals.payment_disputes)."""

    __table_args__ = (
        sa.CheckConstraint("amount_cents > 0", name="ck_payment_amount_pos"),
        # paid per month (admin analytics), voided entries left out without a row lookup
        sa.Index("ix_payment_paid_amount", "paid_on", "amount_cents", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    ad_request_id: int = Field(foreign_key="adrequest.id", index=True, ondelete="CASCADE")
    amount_cents: int = Field(sa_type=sa.BigInteger)
    paid_on: date = Field(index=True)
    reference: str = Field(default="", sa_type=sa.String(120))
    recorded_by_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    state: str = Field(default=PaymentState.RECORDED.value, sa_type=sa.String(10), index=True)
    dispute_reason: str | None = Field(default=None, sa_type=sa.String(500))
    answered_by_id: int | None = Field(default=None, foreign_key="user.id")  # confirmed or disputed by
    answered_at: datetime | None = None
    resolution: str | None = Field(default=None, sa_type=sa.String(10))  # upheld | rejected
    resolution_reason: str | None = Field(default=None, sa_type=sa.String(500))
    resolved_by_id: int | None = Field(default=None, foreign_key="user.id")
    resolved_at: datetime | None = None


class ReceiptToken(SQLModel, table=True):
    """A single-use link to one payment's receipt, issued to one party (only its SHA-256 is stored)."""

    token_hash: str = Field(sa_type=sa.String(64), primary_key=True)
    payment_id: int = Field(foreign_key="payment.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    expires_at: datetime
    used_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class Deliverable(SQLModel, table=True):
    """A post (platform + URL) submitted for an accepted request."""

    id: int | None = Field(default=None, primary_key=True)
    ad_request_id: int = Field(foreign_key="adrequest.id", index=True, ondelete="CASCADE")
    platform: str = Field(sa_type=sa.String(20), index=True)
    post_url: str = Field(sa_type=sa.String(500))
    note: str = Field(default="", sa_type=sa.String(2000))
    submitted_at: datetime = Field(default_factory=utcnow, index=True)


class Submission(SQLModel, table=True):
    """One submission of posts for an ad request; the next one replaces it. A revision request answers
    the submission it sends back (its note lives here, so the page shows only the current one)."""

    id: int | None = Field(default=None, primary_key=True)
    ad_request_id: int = Field(foreign_key="adrequest.id", index=True, ondelete="CASCADE")
    submitted_at: datetime = Field(default_factory=utcnow, index=True)
    revision_note: str | None = Field(default=None, sa_type=sa.String(2000))
    revision_requested_at: datetime | None = Field(default=None)


class SubmissionPost(SQLModel, table=True):
    """One post as one submission listed it (platform, address and note at the time); the Deliverable
    is the post itself, which the metrics refer to."""

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", index=True, ondelete="CASCADE")
    deliverable_id: int = Field(foreign_key="deliverable.id", index=True, ondelete="CASCADE")
    position: int = Field(default=0)
    platform: str = Field(sa_type=sa.String(20))
    post_url: str = Field(sa_type=sa.String(500))
    note: str = Field(default="", sa_type=sa.String(2000))
