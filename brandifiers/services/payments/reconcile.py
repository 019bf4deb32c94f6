"""Reconciliation: our funding rows against the gateway's payments of the last days; every difference is
written as a ReconciliationDifference (once while unresolved) and listed for the admin. Amounts are never
changed here. Raises GatewayDown when the gateway cannot be read (nothing written)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from brandifiers.clock import utcnow
from brandifiers.models import Funding, ReconciliationDifference, Role
from brandifiers.services.common import audit, parse
from brandifiers.services.common.errors import DomainError, found
from brandifiers.services.common.money import format_cents
from brandifiers.services.common.rbac import require_role
from brandifiers.services.common.validation import Form
from brandifiers.services.payments.gateway import HELD, Gateway, GatewayPayment, GatewayRefused

STALE_HOLD_DAYS = 5  # a card authorisation lapses after about a week: flag it before


def _describe(status: str, amount: int) -> str:
    return f"{status}, {format_cents(amount)}"


def compare(session: Session, gateway: Gateway, now: datetime, days: int) -> list[ReconciliationDifference]:
    """Find the differences and add the new ones to the session (the caller commits)."""
    since = now - timedelta(days=days)
    theirs = {p.payment_id: p for p in gateway.list_payments(since)}
    ours = list(session.exec(select(Funding).where(Funding.gateway == gateway.name, Funding.payment_id.is_not(None),
                                                   (Funding.created_at >= since) | Funding.payment_id.in_(
                                                       list(theirs) or [""]))))
    found: list[tuple[Funding | None, str, str, str, str]] = []
    for funding in ours:
        their: GatewayPayment | None = theirs.pop(funding.payment_id, None)
        if their is None:
            try:
                their = gateway.read(funding.payment_id)
            except GatewayRefused:  # unknown there
                found.append((funding, funding.payment_id, "missing_there",
                              _describe(funding.status, funding.amount_cents), "no such payment"))
                continue
        mine, there = _describe(funding.status, funding.amount_cents), _describe(their.status, their.amount_cents)
        if their.amount_cents != funding.amount_cents:
            found.append((funding, funding.payment_id, "amount", mine, there))
        elif their.status != funding.status:
            found.append((funding, funding.payment_id, "status", mine, there))
        if funding.status == HELD and funding.held_at and funding.held_at < now - timedelta(days=STALE_HOLD_DAYS):
            found.append((funding, funding.payment_id, "stale_hold", f"held since {funding.held_at:%Y-%m-%d}",
                          there))
    for their in theirs.values():
        found.append((None, their.payment_id, "missing_here", "no funding row",
                      _describe(their.status, their.amount_cents)))
    open_keys = set(session.exec(select(ReconciliationDifference.payment_id, ReconciliationDifference.kind)
                                 .where(ReconciliationDifference.resolved_at.is_(None))).all())
    new = []
    for funding, payment_id, kind, mine, there in found:
        if (payment_id, kind) in open_keys:
            continue
        open_keys.add((payment_id, kind))
        new.append(ReconciliationDifference(funding_id=funding.id if funding else None, payment_id=payment_id,
                                            kind=kind, ours=mine[:200], theirs=there[:200], found_at=now))
    session.add_all(new)
    return new


def differences(session: Session, actor_id: int | None, *, include_resolved: bool = False,
                limit: int = 50) -> list[ReconciliationDifference]:
    """The admin's list, newest first."""
    require_role(session, actor_id, Role.ADMIN)
    stmt = select(ReconciliationDifference)
    if not include_resolved:
        stmt = stmt.where(ReconciliationDifference.resolved_at.is_(None))
    return list(session.exec(stmt.order_by(ReconciliationDifference.found_at.desc(),
                                           ReconciliationDifference.id.desc()).limit(limit)))


def resolve(session: Session, actor_id: int | None, difference_id: int, note: str, *,
            now: datetime | None = None) -> ReconciliationDifference:
    """The admin marks a difference resolved, saying how (no amount changes here either); audited."""
    actor = require_role(session, actor_id, Role.ADMIN)
    form = Form({"resolution": note})
    note = form.text("resolution", "How it was resolved", max_len=500)
    form.check()
    row = found(session.get(ReconciliationDifference, parse.record_id(difference_id)), "difference")
    if row.resolved_at is not None:
        raise DomainError("This difference is already resolved.")
    row.resolved_at, row.resolution = now or utcnow(), note
    session.add(row)
    audit.record(session, actor, "reconciliation.resolve", "reconciliationdifference", row.id,
                 f"{row.kind} on {row.payment_id}: {note}", now=row.resolved_at)
    return row
