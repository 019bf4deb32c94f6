"""Account decisions that also reach the person by e-mail (through the outbox, by their preferences):
a sponsor's approval. Raises what accounts.approvals raises."""

from __future__ import annotations

from datetime import datetime
from html import escape

from sqlmodel import Session, select

from brandifiers.clock import utcnow
from brandifiers.config import Settings, get_settings
from brandifiers.models import SponsorProfile, User
from brandifiers.services.accounts import approvals, preferences
from brandifiers.services.messaging import outbox

APPROVED_KIND = "account.approved"


def approve_sponsor(session: Session, actor_id: int | None, sponsor_id: int, *, now: datetime | None = None,
                    settings: Settings | None = None) -> User:
    """Approve a waiting sponsor (in-app notice included) and queue the approval e-mail unless the
    sponsor opted out of e-mail."""
    now = now or utcnow()
    user = approvals.approve_sponsor(session, actor_id, sponsor_id, now=now)
    if preferences.for_user(session, user.id).email_opt_out:
        return user
    settings = settings or get_settings()
    name = session.exec(select(SponsorProfile.company_name).where(SponsorProfile.user_id == user.id)).first()
    name = name or user.email
    link = f"{settings.public_url}/sponsor"
    text = (f"Hello {name},\n\nAn administrator approved your sponsor account on Brandifiers. You can now "
            f"create campaigns and find influencers.\n\nLog in: {link}")
    html = (f"<p>Hello {escape(name)},</p><p>An administrator approved your sponsor account on Brandifiers. "
            f"You can now create campaigns and find influencers.</p><p><a href=\"{link}\">Log in</a></p>")
    outbox.enqueue(session, kind=APPROVED_KIND, channel="email", recipient=user.email, period=f"user-{user.id}",
                   subject="Your Brandifiers sponsor account was approved", text=text, html=html, link=link,
                   user_id=user.id, now=now)
    return user
