"""Payment entries as the request page shows them: amount, date, state, the dispute and its resolution,
and what this reader may do with each (confirm or dispute it, open its receipt)."""

from __future__ import annotations

from brandifiers.models import Payment, PaymentState
from brandifiers.services.common import zones
from brandifiers.services.common.money import format_cents

_P = PaymentState


def payment_row(p: Payment, answerable: set[int], zone) -> dict[str, str]:
    dispute = resolution = ""
    if p.dispute_reason:
        dispute = f"Disputed by the influencer {zones.fmt_time(p.answered_at, zone)}: {p.dispute_reason}"
    if p.resolution:
        outcome = ("upheld the dispute: this entry is voided and no longer counts as paid"
                   if p.resolution == "upheld" else "rejected the dispute: this entry stands as confirmed")
        resolution = f"An administrator {outcome} ({zones.fmt_time(p.resolved_at, zone)}): {p.resolution_reason}"
    return {"id": str(p.id), "amount": format_cents(p.amount_cents), "paid_on": p.paid_on.isoformat(),
            "reference": p.reference, "state": p.state,
            "dispute": dispute, "resolution": resolution,
            "can_answer": "1" if p.id in answerable else "",
            "receipt": "" if p.state == _P.VOIDED.value else "1"}


def payment_rows(payments: list[Payment], answerable: set[int], zone) -> list[dict[str, str]]:
    """answerable: the entries the reader may confirm or dispute (services.deals.requests_read decides)."""
    return [payment_row(p, answerable, zone) for p in payments]


def disputed_total(payments: list[Payment]) -> str:
    """The per-deal figure both parties read beside Paid: entries awaiting an admin."""
    return format_cents(sum(p.amount_cents for p in payments if p.state == _P.DISPUTED.value))
