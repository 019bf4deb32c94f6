"""Account decisions that also reach the person by e-mail: a sponsor's approval. The e-mail is the
notification's own copy (services/common/notify.py routes it by the person's choices, at once by
default). Raises what accounts.approvals raises."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from brandifiers.clock import utcnow
from brandifiers.models import User
from brandifiers.services.accounts import approvals

APPROVED_KIND = "account.approved"


def approve_sponsor(session: Session, actor_id: int | None, sponsor_id: int, *, now: datetime | None = None,
                    settings=None) -> User:
    """Approve a waiting sponsor: the in-app notice and, unless turned off, its e-mail through the outbox."""
    return approvals.approve_sponsor(session, actor_id, sponsor_id, now=now or utcnow())
