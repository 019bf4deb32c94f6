"""Card funding of accepted deals through the payment gateway: the totals other modules read.
(The gateway itself lands with issue 20; until then nothing is funded by card.)"""

from __future__ import annotations

from sqlmodel import Session


def gateway_totals(session: Session, influencer_id: int) -> dict[str, int]:
    """Cents funded (held now) and released to this influencer through the gateway."""
    return {"funded_cents": 0, "released_cents": 0}
