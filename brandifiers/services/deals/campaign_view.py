"""What each role is shown of one campaign: owner and admins the whole page (row, budget panel, the
campaign's requests); an influencer the brief, the brand, its own request (with what waits and why) and
whether it may apply, never the money totals. Raises NotFound."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from brandifiers.models import ACTIVE, OPEN, AdRequest, AdRequestStatus, Campaign, Role, SponsorProfile, User
from brandifiers.services.common import zones
from brandifiers.services.common.errors import NotFound
from brandifiers.services.common.rbac import require_role
from brandifiers.services.deals.adrequest_machine import INFLUENCER_SIDE, latest_offer, offer_side
from brandifiers.services.deals.campaigns import budget_panel, get_campaign, is_listed
from brandifiers.services.deals.holds import holds
from brandifiers.services.deals.requests_read import RequestRow, list_requests

_R = AdRequestStatus

# The brief: what anyone who may open the campaign sees (the budget is advertised in discovery too).
BRIEF = ("id", "name", "description", "goals", "category", "niche", "budget_cents", "start_date", "end_date",
         "visibility", "status")


@dataclass
class CampaignPage:
    brief: dict
    managed: Campaign | None = None  # the whole row (targets, flags, approval): owner and admins only
    panel: dict | None = None  # budget, committed, paid, remaining: owner and admins only
    requests: list[RequestRow] = field(default_factory=list)  # the campaign's requests: owner and admins only
    own_request: RequestRow | None = None  # an influencer's own request on it, if any
    sponsor_name: str = ""  # the brand (sponsor company)
    own_status: str = ""  # where the influencer's own request stands, in words
    holds: list[str] = field(default_factory=list)  # why its deal waits (services.deals.holds)
    can_apply: bool = False  # an influencer with no open or running request on a listed campaign


def own_request_status(session: Session, request: AdRequest, sponsor_name: str, zone=None) -> str:
    """The influencer's request in a sentence, e.g. "You applied on 2026-03-02 — awaiting the sponsor"
    (days in the influencer's zone)."""
    status, day = request.status, zones.fmt_date(request.updated_at, zone)
    if status in OPEN:
        if offer_side(latest_offer(session, request.id), request) == INFLUENCER_SIDE:
            first = status == _R.PENDING.value and request.initiated_by == Role.INFLUENCER.value
            applied = zones.fmt_date(request.created_at, zone)
            what = f"You applied on {applied}" if first else f"You sent your offer on {day}"
            return f"{what} — awaiting {sponsor_name}."
        return f"{sponsor_name} sent you an offer on {day} — awaiting your answer."
    if status in ACTIVE:
        since = zones.fmt_date(request.accepted_at, zone) if request.accepted_at else day
        return f"Your collaboration is running (agreed on {since}; now {status.replace('_', ' ')})."
    if status == _R.COMPLETED.value:
        done = zones.fmt_date(request.completed_at or request.updated_at, zone)
        return f"Your collaboration was completed on {done}."
    return f"Your request was {status} on {day}."


def campaign_page(session: Session, actor_id: int | None, campaign_id: int) -> CampaignPage:
    """The campaign as this actor may see it (who may open it at all: campaigns.get_campaign)."""
    actor = require_role(session, actor_id, Role.SPONSOR, Role.ADMIN, Role.INFLUENCER)
    campaign = get_campaign(session, actor.id, campaign_id)
    brief = {k: getattr(campaign, k) for k in BRIEF}
    rows, _total = list_requests(session, actor.id, campaign_id=campaign.id, page=0, page_size=50, with_total=False)
    if actor.role == Role.INFLUENCER.value:  # list_requests keeps to the actor's own requests
        return _influencer_page(session, campaign, brief, rows[0] if rows else None)
    return CampaignPage(brief, campaign, budget_panel(session, campaign.id), rows)


def managed_campaign_page(session: Session, actor_id: int | None, campaign_id: int) -> CampaignPage:
    """The management page (sponsor and admin routes): NotFound for anyone who may not manage it."""
    page = campaign_page(session, actor_id, campaign_id)
    if page.managed is None:
        raise NotFound("campaign")
    return page


def _influencer_page(session: Session, campaign: Campaign, brief: dict, own: RequestRow | None) -> CampaignPage:
    sponsor_name = session.exec(select(SponsorProfile.company_name)
                                .where(SponsorProfile.user_id == campaign.sponsor_id)).first() or "the sponsor"
    request = session.get(AdRequest, own.id) if own else None
    page = CampaignPage(brief, own_request=own, sponsor_name=sponsor_name,
                        holds=[h.text for h in holds(session, request, campaign)])
    if request is not None:
        page.own_status = own_request_status(session, request, sponsor_name,
                                            zones.user_zone(session.get(User, request.influencer_id)))
    page.can_apply = (request is None or request.status not in OPEN + ACTIVE) and is_listed(session, campaign)
    return page
